package avro

import (
	"os"
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
)

const benchFile = "testdata/corpus/openedx-events/org+openedx+learning+course+enrollment+created+v1_schema.avsc"

// BenchmarkRead reads a real Open edX schema with evc's reader; compare
// with BenchmarkTwmbParse, twmb/avro's parser on the same text.
func BenchmarkRead(b *testing.B) {
	src, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		var l diag.List
		avsc.Read("x.avsc", src, &l, nil)
	}
}

func BenchmarkTwmbParse(b *testing.B) {
	src, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := tavro.Parse(string(src)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSchemaJSON(b *testing.B) {
	src, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	var l diag.List
	n := avsc.Read("x.avsc", src, &l, nil).Root.Named
	for b.Loop() {
		SchemaJSON(n, true)
	}
}
