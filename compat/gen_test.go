package compat

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// A small schema model for generating random schemas and evolving them:
// each named type is defined inline exactly once, and the only references
// by name are recursive ones ("ref"), from a record to itself or to a record
// around it, through an optional, an array, a map or a wider union, so that
// every reference follows its definition and python3-avro and evc read the
// same thing.

type gType struct {
	kind        string // an Avro primitive, record, enum, fixed, array, map, union, or ref
	logical     string
	precision   int // decimals
	scale       int
	ref         string // ref: the full name of the record referred to
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
			if t.logical == "decimal" {
				fmt.Fprintf(b, `, "logicalType": "decimal", "precision": %d, "scale": %d`, t.precision, t.scale)
			}
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
	case "ref":
		fmt.Fprintf(b, "%q", t.ref)
	default:
		if t.logical == "decimal" {
			fmt.Fprintf(b, `{"type": %q, "logicalType": "decimal", "precision": %d, "scale": %d}`, t.kind, t.precision, t.scale)
		} else if t.logical != "" {
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
	// shapes counts the recursive references made, by shape: "self" or
	// "mutual", "namespaces" (to a record of another namespace), and the
	// container ("optional", "union", "array", "map").
	shapes map[string]int
}

func (g *gen) newName(prefix string) string {
	g.next++
	return prefix + strconv.Itoa(g.next)
}

func (g *gen) primitive() *gType {
	k := primitives[1+g.r.Intn(len(primitives)-1)]
	t := &gType{kind: k}
	switch {
	case k == "long" && g.r.Intn(6) == 0:
		t.logical = "timestamp-millis"
	case k == "bytes" && g.r.Intn(4) == 0:
		t.logical, t.precision, t.scale = "decimal", 1+g.r.Intn(12), 0
		t.scale = g.r.Intn(t.precision + 1)
	}
	return t
}

// namespace returns the generator's namespace, or now and then another, so
// that named types live in several.
func (g *gen) namespace() string {
	if g.r.Intn(4) == 0 {
		return "gen.other"
	}
	return "gen"
}

func (g *gen) fixed() *gType {
	t := &gType{kind: "fixed", name: g.newName("F"), namespace: g.namespace(), size: 1 + g.r.Intn(4)}
	if g.r.Intn(3) == 0 {
		// A decimal on a fixed: size 4 holds 9 digits.
		t.size = 4 + g.r.Intn(4)
		t.logical, t.precision = "decimal", 1+g.r.Intn(9)
		t.scale = g.r.Intn(t.precision + 1)
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
		return g.fixed()
	case 7:
		return &gType{kind: "array", items: g.typ(depth + 1)}
	case 8:
		return &gType{kind: "map", items: g.typ(depth + 1)}
	default:
		return g.record(depth + 1)
	}
}

func (g *gen) enum() *gType {
	t := &gType{kind: "enum", name: g.newName("E"), namespace: g.namespace()}
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
	ns := "gen"
	if depth > 0 {
		ns = g.namespace()
	}
	t := &gType{kind: "record", name: g.newName("R"), namespace: ns}
	for i := 0; i < 1+g.r.Intn(4); i++ {
		f := &gField{name: "f" + strconv.Itoa(i), typ: g.typ(depth)}
		if g.r.Intn(3) == 0 {
			f.def = defaultJSON(f.typ)
		}
		t.fields = append(t.fields, f)
	}
	return t
}

// backRef returns a type that refers to the record called full, in one of
// the shapes recursion takes in real schemas, and its default.
func (g *gen) backRef(full string) (*gType, string) {
	ref := &gType{kind: "ref", ref: full}
	switch g.r.Intn(4) {
	case 0:
		return &gType{kind: "array", items: ref}, "[]"
	case 1:
		return &gType{kind: "map", items: ref}, "{}"
	case 2:
		return &gType{kind: "union", branches: []*gType{{kind: "null"}, {kind: "string"}, ref}}, "null"
	}
	return &gType{kind: "union", branches: []*gType{{kind: "null"}, ref}}, "null"
}

// recursive makes t recursive: one to three records get a field that refers
// back to themselves or to a record around them (self-recursion, mutual
// recursion through the records between, across namespaces when they
// differ), through an optional, a union, an array or a map. The field has
// a default or not, as any field.
func (g *gen) recursive(t *gType) {
	for i := 0; i < 1+g.r.Intn(3); i++ {
		paths := recordPaths(t)
		path := paths[g.r.Intn(len(paths))]
		from := path[len(path)-1]
		to := path[g.r.Intn(len(path))]
		typ, def := g.backRef(to.fullName())
		if g.shapes == nil {
			g.shapes = map[string]int{}
		}
		switch {
		case from == to:
			g.shapes["self"]++
		default:
			g.shapes["mutual"]++
		}
		if from.namespace != to.namespace {
			g.shapes["namespaces"]++
		}
		switch {
		case typ.kind != "union":
			g.shapes[typ.kind]++
		case len(typ.branches) == 2:
			g.shapes["optional"]++
		default:
			g.shapes["union"]++
		}
		f := &gField{name: g.newName("back"), typ: typ}
		if g.r.Intn(2) == 0 {
			f.def = def
		}
		from.fields = append(from.fields, f)
	}
	refreshDefaults(t)
}

// recordPaths returns, for every record in t, the records from t down to
// it, through fields, items, values and branches.
func recordPaths(t *gType) [][]*gType {
	var out [][]*gType
	var walk func(x *gType, path []*gType)
	walk = func(x *gType, path []*gType) {
		if x == nil {
			return
		}
		if x.kind == "record" {
			path = append(path[:len(path):len(path)], x)
			out = append(out, path)
			for _, f := range x.fields {
				walk(f.typ, path)
			}
		}
		walk(x.items, path)
		for _, b := range x.branches {
			walk(b, path)
		}
	}
	walk(t, nil)
	return out
}

// records returns every record in t, t first.
func records(t *gType) []*gType {
	var out []*gType
	for _, p := range recordPaths(t) {
		out = append(out, p[len(p)-1])
	}
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

// directRef returns the record a back reference of the shapes backRef
// makes refers to: t's items, values or a branch; "" when t is none.
func directRef(t *gType) string {
	if t.items != nil && t.items.kind == "ref" {
		return t.items.ref
	}
	for _, b := range t.branches {
		if b.kind == "ref" {
			return b.ref
		}
	}
	return ""
}

// renameRefs points the references to the named type once called old at
// its new full name.
func renameRefs(root *gType, old, new string) {
	for _, n := range all(root) {
		if n.kind == "ref" && n.ref == old {
			n.ref = new
		}
	}
}

// promotionsOf lists, for each primitive, types to change it to: every
// promotion Avro has, and some changes that are none.
var promotionsOf = map[string][]string{
	"int": {"long", "float", "double", "string"}, "long": {"float", "double", "int"}, "float": {"double", "long", "int"},
	"double": {"float", "int"}, "string": {"bytes", "int"}, "bytes": {"string", "long"}, "boolean": {"int"}, "null": {"string"},
}

// evolve applies one to three random changes to a copy of t.
func (g *gen) evolve(t *gType) *gType {
	v := t.clone()
	for i := 0; i < 1+g.r.Intn(3); i++ {
		g.mutate(v)
	}
	return v
}

// named returns the named types of root of the given kinds.
func named(root *gType, kinds ...string) []*gType {
	var out []*gType
	for _, n := range all(root) {
		for _, k := range kinds {
			if n.kind == k {
				out = append(out, n)
			}
		}
	}
	return out
}

func (g *gen) mutate(root *gType) {
	recs := records(root)
	nodes := all(root)
	rec := recs[g.r.Intn(len(recs))]
	switch g.r.Intn(19) {
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
	case 5: // rename a record, enum or fixed, with or without an alias
		ns := named(root, "record", "enum", "fixed")
		n := ns[g.r.Intn(len(ns))]
		old := n.fullName()
		n.name = g.newName(strings.ToUpper(n.kind[:1]))
		if g.r.Intn(2) == 0 {
			n.aliases = append(n.aliases, old)
		}
		renameRefs(root, old, n.fullName())
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
					n.enumDefault = n.symbols[g.r.Intn(len(n.symbols))]
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
					if b.kind != "ref" { // a required reference to itself has no finite value
						f.typ = b
					}
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
	case 14: // a named type moves to another namespace
		ns := named(root, "record", "enum", "fixed")
		n := ns[g.r.Intn(len(ns))]
		old := n.fullName()
		if n.namespace == "gen" {
			n.namespace = "gen.moved"
		} else {
			n.namespace = "gen"
		}
		renameRefs(root, old, n.fullName())
	case 15: // a decimal's precision or scale changes: Avro ignores it
		for _, n := range nodes {
			if n.logical == "decimal" {
				grow := n.kind != "fixed" || n.precision < ir.MaxDecimalPrecision(n.size)
				if grow && (g.r.Intn(2) == 0 || n.scale == 0) {
					n.precision++
				} else if n.scale > 0 {
					n.scale--
				}
				break
			}
		}
	case 16: // fields change order
		g.r.Shuffle(len(rec.fields), func(i, j int) { rec.fields[i], rec.fields[j] = rec.fields[j], rec.fields[i] })
	case 17: // a recursive reference changes shape: optional, union, array or map
	shape:
		for _, n := range recs {
			for _, f := range n.fields {
				target := directRef(f.typ)
				if target == "" {
					continue
				}
				typ, def := g.backRef(target)
				f.typ = typ
				if f.def != "" {
					f.def = def
				}
				break shape
			}
		}
	case 18: // a record in a cycle gets or loses a field: any record may be in one
		r := recs[len(recs)-1]
		f := &gField{name: g.newName("c"), typ: g.primitive()}
		if g.r.Intn(2) == 0 {
			f.def = defaultJSON(f.typ)
		}
		r.fields = append(r.fields, f)
	}
	refreshDefaults(root)
}

// refreshDefaults recomputes every default: a union's first branch or a
// record's fields may have changed.
func refreshDefaults(root *gType) {
	for _, r := range records(root) {
		for _, f := range r.fields {
			if f.def != "" {
				f.def = defaultJSON(f.typ)
			}
		}
	}
}
