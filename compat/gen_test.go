package compat

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
)

// A small schema model for generating random schemas and evolving them:
// each named type is defined inline exactly once, so the JSON needs no
// references and python3-avro and evc read the same thing.

type gType struct {
	kind        string // an Avro primitive, record, enum, fixed, array, map or union
	logical     string
	name        string // named types: the short name
	namespace   string
	aliases     []string // fully qualified
	fields      []*gField
	symbols     []string
	enumDefault string
	size        int
	items       *gType // array items, map values
	branches    []*gType
}

type gField struct {
	name    string
	typ     *gType
	def     string // JSON text, "" for none
	aliases []string
}

func (t *gType) fullName() string {
	if t.namespace == "" {
		return t.name
	}
	return t.namespace + "." + t.name
}

func (t *gType) clone() *gType {
	if t == nil {
		return nil
	}
	c := *t
	c.aliases = append([]string(nil), t.aliases...)
	c.symbols = append([]string(nil), t.symbols...)
	c.fields = nil
	for _, f := range t.fields {
		nf := *f
		nf.typ = f.typ.clone()
		nf.aliases = append([]string(nil), f.aliases...)
		c.fields = append(c.fields, &nf)
	}
	c.items = t.items.clone()
	c.branches = nil
	for _, b := range t.branches {
		c.branches = append(c.branches, b.clone())
	}
	return &c
}

func jsonStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// JSON renders the type as Avro JSON.
func (t *gType) JSON() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *gType) write(b *strings.Builder) {
	switch t.kind {
	case "record", "enum", "fixed":
		fmt.Fprintf(b, `{"type": %q, "name": %q`, t.kind, t.name)
		if t.namespace != "" {
			fmt.Fprintf(b, `, "namespace": %q`, t.namespace)
		}
		if len(t.aliases) > 0 {
			fmt.Fprintf(b, `, "aliases": %s`, jsonStrings(t.aliases))
		}
		switch t.kind {
		case "record":
			b.WriteString(`, "fields": [`)
			for i, f := range t.fields {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(b, `{"name": %q, "type": `, f.name)
				f.typ.write(b)
				if f.def != "" {
					fmt.Fprintf(b, `, "default": %s`, f.def)
				}
				if len(f.aliases) > 0 {
					fmt.Fprintf(b, `, "aliases": %s`, jsonStrings(f.aliases))
				}
				b.WriteString("}")
			}
			b.WriteString("]")
		case "enum":
			fmt.Fprintf(b, `, "symbols": %s`, jsonStrings(t.symbols))
			if t.enumDefault != "" {
				fmt.Fprintf(b, `, "default": %q`, t.enumDefault)
			}
		case "fixed":
			fmt.Fprintf(b, `, "size": %d`, t.size)
		}
		b.WriteString("}")
	case "array":
		b.WriteString(`{"type": "array", "items": `)
		t.items.write(b)
		b.WriteString("}")
	case "map":
		b.WriteString(`{"type": "map", "values": `)
		t.items.write(b)
		b.WriteString("}")
	case "union":
		b.WriteString("[")
		for i, br := range t.branches {
			if i > 0 {
				b.WriteString(", ")
			}
			br.write(b)
		}
		b.WriteString("]")
	default:
		if t.logical != "" {
			fmt.Fprintf(b, `{"type": %q, "logicalType": %q}`, t.kind, t.logical)
		} else {
			fmt.Fprintf(b, "%q", t.kind)
		}
	}
}

