package resolve

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// wrap puts a schema in a one-field record, as backend/golang's corpus test
// does, so that every pair has a record at its root.
func wrap(schema json.RawMessage) string {
	return `{"type":"record","name":"Wrap","fields":[{"name":"v","type":` + string(schema) + `}]}`
}

type pair struct{ name, writer, reader string }

// corpusPairs returns every (writer, reader) pair of the corpus: Avro's
// compatibility cases and both directions of the java-master pairs.
func corpusPairs() []pair {
	var ps []pair
	for _, c := range corpus.Cases() {
		ps = append(ps, pair{c.Name, wrap(c.Writer), wrap(c.Reader)},
			pair{c.Name + " (reversed)", wrap(c.Reader), wrap(c.Writer)})
	}
	for _, p := range corpus.Pairs() {
		name := "java-master-pairs line " + itoa(p.Line)
		ps = append(ps, pair{name + " backward", string(p.Old), string(p.New)},
			pair{name + " forward", string(p.New), string(p.Old)})
	}
	return ps
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestPlan_Corpus checks, for every compatible pair of the corpus, that
// random writer data transcoded by the plan decodes with the reader's
// schema to the value that twmb/avro's own resolution gives (the generic
// path), and that both fail on the same data; and that every incompatible
// pair still gives the generic path's typed error.
func TestPlan_Corpus(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	planned, compatible, compared := 0, 0, 0
	for _, p := range corpusPairs() {
		res := resolve(p.writer, readerType(p.reader))
		if res.err != nil {
			if !strings.HasPrefix(res.err.Error(), "the type cannot read data written with this schema") &&
				!strings.Contains(res.err.Error(), "does not parse") {
				t.Errorf("%s: error %v", p.name, res.err)
			}
			continue
		}
		if res.same {
			continue
		}
		compatible++
		if res.plan == nil {
			t.Errorf("%s: no plan for a compatible pair", p.name)
			continue
		}
		planned++
		w := mustPlain(t, p.writer)
		gen := &generator{rng: rng, names: map[string]*avro.SchemaNode{}}
		root := w.Root()
		collect(root, "", gen.names)
		for i := range 20 {
			data := gen.value(nil, root, "", 0)
			want, werr := genericBytes(res, data)
			got, gerr := transcode(res.plan, nil, data)
			if gerr == nil {
				gerr = checkReader(res.reader, got)
			}
			if (werr != nil) != (gerr != nil) {
				t.Errorf("%s #%d (data %x): generic path error %v, plan error %v", p.name, i, data, werr, gerr)
				break
			}
			if werr != nil {
				continue
			}
			compared++
			if !sameValue(t, res.reader, want, got) {
				t.Errorf("%s #%d (data %x): plan gives %x, generic path %x", p.name, i, data, got, want)
				break
			}
		}
	}
	if planned < 300 {
		t.Errorf("only %d of %d compatible pairs have a plan", planned, compatible)
	}
	if compared < 20*planned/2 {
		t.Errorf("only %d values compared", compared)
	}
	t.Logf("%d compatible pairs, %d planned, %d values compared", compatible, planned, compared)
}

func mustPlain(t testing.TB, schema string) *avro.Schema {
	s, err := parsePlain(schema)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// genericBytes is the generic path up to the reader's encoding.
func genericBytes(r *resolution, data []byte) ([]byte, error) {
	var v any
	rest, err := r.resolved.Decode(data, &v, avro.TaggedUnions())
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("trailing")
	}
	return r.reader.AppendEncode(nil, v)
}

func checkReader(s *avro.Schema, data []byte) error {
	var v any
	rest, err := s.Decode(data, &v)
	if err == nil && len(rest) != 0 {
		err = errors.New("trailing")
	}
	return err
}

func sameValue(t *testing.T, s *avro.Schema, a, b []byte) bool {
	if string(a) == string(b) {
		return true
	}
	var va, vb any
	if _, err := s.Decode(a, &va, avro.TaggedUnions()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decode(b, &vb, avro.TaggedUnions()); err != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// generator writes random data valid for a schema, with both positive and
// negative (sized) array and map blocks.
type generator struct {
	rng   *rand.Rand
	names map[string]*avro.SchemaNode
}

func (g *generator) value(dst []byte, n *avro.SchemaNode, ns string, depth int) []byte {
	if depth > 40 {
		return dst // a type without a finite value: invalid data
	}
	n, ns = deref(n, ns, g.names)
	switch kindOf(n.Type) {
	case "null":
	case "boolean":
		dst = append(dst, byte(g.rng.IntN(2)))
	case "int":
		dst = avrobin.AppendInt(dst, int32(g.rng.Uint32())>>g.rng.IntN(32))
	case "long":
		dst = avrobin.AppendLong(dst, int64(g.rng.Uint64())>>g.rng.IntN(64))
	case "float":
		dst = avrobin.AppendFloat(dst, float32(g.rng.NormFloat64()*1e3))
	case "double":
		dst = avrobin.AppendDouble(dst, g.rng.NormFloat64()*1e6)
	case "string", "bytes":
		s := make([]byte, g.rng.IntN(6))
		for i := range s {
			s[i] = 'a' + byte(g.rng.IntN(26))
		}
		dst = avrobin.AppendBytes(dst, s)
	case "fixed":
		for range n.Size {
			dst = append(dst, byte(g.rng.Uint32()))
		}
	case "enum":
		dst = avrobin.AppendInt(dst, int32(g.rng.IntN(len(n.Symbols))))
	case "union":
		if len(n.Branches) == 0 {
			return dst // no value; both paths must fail
		}
		i := g.rng.IntN(len(n.Branches))
		if depth > 6 {
			for j := range n.Branches {
				if n.Branches[j].Type == "null" {
					i = j
				}
			}
		}
		dst = avrobin.AppendLong(dst, int64(i))
		dst = g.value(dst, &n.Branches[i], ns, depth+1)
	case "array", "map":
		blocks := g.rng.IntN(3)
		if depth > 6 {
			blocks = 0
		}
		for range blocks {
			count := 1 + g.rng.IntN(3)
			var items []byte
			for range count {
				if n.Type == "map" {
					items = avrobin.AppendBytes(items, []byte{'k', byte('a' + g.rng.IntN(26))})
					items = g.value(items, n.Values, ns, depth+1)
				} else {
					items = g.value(items, n.Items, ns, depth+1)
				}
			}
			if g.rng.IntN(2) == 0 {
				dst = avrobin.AppendLong(dst, int64(count))
			} else {
				dst = avrobin.AppendLong(avrobin.AppendLong(dst, -int64(count)), int64(len(items)))
			}
			dst = append(dst, items...)
		}
		dst = append(dst, 0)
	case "record":
		for i := range n.Fields {
			dst = g.value(dst, &n.Fields[i].Type, ns, depth+1)
		}
	}
	return dst
}

// A map holds strings in its keys whatever its values: a plan that leaves
// a newer writer's fields out of the copy strings are sliced from must
// keep a map<null> in it (backend/golang's TestGenerate_Accepted found
// its keys read from outside the copy).
func TestPlan_MapKeysAreStrings(t *testing.T) {
	const reader = `{"type":"record","name":"R","fields":[{"name":"b","type":{"type":"map","values":"null"}}]}`
	const writer = `{"type":"record","name":"R","fields":[{"name":"skipped","type":["null","string","long"]},{"name":"b","type":{"type":"map","values":"null"}}]}`
	p := planFor(t, writer, reader)
	if !p.scanTop {
		t.Fatal("the plan does not leave the skipped field out of the copy; the test no longer covers it")
	}
	for _, f := range p.top {
		if f.keep && !f.bytes {
			t.Errorf("the kept map is not marked as holding strings")
		}
	}
}
