package avro

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/internal/pyavro"
	"github.com/evc-dev/evc/ir"
)

// TestCanonical_Python compares Canonical with Apache Avro's Python
// implementation: its canonical_form, and a CRC-64-AVRO fingerprint that
// the script computes itself from the specification's algorithm.
func TestCanonical_Python(t *testing.T) {
	pyavro.Require(t, "avro.schema")
	schemas := corpus.Schemas()
	type result struct {
		name string
		pcf  string
		fp   uint64
	}
	var results []result
	var in bytes.Buffer
	for _, s := range schemas {
		name := s.Name
		if strings.Contains(name, "redemption-reversed") {
			continue
		}
		f := readAvsc(t, name, s.Data)
		if f.Root == nil || f.Root.Named == nil {
			continue
		}
		pcf, fp, err := Canonical(f.Root.Named)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		results = append(results, result{name, string(pcf), fp})
		line, _ := json.Marshal(map[string]string{"name": name, "schema": string(SchemaJSON(f.Root.Named, false))})
		in.Write(line)
		in.WriteByte('\n')
	}
	const script = `
import json, re, sys, warnings, avro.schema
warnings.simplefilter("ignore")
# python3-avro 1.11.1 leaves a primitive that had a logical type as an object
# ({"type":"long"}); the specification's [PRIMITIVES] rule, which Java
# follows, writes it as its name.
PRIM = re.compile(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}')
EMPTY = 0xc15d213aa4d7a795
table = []
for i in range(256):
    fp = i
    for _ in range(8):
        fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
    table.append(fp)
def rabin(b):
    fp = EMPTY
    for c in b:
        fp = (fp >> 8) ^ table[(fp ^ c) & 0xff]
    return fp
for line in sys.stdin:
    c = json.loads(line)
    pcf = PRIM.sub(r'"\1"', avro.schema.parse(c["schema"]).canonical_form)
    print(json.dumps({"name": c["name"], "pcf": pcf, "fp": str(rabin(pcf.encode("utf-8")))}))
`
	cmd := exec.Command(pyavro.Python, "-c", script)
	cmd.Stdin = &in
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(results) {
		t.Fatalf("python answered %d of %d", len(lines), len(results))
	}
	same := 0
	for i, l := range lines {
		var py struct{ Name, PCF, FP string }
		if err := json.Unmarshal([]byte(l), &py); err != nil {
			t.Fatal(err)
		}
		r := results[i]
		if py.FP != fmt.Sprint(r.fp) || py.PCF != r.pcf {
			t.Errorf("%s:\n evc    %s %d\n python %s %s", r.name, r.pcf, r.fp, py.PCF, py.FP)
			continue
		}
		same++
	}
	t.Logf("%d canonical forms and fingerprints agree with python3-avro", same)
	if same < 200 {
		t.Errorf("only %d schemas compared", same)
	}
}

func TestCanonical_Known(t *testing.T) {
	// The canonical form strips doc and writes the full name.
	n := &ir.Named{Kind: ir.Fixed, Name: "F", Namespace: "a", Size: 2, Doc: "stripped"}
	pcf, fp, err := Canonical(n)
	if err != nil {
		t.Fatal(err)
	}
	if string(pcf) != `{"name":"a.F","type":"fixed","size":2}` {
		t.Errorf("pcf %s", pcf)
	}
	if fp == 0 {
		t.Error("zero fingerprint")
	}
	// A record field whose type has no definition cannot be written; the
	// compiler never hands such a type to a backend.
	bad := &ir.Named{Kind: ir.Record, Name: "R", Fields: []*ir.Field{{Name: "x", Type: &ir.Type{Kind: ir.Record}}}}
	want := "evc: canonical form of R: a record with no definition"
	if _, _, err := Canonical(bad); err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestCanonical_JavaAccepts checks schemas that Avro Java accepts and
// twmb/avro does not: they have a canonical form all the same, the one
// Java's SchemaNormalization writes.
func TestCanonical_JavaAccepts(t *testing.T) {
	for _, tc := range []struct{ name, schema, pcf string }{
		{"field alias equal to another field's name",
			`{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","aliases":["a"]}]}`,
			`{"name":"R","type":"record","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}`},
		{"decimal scale that is not an integer",
			`{"type":"record","name":"R","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2.5}}]}`,
			`{"name":"R","type":"record","fields":[{"name":"d","type":"bytes"}]}`},
		{"error type, recursive",
			`{"type":"error","name":"E","namespace":"n","fields":[{"name":"next","type":["null","E"]}]}`,
			`{"name":"n.E","type":"record","fields":[{"name":"next","type":["null","n.E"]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readAvsc(t, "s.avsc", []byte(tc.schema))
			pcf, _, err := Canonical(f.Root.Named)
			if err != nil || string(pcf) != tc.pcf {
				t.Errorf("got %s, %v\nwant %s", pcf, err, tc.pcf)
			}
		})
	}
}
