package avro

import (
	"bytes"
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/ir"
)

// FuzzRoundTrip: whatever the reader accepts without errors, the writer
// writes as a schema that reads back without errors to the same schema and
// the same bytes, and that twmb/avro parses whenever it parses the input.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range corpus.Schemas() {
		f.Add(s.Data)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var l diag.List
		in := avsc.Read("in.avsc", src, &l, nil)
		if l.HasErrors() || in.Root == nil {
			return
		}
		out := TypeJSON(in.Root, true)
		var l2 diag.List
		back := avsc.Read("out.avsc", out, &l2, nil)
		if l2.HasErrors() {
			t.Fatalf("output does not read back: %v\ninput: %s\noutput: %s", l2.Err(), src, out)
		}
		if again := TypeJSON(back.Root, true); !bytes.Equal(out, again) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", out, again)
		}
		if d := compareTypes(in.Root, back.Root, map[[2]*ir.Named]bool{}); d != "" {
			t.Fatalf("round trip changed the schema: %s\ninput: %s\noutput: %s", d, src, out)
		}
		if want, err := tavro.Parse(string(src)); err == nil {
			got, err := tavro.Parse(string(out))
			if err != nil {
				t.Fatalf("twmb/avro parses the input but not the output: %v\ninput: %s\noutput: %s", err, src, out)
			}
			if !bytes.Equal(got.Canonical(), want.Canonical()) {
				t.Fatalf("canonical form changed:\n got %s\nwant %s", got.Canonical(), want.Canonical())
			}
		}
	})
}
