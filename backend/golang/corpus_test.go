package golang

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/evc-dev/evc/internal/corpus"
)

// wrapAlways wraps a schema in a one-field record, so that a reader and
// its writer are wrapped alike.
func wrapAlways(schema json.RawMessage) string {
	return `{"type":"record","name":"Wrap","fields":[{"name":"v","type":` + string(schema) + `}]}`
}

// TestGenerate_Corpus generates Go for the whole corpus into one temporary
// tree, vets it, and runs one harness program over it:
//
//   - vectors: every binary vector decodes with the code generated for its
//     schema to the value twmb/avro decodes, and re-encodes to the same
//     bytes. The one allowed difference is a map of several entries, whose
//     order a Go map does not keep (generated code writes keys sorted);
//     twmb/avro must then read the same value back.
//   - openedx: for each of the valid real Open edX schemas, random values
//     that twmb/avro encodes decode to the same value with the generated
//     code, which re-encodes them to the same bytes.
//   - resolve: for every pair of compat/cases.jsonl that Avro Java deems
//     compatible, and one java-master pair in 24 in each direction Java
//     deems compatible, random data encoded with the writer decodes with
//     resolve.DecodeFrom into the reader's generated type to the value
//     twmb/avro's resolved decode gives, field by field and transcoded
//     whole.
func TestGenerate_Corpus(t *testing.T) {
	h := newHarness(t)

	vectors := corpus.Vectors()
	for _, v := range vectors {
		schema := wrapSchema(v.Schema)
		s, root, err := readAvsc(v.Name+".avsc", []byte(schema))
		if err != nil {
			t.Fatalf("vector %s: %v", v.Name, err)
		}
		id, err := h.add(s, root)
		if err != nil {
			t.Fatalf("vector %s: %v", v.Name, err)
		}
		h.cases = append(h.cases, harnessCase{kind: "vector", name: "vector:" + v.Name, hex: v.Hex, schema: schema, goType: id})
	}

	var openedx []string
	for _, f := range corpus.OpenEdx() {
		src := f.Data
		s, root, err := readAvsc(f.Name, src)
		if err != nil {
			// The corpus has one invalid schema, with a hyphen in its
			// namespace; the compiler rejects it.
			if strings.Contains(f.Name, "redemption-reversed") {
				continue
			}
			t.Fatalf("%s: %v", f.Name, err)
		}
		id, err := h.add(s, root)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		name := "openedx:" + f.Name
		openedx = append(openedx, name)
		h.cases = append(h.cases, harnessCase{kind: "random", name: name, schema: string(src), goType: id})
	}
	if len(openedx) != 71 {
		t.Errorf("%d valid Open edX schemas, want 71", len(openedx))
	}

	var resolve []string
	for _, c := range corpus.Cases() {
		if !c.Java() {
			continue // Avro Java does not deem the pair compatible
		}
		writer, reader := wrapAlways(c.Writer), wrapAlways(c.Reader)
		s, root, err := readAvsc("reader.avsc", []byte(reader))
		if err != nil {
			t.Errorf("resolve %s: reader: %v", c.Name, err)
			continue
		}
		id, err := h.add(s, root)
		if err != nil {
			t.Fatalf("resolve %s: %v", c.Name, err)
		}
		name := "resolve:" + c.Name
		resolve = append(resolve, name)
		h.cases = append(h.cases, harnessCase{kind: "resolve", name: name, writer: writer, reader: reader, goType: id})
	}

	// A sample of the java-master pairs (one line in 24), in the
	// directions Avro Java deems compatible: a third are recursive.
	for _, p := range corpus.Pairs() {
		if p.Line%24 != 0 {
			continue
		}
		for _, d := range []struct {
			dir            string
			ok             bool
			writer, reader json.RawMessage
		}{{"backward", p.Java.Backward, p.Old, p.New}, {"forward", p.Java.Forward, p.New, p.Old}} {
			// The writer's random strings are no UUIDs where the
			// reader reads a string as one.
			if !d.ok || strings.Count(string(d.reader), `"uuid"`) > strings.Count(string(d.writer), `"uuid"`) {
				continue
			}
			s, root, err := readAvsc("reader.avsc", d.reader)
			if err != nil {
				continue // a reader the compiler refuses has no generated code
			}
			id, err := h.add(s, root)
			if err != nil {
				t.Fatalf("java-master-pairs line %d %s: %v", p.Line, d.dir, err)
			}
			name := fmt.Sprintf("resolve:java-master-pairs line %d %s", p.Line, d.dir)
			resolve = append(resolve, name)
			h.cases = append(h.cases, harnessCase{kind: "resolve", name: name, writer: string(d.writer), reader: string(d.reader), goType: id})
		}
	}

	results := h.run()
	t.Run("vectors", func(t *testing.T) {
		reordered := 0
		for _, v := range vectors {
			r, ok := results["vector:"+v.Name]
			switch {
			case !ok:
				t.Errorf("%s: no result", v.Name)
			case r.Status == "reordered" && strings.Contains(string(v.Schema), `"map"`):
				reordered++
			case r.Status != "ok":
				t.Errorf("%s: %s: %s", v.Name, r.Status, r.Detail)
			}
		}
		t.Logf("%d vectors, %d re-encoded with map keys sorted", len(vectors), reordered)
	})
	check := func(t *testing.T, names []string) {
		for _, n := range names {
			r, ok := results[n]
			switch {
			case !ok:
				t.Errorf("%s: no result", n)
			case r.Status != "ok":
				t.Errorf("%s: %s: %s", n, r.Status, r.Detail)
			}
		}
		t.Logf("%d cases", len(names))
	}
	t.Run("openedx", func(t *testing.T) { check(t, openedx) })
	t.Run("resolve", func(t *testing.T) { check(t, resolve) })
}
