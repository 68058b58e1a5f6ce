package compat

import (
	"strings"
	"testing"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/ir"
)

// parseSchema reads an .avsc text into the IR, failing on errors.
func parseSchema(t testing.TB, name string, src []byte) *ir.Type {
	t.Helper()
	var l diag.List
	f := avsc.Read(name, src, &l, nil)
	if l.HasErrors() || f == nil || f.Root == nil {
		t.Fatalf("%s: cannot read schema %s: %v", name, src, l.Err())
	}
	return f.Root
}

func TestCheckPair_AgreesWithJavaOnCorpus(t *testing.T) {
	cases := corpus.Cases()
	if len(cases) != 255 {
		t.Fatalf("read %d cases, want 255", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := parseSchema(t, "reader.avsc", c.Reader)
			w := parseSchema(t, "writer.avsc", c.Writer)
			// Java's verdict. Where Java throws (java_error: a reader field
			// that matches two writer fields), Case.Java counts it as
			// incompatible, and evc reports AMBIGUOUS_FIELD: a pair Java
			// cannot resolve is not one a registry accepts, and it is what
			// the suite and python3-avro expect.
			if got, want := compatible(t, r, w), c.Java(); got != want {
				t.Errorf("reader reads writer: compatible = %v, Java says %v; incompatibilities: %s", got, want, describeAll(CheckPair(r, w)))
			}
			// The reverse direction: Java's verdict is reverse_compatible
			// (python3-avro's) unless reverse_java_disagrees.
			if got, want := compatible(t, w, r), c.JavaReverse(); got != want {
				t.Errorf("writer reads reader: compatible = %v, Java says %v; incompatibilities: %s", got, want, describeAll(CheckPair(w, r)))
			}
		})
	}
}

// TestCheckPair_FollowsJavaOnDivergences holds evc to Java where Java and
// python3-avro 1.11.1 differ. A pair Java throws on is either rejected
// before checking (a field default of the wrong type: evc's .avsc reader
// reports it, as Java's parser does) or reported as AMBIGUOUS_FIELD.
func TestCheckPair_FollowsJavaOnDivergences(t *testing.T) {
	for _, d := range corpus.Divergences() {
		t.Run(d.Name, func(t *testing.T) {
			var l diag.List
			rf := avsc.Read("reader.avsc", d.Reader, &l, nil)
			wf := avsc.Read("writer.avsc", d.Writer, &l, nil)
			if d.Java == corpus.JavaThrows && l.HasErrors() {
				return // rejected on input, as Java's parser does
			}
			if l.HasErrors() || rf == nil || wf == nil || rf.Root == nil || wf.Root == nil {
				t.Fatalf("cannot read schemas: %v", l.Err())
			}
			got := CheckPair(rf.Root, wf.Root)
			if ok := compatible(t, rf.Root, wf.Root); ok != (len(got) == 0) {
				t.Fatal("verdicts differ")
			}
			switch d.Java {
			case corpus.JavaCompatible, corpus.JavaIncompatible:
				if (len(got) == 0) != (d.Java == corpus.JavaCompatible) {
					t.Errorf("compatible = %v, Java says %v (%s); incompatibilities: %s", len(got) == 0, d.Java, d.Why, describeAll(got))
				}
			case corpus.JavaThrows:
				if len(got) != 1 || got[0].Kind != AmbiguousField {
					t.Errorf("Java throws (%s); want one AMBIGUOUS_FIELD, got %s", d.Why, describeAll(got))
				}
			default:
				t.Fatalf("bad java verdict %v", d.Java)
			}
		})
	}
}

// compatible returns the verdict of Compatible, after checking that
// CheckPair agrees with it.
func compatible(t testing.TB, r, w *ir.Type) bool {
	t.Helper()
	ok := Compatible(r, w)
	ins := CheckPair(r, w)
	if ok != (len(ins) == 0) {
		t.Errorf("Compatible says %v, CheckPair finds %s", ok, describeAll(ins))
	}
	return ok
}

func describeAll(ins []*Incompatibility) string {
	if len(ins) == 0 {
		return "none"
	}
	var parts []string
	for _, in := range ins {
		parts = append(parts, string(in.Kind)+" at "+in.Location+" ("+in.Path+"): "+in.Message())
	}
	return strings.Join(parts, "; ")
}