// defaultJSON returns a valid default for t.
func defaultJSON(t *gType) string {
	switch t.kind {
	case "null":
		return "null"
	case "boolean":
		return "false"
	case "int", "long":
		return "1"
	case "float", "double":
		return "1.5"
	case "string", "bytes":
		return `"a"`
	case "enum":
		return strconv.Quote(t.symbols[0])
	case "fixed":
		return strconv.Quote(strings.Repeat("x", t.size))
	case "array":
		return "[]"
	case "map":
		return "{}"
	case "union":
		return defaultJSON(t.branches[0])
	case "record":
		var parts []string
		for _, f := range t.fields {
			parts = append(parts, strconv.Quote(f.name)+": "+defaultJSON(f.typ))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "null"
}

var primitives = []string{"null", "boolean", "int", "long", "float", "double", "bytes", "string"}

// gen generates random schemas with unique type names.
type gen struct {
	r    *rand.Rand
	next int
}

func (g *gen) newName(prefix string) string {
	g.next++
	return prefix + strconv.Itoa(g.next)
}

func (g *gen) primitive() *gType {
	k := primitives[1+g.r.Intn(len(primitives)-1)]
	t := &gType{kind: k}
	if k == "long" && g.r.Intn(6) == 0 {
		t.logical = "timestamp-millis"
	}
	return t
}

func (g *gen) typ(depth int) *gType {
	n := g.r.Intn(12)
	if depth >= 3 {
		n = g.r.Intn(5)
	}
	switch n {
	case 0, 1, 2, 3:
		return g.primitive()
	case 4:
		return g.union(depth)
	case 5:
		return g.enum()
	case 6:
		return &gType{kind: "fixed", name: g.newName("F"), namespace: "gen", size: 1 + g.r.Intn(4)}
	case 7:
		return &gType{kind: "array", items: g.typ(depth + 1)}
	case 8:
		return &gType{kind: "map", items: g.typ(depth + 1)}
	default:
		return g.record(depth + 1)
	}
}

func (g *gen) enum() *gType {
	t := &gType{kind: "enum", name: g.newName("E"), namespace: "gen"}
	for i := 0; i < 1+g.r.Intn(4); i++ {
		t.symbols = append(t.symbols, "S"+strconv.Itoa(i))
	}
	if g.r.Intn(4) == 0 {
		t.enumDefault = t.symbols[0]
	}
	return t
}

// union returns a union of distinct branches: at most one of each unnamed
// kind, nested unions never.
func (g *gen) union(depth int) *gType {
	t := &gType{kind: "union"}
	seen := map[string]bool{}
	if g.r.Intn(2) == 0 {
		t.branches = append(t.branches, &gType{kind: "null"})
		seen["null"] = true
	}
	for len(t.branches) < 2 || (len(t.branches) < 4 && g.r.Intn(2) == 0) {
		var b *gType
		if depth < 3 && g.r.Intn(4) == 0 {
			b = g.record(depth + 1)
		} else if g.r.Intn(5) == 0 {
			b = &gType{kind: "array", items: g.primitive()}
		} else {
			b = &gType{kind: primitives[g.r.Intn(len(primitives))]}
		}
		key := b.kind
		if b.kind == "record" {
			key = b.fullName()
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		t.branches = append(t.branches, b)
	}
	return t
}

func (g *gen) record(depth int) *gType {
	t := &gType{kind: "record", name: g.newName("R"), namespace: "gen"}
	for i := 0; i < 1+g.r.Intn(4); i++ {
		f := &gField{name: "f" + strconv.Itoa(i), typ: g.typ(depth)}
		if g.r.Intn(3) == 0 {
			f.def = defaultJSON(f.typ)
		}
		t.fields = append(t.fields, f)
	}
	return t
}

// records returns every record in t, t first.
func records(t *gType) []*gType {
	var out []*gType
	var walk func(*gType)
	walk = func(x *gType) {
		if x == nil {
			return
		}
		if x.kind == "record" {
			out = append(out, x)
			for _, f := range x.fields {
				walk(f.typ)
			}
		}
		walk(x.items)
		for _, b := range x.branches {
			walk(b)
		}
	}
	walk(t)
	return out
}

// all returns every type node in t.
func all(t *gType) []*gType {
	var out []*gType
	var walk func(*gType)
	walk = func(x *gType) {
		if x == nil {
			return
		}
		out = append(out, x)
		for _, f := range x.fields {
			walk(f.typ)
		}
		walk(x.items)
		for _, b := range x.branches {
			walk(b)
		}
	}
	walk(t)
	return out
}

var promotionsOf = map[string][]string{
	"int": {"long", "float", "double"}, "long": {"float", "double", "int"}, "float": {"double", "long"},
	"double": {"float"}, "string": {"bytes"}, "bytes": {"string"}, "boolean": {"int"}, "null": {"string"},
}

// evolve applies one to three random changes to a copy of t.
func (g *gen) evolve(t *gType) *gType {
	v := t.clone()
	for i := 0; i < 1+g.r.Intn(3); i++ {
		g.mutate(v)
	}
	return v
}

func (g *gen) mutate(root *gType) {
	recs := records(root)
	nodes := all(root)
	rec := recs[g.r.Intn(len(recs))]
	switch g.r.Intn(14) {
	case 0: // add a field, with or without a default
		f := &gField{name: g.newName("n"), typ: g.typ(2)}
		if g.r.Intn(2) == 0 {
			f.def = defaultJSON(f.typ)
		}
		rec.fields = append(rec.fields, f)
	case 1: // remove a field
		if len(rec.fields) > 1 {
			i := g.r.Intn(len(rec.fields))
			rec.fields = append(rec.fields[:i], rec.fields[i+1:]...)
		}
	case 2: // give a field a default, or take it away
		f := rec.fields[g.r.Intn(len(rec.fields))]
		if f.def == "" {
			f.def = defaultJSON(f.typ)
		} else {
			f.def = ""
		}
	case 3: // change a field's primitive type (promotion or not)
		f := rec.fields[g.r.Intn(len(rec.fields))]
		if ps, ok := promotionsOf[f.typ.kind]; ok {
			f.typ = &gType{kind: ps[g.r.Intn(len(ps))]}
			if f.def != "" {
				f.def = defaultJSON(f.typ)
			}
		}
	case 4: // rename a field, with or without an alias
		f := rec.fields[g.r.Intn(len(rec.fields))]
		old := f.name
		f.name = g.newName("m")
		if g.r.Intn(2) == 0 {
			f.aliases = append(f.aliases, old)
		}
	case 5: // rename a record, with or without an alias
		old := rec.fullName()
		rec.name = g.newName("R")
		if g.r.Intn(2) == 0 {
			rec.aliases = append(rec.aliases, old)
		}
	case 6, 7: // enums: add or remove a symbol, add or drop a default
		for _, n := range nodes {
			if n.kind != "enum" {
				continue
			}
			switch g.r.Intn(3) {
			case 0:
				n.symbols = append(n.symbols, g.newName("S"))
			case 1:
				if len(n.symbols) > 1 {
					i := g.r.Intn(len(n.symbols))
					if n.symbols[i] != n.enumDefault {
						n.symbols = append(n.symbols[:i], n.symbols[i+1:]...)
					}
				}
			case 2:
				if n.enumDefault == "" {
					n.enumDefault = n.symbols[0]
				} else {
					n.enumDefault = ""
				}
			}
			break
		}
	case 8: // fixed: change the size
		for _, n := range nodes {
			if n.kind == "fixed" {
				n.size++
				break
			}
		}
	case 9: // make a field optional, or a union field plain
		f := rec.fields[g.r.Intn(len(rec.fields))]
		if f.typ.kind == "union" {
			for _, b := range f.typ.branches {
				if b.kind != "null" {
					f.typ = b
					break
				}
			}
		} else if f.typ.kind != "null" {
			f.typ = &gType{kind: "union", branches: []*gType{{kind: "null"}, f.typ}}
		}
		if f.def != "" {
			f.def = defaultJSON(f.typ)
		}
	case 10: // unions: add or drop a branch
		for _, n := range nodes {
			if n.kind != "union" {
				continue
			}
			if g.r.Intn(2) == 0 && len(n.branches) > 1 {
				n.branches = n.branches[:len(n.branches)-1]
			} else {
				have := map[string]bool{}
				for _, b := range n.branches {
					have[b.kind] = true
				}
				for _, k := range primitives {
					if !have[k] {
						n.branches = append(n.branches, &gType{kind: k})
						break
					}
				}
			}
			break
		}
	case 11: // array or map items change
		for _, n := range nodes {
			if n.kind == "array" || n.kind == "map" {
				if ps, ok := promotionsOf[n.items.kind]; ok {
					n.items = &gType{kind: ps[g.r.Intn(len(ps))]}
				}
				break
			}
		}
	case 12: // a field changes kind entirely
		f := rec.fields[g.r.Intn(len(rec.fields))]
		f.typ = g.typ(3)
		if f.def != "" {
			f.def = defaultJSON(f.typ)
		}
	case 13: // logical type dropped or added: Avro ignores it
		for _, n := range nodes {
			if n.kind == "long" {
				if n.logical == "" {
					n.logical = "timestamp-micros"
				} else {
					n.logical = ""
				}
				break
			}
		}
	}
	// Defaults of fields whose union changed may no longer fit their first
	// branch: recompute every default.
	for _, r := range records(root) {
		for _, f := range r.fields {
			if f.def != "" {
				f.def = defaultJSON(f.typ)
			}
		}
	}
}
