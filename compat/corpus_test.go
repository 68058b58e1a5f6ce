package compat

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// corpusCase is one line of testdata/cases.jsonl (see testdata/NOTICE).
type corpusCase struct {
	Name                 string          `json:"name"`
	Reader               json.RawMessage `json:"reader"`
	Writer               json.RawMessage `json:"writer"`
	Compatible           bool            `json:"compatible"`
	JavaDisagrees        bool            `json:"java_disagrees"`
	JavaError            string          `json:"java_error"`
	OracleDisagrees      bool            `json:"oracle_disagrees"`
	ReverseCompatible    bool            `json:"reverse_compatible"`
	ReverseJavaDisagrees bool            `json:"reverse_java_disagrees"`
}

// java is Avro Java's verdict on reader reads writer. Where Java throws
// (java_error: a reader field that matches two writer fields), evc reports
// AMBIGUOUS_FIELD, an incompatibility: a pair Java cannot resolve is not one
// a registry accepts, and it is what the suite and python3-avro expect.
func (c corpusCase) java() bool {
	if c.JavaError != "" {
		return false
	}
	return c.Compatible != c.JavaDisagrees
}

// javaReverse is Avro Java's verdict with reader and writer swapped.
func (c corpusCase) javaReverse() bool { return c.ReverseCompatible != c.ReverseJavaDisagrees }

// python is python3-avro 1.11.1's verdict, forward and reverse.
func (c corpusCase) python() bool { return c.Compatible != c.OracleDisagrees }

func readCases(t testing.TB, file string) []corpusCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c corpusCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

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
	cases := readCases(t, "testdata/cases.jsonl")
	if len(cases) != 255 {
		t.Fatalf("read %d cases, want 255", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := parseSchema(t, "reader.avsc", c.Reader)
			w := parseSchema(t, "writer.avsc", c.Writer)
			if got, want := compatible(t, r, w), c.java(); got != want {
				t.Errorf("reader reads writer: compatible = %v, Java says %v; incompatibilities: %s", got, want, describeAll(CheckPair(r, w)))
			}
			// The reverse direction: Java's verdict is reverse_compatible
			// (python3-avro's) unless reverse_java_disagrees.
			if got, want := compatible(t, w, r), c.javaReverse(); got != want {
				t.Errorf("writer reads reader: compatible = %v, Java says %v; incompatibilities: %s", got, want, describeAll(CheckPair(w, r)))
			}
		})
	}
}

// divergence is one line of testdata/divergences.jsonl.
type divergence struct {
	Name   string          `json:"name"`
	Reader json.RawMessage `json:"reader"`
	Writer json.RawMessage `json:"writer"`
	Python bool            `json:"python_1_11_1"`
	Java   any             `json:"java"`
	Why    string          `json:"why"`
}

func readDivergences(t testing.TB) []divergence {
	t.Helper()
	data, err := os.ReadFile("testdata/divergences.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out []divergence
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var d divergence
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// TestCheckPair_FollowsJavaOnDivergences holds evc to Java where Java and
// python3-avro 1.11.1 differ. A pair Java throws on is either rejected
// before checking (a field default of the wrong type: evc's .avsc reader
// reports it, as Java's parser does) or reported as AMBIGUOUS_FIELD.
func TestCheckPair_FollowsJavaOnDivergences(t *testing.T) {
	for _, d := range readDivergences(t) {
		t.Run(d.Name, func(t *testing.T) {
			var l diag.List
			rf := avsc.Read("reader.avsc", d.Reader, &l, nil)
			wf := avsc.Read("writer.avsc", d.Writer, &l, nil)
			if d.Java == "error" && l.HasErrors() {
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
			case true, false:
				if (len(got) == 0) != d.Java.(bool) {
					t.Errorf("compatible = %v, Java says %v (%s); incompatibilities: %s", len(got) == 0, d.Java, d.Why, describeAll(got))
				}
			case "error":
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
