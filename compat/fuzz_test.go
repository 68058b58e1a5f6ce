package compat

import (
	"strings"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/ir"
)

// twmbDeviation reports whether twmb/avro's verdict on reader reads writer
// differs from Avro Java's by a rule of its own, so that it defines no
// Avro verdict to compare with: it fails differing decimal precisions or
// scales (Avro ignores logical types; evc's --strict reports them), and it
// gives a field whose type is a union with null first an implicit null
// default (Avro gives it none).
func twmbDeviation(twmbErr error, ins []*Incompatibility) bool {
	if twmbErr != nil {
		return strings.Contains(twmbErr.Error(), "decimal precision or scale differ")
	}
	for _, in := range ins {
		f := in.ReaderField
		if in.Kind != FieldNoDefault || f == nil || f.Type.Kind != ir.Union || len(f.Type.Branches) == 0 || f.Type.Branches[0].Kind != ir.Null {
			return false
		}
	}
	return len(ins) > 0
}

// FuzzCheckPair_TwmbAvro makes a schema and an evolution of it from the
// fuzzer's bytes (the generator of the python3-avro differential: recursive
// types, aliases, namespaces, promotions, enums, fixed, decimals) and checks
// evc's verdict in both directions against twmb/avro's CheckCompatibility,
// wherever both read the schemas and twmb/avro follows Avro's rules.
func FuzzCheckPair_TwmbAvro(f *testing.F) {
	for _, seed := range []string{"", "\x00", "recursive", "\x01\x02\x03\x04\x05\x06\x07\x08", "evc compat", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, recursive bool) {
		g := schemagen.New(schemagen.NewFuzzSource(data))
		v1 := g.Record(0)
		if recursive {
			g.Recursive(v1)
		}
		v2 := g.Evolve(v1)
		oldJSON, newJSON := v1.JSON(), v2.JSON()
		var l diag.List
		of := avsc.Read("old.avsc", []byte(oldJSON), &l, nil)
		nf := avsc.Read("new.avsc", []byte(newJSON), &l, nil)
		ow, err1 := avro.Parse(oldJSON)
		nw, err2 := avro.Parse(newJSON)
		if l.HasErrors() || err1 != nil || err2 != nil {
			return // not a schema both read
		}
		for _, d := range []struct {
			name   string
			r, w   *ir.Type
			tr, tw *avro.Schema
		}{
			{"BACKWARD (new reads old)", nf.Root, of.Root, nw, ow},
			{"FORWARD (old reads new)", of.Root, nf.Root, ow, nw},
		} {
			ins := CheckPair(d.r, d.w)
			if ok := Compatible(d.r, d.w); ok != (len(ins) == 0) {
				t.Fatalf("%s: Compatible says %v, CheckPair %s", d.name, ok, describeAll(ins))
			}
			twmbErr := avro.CheckCompatibility(d.tw, d.tr)
			if (twmbErr == nil) == (len(ins) == 0) || twmbDeviation(twmbErr, ins) {
				continue
			}
			t.Errorf("%s: evc says compatible=%v (%s), twmb/avro %v\nold: %s\nnew: %s", d.name, len(ins) == 0, describeAll(ins), twmbErr, oldJSON, newJSON)
		}
	})
}
