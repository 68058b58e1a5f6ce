package evcsrc

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/evc-dev/evc/ir"
)

// normalSchema returns a schema in a normal form, so that two schemas are
// equal in it exactly when Avro reads them as the same schema: object keys in
// order, numbers by value, every name (definition, reference, alias) full,
// "namespace" gone, {"type": "int"} as "int", and a "doc" that is not a
// string dropped (Avro reads it as none). It returns "" and the error for
// text that is not JSON.
func normalSchema(src []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	n := &normalizer{defined: map[string]bool{}}
	return canonicalJSON(n.schema(v, "")), nil
}

type normalizer struct{ defined map[string]bool }

func join(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "." + name
}

func (n *normalizer) ref(name, ns string) string {
	if _, prim := ir.PrimitiveKind(name); prim || strings.Contains(name, ".") {
		return name
	}
	if n.defined[join(ns, name)] {
		return join(ns, name)
	}
	return name // the null namespace, as Avro Java looks it up
}

func (n *normalizer) schema(v any, ns string) any {
	switch s := v.(type) {
	case string:
		return n.ref(s, ns)
	case []any:
		out := make([]any, len(s))
		for i, b := range s {
			out[i] = n.schema(b, ns)
		}
		return out
	case map[string]any:
		typ, isStr := s["type"].(string)
		if !isStr {
			return n.schema(s["type"], ns)
		}
		out := map[string]any{}
		for k, val := range s {
			if _, str := val.(string); k == "doc" && !str {
				continue
			}
			out[k] = val
		}
		switch typ {
		case "record", "error", "enum", "fixed":
			if _, str := s["default"].(string); typ == "enum" && !str {
				delete(out, "default") // Avro reads it as none
			}
			name, _ := s["name"].(string)
			full := name
			if !strings.Contains(name, ".") {
				inner := ns
				if nsv, ok := s["namespace"].(string); ok {
					inner = nsv
				}
				full = join(inner, name)
			}
			n.defined[full] = true
			inner := ""
			if i := strings.LastIndexByte(full, '.'); i >= 0 {
				inner = full[:i]
			}
			delete(out, "namespace")
			out["name"] = full
			if als, ok := s["aliases"].([]any); ok {
				q := make([]any, len(als))
				for i, a := range als {
					a, _ := a.(string)
					switch {
					case strings.HasPrefix(a, "."):
						a = a[1:]
					case !strings.Contains(a, "."):
						a = join(inner, a)
					}
					q[i] = a
				}
				out["aliases"] = q
			}
			if fields, ok := s["fields"].([]any); ok {
				fs := make([]any, len(fields))
				for i, f := range fields {
					fo, _ := f.(map[string]any)
					g := map[string]any{}
					for k, val := range fo {
						if _, str := val.(string); k == "doc" && !str {
							continue
						}
						g[k] = val
					}
					g["type"] = n.schema(fo["type"], inner)
					fs[i] = g
				}
				out["fields"] = fs
			}
			return out
		case "array":
			out["items"] = n.schema(s["items"], ns)
		case "map":
			out["values"] = n.schema(s["values"], ns)
		default:
			if _, prim := ir.PrimitiveKind(typ); !prim {
				return n.ref(typ, ns) // a reference written as an object: Avro drops its attributes
			}
			if len(out) == 1 {
				return typ
			}
		}
		return out
	}
	return v
}

func TestNormalSchema(t *testing.T) {
	same := [][2]string{
		{`{"type":"record","name":"R","namespace":"a","aliases":["Old",".Top"],"doc":null,"fields":[{"name":"f","type":{"type":"int"},"default":1.0}]}`,
			`{"name":"a.R","type":"record","aliases":["a.Old",".Top"],"fields":[{"default":1,"type":"int","name":"f"}]}`},
		{`{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":1}},{"name":"g","type":"F"}]}`,
			`{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","namespace":"a","size":1}},{"name":"g","type":"a.F"}]}`},
	}
	for _, p := range same {
		a, err1 := normalSchema([]byte(p[0]))
		b, err2 := normalSchema([]byte(p[1]))
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("not the same:\n%s\n%s", a, b)
		}
	}
	differ := [][2]string{
		{`{"type":"error","name":"E","fields":[]}`, `{"type":"record","name":"E","fields":[]}`},
		{`{"type":"record","name":"R","doc":"","fields":[]}`, `{"type":"record","name":"R","fields":[]}`},
		{`{"type":"bytes","logicalType":"decimal","precision":4}`, `{"type":"bytes","logicalType":"decimal","precision":4,"scale":0}`},
		{`{"type":"record","name":"R","namespace":"a","aliases":[".Old"],"fields":[]}`, `{"type":"record","name":"R","namespace":"a","aliases":["Old"],"fields":[]}`},
		{`{"type":"record","name":"R","doc":"x ","fields":[]}`, `{"type":"record","name":"R","doc":"x","fields":[]}`},
	}
	for _, p := range differ {
		a, _ := normalSchema([]byte(p[0]))
		b, _ := normalSchema([]byte(p[1]))
		if a == b {
			t.Errorf("the same, but should differ: %s", a)
		}
	}
}
