package golang

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type vector struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Hex    string          `json:"hex"`
}

func readVectors(t *testing.T) []vector {
	data, err := os.ReadFile("testdata/corpus/vectors.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	return vs
}

// TestGenerate_Vectors decodes every binary vector of the corpus with code
// generated for its schema, compares the value with what twmb/avro decodes,
// and re-encodes it to the same bytes. The one allowed difference is a map
// of several entries, whose order a Go map does not keep (generated code
// writes keys sorted); twmb/avro must then read the same value back.
func TestGenerate_Vectors(t *testing.T) {
	h := newHarness(t)
	vs := readVectors(t)
	for _, v := range vs {
		schema := wrapSchema(v.Schema)
		s, root, err := readAvsc(v.Name+".avsc", []byte(schema))
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		id, err := h.add(s, root)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		h.cases = append(h.cases, harnessCase{kind: "vector", name: v.Name, hex: v.Hex, schema: schema, goType: id})
	}
	results := h.run()
	reordered := 0
	for _, v := range vs {
		r, ok := results[v.Name]
		switch {
		case !ok:
			t.Errorf("%s: no result", v.Name)
		case r.Status == "reordered" && strings.Contains(string(v.Schema), `"map"`):
			reordered++
		case r.Status != "ok":
			t.Errorf("%s: %s: %s", v.Name, r.Status, r.Detail)
		}
	}
	t.Logf("%d vectors, %d re-encoded with map keys sorted", len(vs), reordered)
}
