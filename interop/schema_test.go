package interop_test

import (
	"encoding/json"
	"fmt"
	"strings"
)

// node is an Avro schema as the canonical-value code walks it.
type node struct {
	kind     string // null, boolean, int, ..., record, enum, fixed, array, map, union
	logical  string
	name     string // full name of a named type
	scale    int
	prec     int
	size     int
	symbols  []string
	fields   []field
	items    *node // array
	values   *node // map
	branches []*node
}

type field struct {
	name string
	typ  *node
	def  any // the default, as JSON; hasDef says whether there is one
	has  bool
}

// parseSchema reads an Avro schema in JSON; named types are shared by name.
func parseSchema(text string) (*node, error) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, err
	}
	p := &schemaParser{named: map[string]*node{}}
	return p.parse(v, "")
}

type schemaParser struct {
	named map[string]*node
}

func fullName(name, ns string) string {
	if strings.Contains(name, ".") || ns == "" {
		return name
	}
	return ns + "." + name
}

func (p *schemaParser) parse(v any, ns string) (*node, error) {
	switch v := v.(type) {
	case string:
		switch v {
		case "null", "boolean", "int", "long", "float", "double", "bytes", "string":
			return &node{kind: v}, nil
		}
		if n := p.named[fullName(v, ns)]; n != nil {
			return n, nil
		}
		if n := p.named[v]; n != nil {
			return n, nil
		}
		return nil, fmt.Errorf("unknown type %q", v)
	case []any:
		u := &node{kind: "union"}
		for _, b := range v {
			bn, err := p.parse(b, ns)
			if err != nil {
				return nil, err
			}
			u.branches = append(u.branches, bn)
		}
		return u, nil
	case map[string]any:
		t, _ := v["type"].(string)
		n := &node{kind: t}
		n.logical, _ = v["logicalType"].(string)
		if f, ok := v["scale"].(float64); ok {
			n.scale = int(f)
		}
		if f, ok := v["precision"].(float64); ok {
			n.prec = int(f)
		}
		switch t {
		case "record", "error", "enum", "fixed":
			n.kind = t
			if t == "error" {
				n.kind = "record"
			}
			name, _ := v["name"].(string)
			if s, ok := v["namespace"].(string); ok && !strings.Contains(name, ".") {
				ns = s
			}
			n.name = fullName(name, ns)
			if i := strings.LastIndexByte(n.name, '.'); i >= 0 {
				ns = n.name[:i]
			} else {
				ns = ""
			}
			p.named[n.name] = n
			switch t {
			case "enum":
				for _, s := range v["symbols"].([]any) {
					n.symbols = append(n.symbols, s.(string))
				}
			case "fixed":
				n.size = int(v["size"].(float64))
			default:
				for _, f := range v["fields"].([]any) {
					fm := f.(map[string]any)
					ft, err := p.parse(fm["type"], ns)
					if err != nil {
						return nil, err
					}
					def, has := fm["default"]
					n.fields = append(n.fields, field{name: fm["name"].(string), typ: ft, def: def, has: has})
				}
			}
		case "array":
			items, err := p.parse(v["items"], ns)
			if err != nil {
				return nil, err
			}
			n.items = items
		case "map":
			values, err := p.parse(v["values"], ns)
			if err != nil {
				return nil, err
			}
			n.values = values
		default:
			prim, err := p.parse(t, ns)
			if err != nil {
				return nil, err
			}
			if prim.name != "" {
				return prim, nil
			}
			n.kind = prim.kind
		}
		return n, nil
	}
	return nil, fmt.Errorf("unreadable schema %v", v)
}

// branchName is a union branch's name in Avro's JSON encoding.
func (n *node) branchName() string {
	if n.name != "" {
		return n.name
	}
	return n.kind
}
