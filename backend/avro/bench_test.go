package avro

import (
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
)

// benchSchema returns the text of a real Open edX schema of the corpus.
func benchSchema(b *testing.B) []byte {
	const name = "org+openedx+learning+course+enrollment+created+v1_schema.avsc"
	for _, f := range corpus.OpenEdx() {
		if f.Name == name {
			return f.Data
		}
	}
	b.Fatalf("the corpus lacks %s", name)
	return nil
}

// BenchmarkRead reads a real Open edX schema with evc's reader; compare
// with BenchmarkTwmbParse, twmb/avro's parser on the same text.
func BenchmarkRead(b *testing.B) {
	src := benchSchema(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		var l diag.List
		avsc.Read("x.avsc", src, &l, nil)
	}
}

func BenchmarkTwmbParse(b *testing.B) {
	src := benchSchema(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := tavro.Parse(string(src)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSchemaJSON(b *testing.B) {
	src := benchSchema(b)
	var l diag.List
	n := avsc.Read("x.avsc", src, &l, nil).Root.Named
	for b.Loop() {
		SchemaJSON(n, true)
	}
}
