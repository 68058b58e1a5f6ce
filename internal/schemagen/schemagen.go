package schemagen

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"strings"
)

// Type is a node of a small schema model: each named type is defined
// inline exactly once, and the only references by name are recursive ones
// ("ref"), from a record to itself or to a record around it, through an
// optional, an array, a map or a wider union, so that every reference
// follows its definition and every Avro implementation reads the same
// thing.
type Type struct {
	Kind        string // an Avro primitive, record, enum, fixed, array, map, union, or ref
	Logical     string
	Precision   int // decimals
	Scale       int
	Ref         string // ref: the full name of the record referred to
	Name        string // named types: the short name
	Namespace   string
	Aliases     []string // fully qualified
	Fields      []*Field
	Symbols     []string
	EnumDefault string
	Size        int
	Items       *Type // array items, map values
	Branches    []*Type
}

// Field is a record's field; Default is JSON text, "" for none.
type Field struct {
	Name    string
	Type    *Type
	Default string
	Aliases []string
}

// FullName is a named type's name with its namespace.
func (t *Type) FullName() string {
	if t.Namespace == "" {
		return t.Name
	}
	return t.Namespace + "." + t.Name
}

// Clone returns a deep copy of t.
func (t *Type) Clone() *Type {
	if t == nil {
		return nil
	}
	c := *t
	c.Aliases = append([]string(nil), t.Aliases...)
	c.Symbols = append([]string(nil), t.Symbols...)
	c.Fields = nil
	for _, f := range t.Fields {
		nf := *f
		nf.Type = f.Type.Clone()
		nf.Aliases = append([]string(nil), f.Aliases...)
		c.Fields = append(c.Fields, &nf)
	}
	c.Items = t.Items.Clone()
	c.Branches = nil
	for _, b := range t.Branches {
		c.Branches = append(c.Branches, b.Clone())
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
func (t *Type) JSON() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	switch t.Kind {
	case "record", "enum", "fixed":
		fmt.Fprintf(b, `{"type": %q, "name": %q`, t.Kind, t.Name)
		if t.Namespace != "" {
			fmt.Fprintf(b, `, "namespace": %q`, t.Namespace)
		}
		if len(t.Aliases) > 0 {
			fmt.Fprintf(b, `, "aliases": %s`, jsonStrings(t.Aliases))
		}
		switch t.Kind {
		case "record":
			b.WriteString(`, "fields": [`)
			for i, f := range t.Fields {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(b, `{"name": %q, "type": `, f.Name)
				f.Type.write(b)
				if f.Default != "" {
					fmt.Fprintf(b, `, "default": %s`, f.Default)
				}
				if len(f.Aliases) > 0 {
					fmt.Fprintf(b, `, "aliases": %s`, jsonStrings(f.Aliases))
				}
				b.WriteString("}")
			}
			b.WriteString("]")
		case "enum":
			fmt.Fprintf(b, `, "symbols": %s`, jsonStrings(t.Symbols))
			if t.EnumDefault != "" {
				fmt.Fprintf(b, `, "default": %q`, t.EnumDefault)
			}
		case "fixed":
			fmt.Fprintf(b, `, "size": %d`, t.Size)
			if t.Logical == "decimal" {
				fmt.Fprintf(b, `, "logicalType": "decimal", "precision": %d, "scale": %d`, t.Precision, t.Scale)
			}
		}
		b.WriteString("}")
	case "array":
		b.WriteString(`{"type": "array", "items": `)
		t.Items.write(b)
		b.WriteString("}")
	case "map":
		b.WriteString(`{"type": "map", "values": `)
		t.Items.write(b)
		b.WriteString("}")
	case "union":
		b.WriteString("[")
		for i, br := range t.Branches {
			if i > 0 {
				b.WriteString(", ")
			}
			br.write(b)
		}
		b.WriteString("]")
	case "ref":
		fmt.Fprintf(b, "%q", t.Ref)
	default:
		if t.Logical == "decimal" {
			fmt.Fprintf(b, `{"type": %q, "logicalType": "decimal", "precision": %d, "scale": %d}`, t.Kind, t.Precision, t.Scale)
		} else if t.Logical != "" {
			fmt.Fprintf(b, `{"type": %q, "logicalType": %q}`, t.Kind, t.Logical)
		} else {
			fmt.Fprintf(b, "%q", t.Kind)
		}
	}
}

// DefaultJSON returns a valid default for t.
func DefaultJSON(t *Type) string {
	switch t.Kind {
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
		return strconv.Quote(t.Symbols[0])
	case "fixed":
		return strconv.Quote(strings.Repeat("x", t.Size))
	case "array":
		return "[]"
	case "map":
		return "{}"
	case "union":
		return DefaultJSON(t.Branches[0])
	case "record":
		var parts []string
		for _, f := range t.Fields {
			parts = append(parts, strconv.Quote(f.Name)+": "+DefaultJSON(f.Type))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "null"
}

var primitives = []string{"null", "boolean", "int", "long", "float", "double", "bytes", "string"}

// Gen generates random schemas with unique type names, and evolves them.
type Gen struct {
	r    *rand.Rand
	next int
	// Shapes counts the recursive references made, by shape: "self" or
	// "mutual", "namespaces" (to a record of another namespace), and the
	// container ("optional", "union", "array", "map").
	Shapes map[string]int
}

// New returns a generator drawing from src.
func New(src rand.Source) *Gen { return &Gen{r: rand.New(src)} }

func (g *Gen) newName(prefix string) string {
	g.next++
	return prefix + strconv.Itoa(g.next)
}

func (g *Gen) primitive() *Type {
	k := primitives[1+g.r.Intn(len(primitives)-1)]
	t := &Type{Kind: k}
	switch {
	case k == "long" && g.r.Intn(6) == 0:
		t.Logical = "timestamp-millis"
	case k == "bytes" && g.r.Intn(4) == 0:
		t.Logical, t.Precision, t.Scale = "decimal", 1+g.r.Intn(12), 0
		t.Scale = g.r.Intn(t.Precision + 1)
	}
	return t
}

// namespace returns the generator's namespace, or now and then another, so
// that named types live in several.
func (g *Gen) namespace() string {
	if g.r.Intn(4) == 0 {
		return "gen.other"
	}
	return "gen"
}

func (g *Gen) fixed() *Type {
	t := &Type{Kind: "fixed", Name: g.newName("F"), Namespace: g.namespace(), Size: 1 + g.r.Intn(4)}
	if g.r.Intn(3) == 0 {
		// A decimal on a fixed: size 4 holds 9 digits.
		t.Size = 4 + g.r.Intn(4)
		t.Logical, t.Precision = "decimal", 1+g.r.Intn(9)
		t.Scale = g.r.Intn(t.Precision + 1)
	}
	return t
}

// Type returns a random type: deeper than 3, only primitives, unions,
// enums and fixed.
func (g *Gen) Type(depth int) *Type {
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
		return &Type{Kind: "array", Items: g.Type(depth + 1)}
	case 8:
		return &Type{Kind: "map", Items: g.Type(depth + 1)}
	default:
		return g.Record(depth + 1)
	}
}

func (g *Gen) enum() *Type {
	t := &Type{Kind: "enum", Name: g.newName("E"), Namespace: g.namespace()}
	for i := 0; i < 1+g.r.Intn(4); i++ {
		t.Symbols = append(t.Symbols, "S"+strconv.Itoa(i))
	}
	if g.r.Intn(4) == 0 {
		t.EnumDefault = t.Symbols[0]
	}
	return t
}

// union returns a union of distinct branches: at most one of each unnamed
// kind, nested unions never.
func (g *Gen) union(depth int) *Type {
	t := &Type{Kind: "union"}
	seen := map[string]bool{}
	if g.r.Intn(2) == 0 {
		t.Branches = append(t.Branches, &Type{Kind: "null"})
		seen["null"] = true
	}
	for len(t.Branches) < 2 || (len(t.Branches) < 4 && g.r.Intn(2) == 0) {
		var b *Type
		if depth < 3 && g.r.Intn(4) == 0 {
			b = g.Record(depth + 1)
		} else if g.r.Intn(5) == 0 {
			b = &Type{Kind: "array", Items: g.primitive()}
		} else {
			b = &Type{Kind: primitives[g.r.Intn(len(primitives))]}
		}
		key := b.Kind
		if b.Kind == "record" {
			key = b.FullName()
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		t.Branches = append(t.Branches, b)
	}
	return t
}

// Record returns a random record of one to four fields, at depth (0 for a
// top-level record, which is in namespace gen).
func (g *Gen) Record(depth int) *Type {
	ns := "gen"
	if depth > 0 {
		ns = g.namespace()
	}
	t := &Type{Kind: "record", Name: g.newName("R"), Namespace: ns}
	for i := 0; i < 1+g.r.Intn(4); i++ {
		f := &Field{Name: "f" + strconv.Itoa(i), Type: g.Type(depth)}
		if g.r.Intn(3) == 0 {
			f.Default = DefaultJSON(f.Type)
		}
		t.Fields = append(t.Fields, f)
	}
	return t
}

// backRef returns a type that refers to the record called full, in one of
// the shapes recursion takes in real schemas, and its default.
func (g *Gen) backRef(full string) (*Type, string) {
	ref := &Type{Kind: "ref", Ref: full}
	switch g.r.Intn(4) {
	case 0:
		return &Type{Kind: "array", Items: ref}, "[]"
	case 1:
		return &Type{Kind: "map", Items: ref}, "{}"
	case 2:
		return &Type{Kind: "union", Branches: []*Type{{Kind: "null"}, {Kind: "string"}, ref}}, "null"
	}
	return &Type{Kind: "union", Branches: []*Type{{Kind: "null"}, ref}}, "null"
}

// Recursive makes t recursive: one to three records get a field that refers
// back to themselves or to a record around them (self-recursion, mutual
// recursion through the records between, across namespaces when they
// differ), through an optional, a union, an array or a map. The field has
// a default or not, as any field.
func (g *Gen) Recursive(t *Type) {
	for i := 0; i < 1+g.r.Intn(3); i++ {
		paths := recordPaths(t)
		path := paths[g.r.Intn(len(paths))]
		from := path[len(path)-1]
		to := path[g.r.Intn(len(path))]
		typ, def := g.backRef(to.FullName())
		if g.Shapes == nil {
			g.Shapes = map[string]int{}
		}
		switch {
		case from == to:
			g.Shapes["self"]++
		default:
			g.Shapes["mutual"]++
		}
		if from.Namespace != to.Namespace {
			g.Shapes["namespaces"]++
		}
		switch {
		case typ.Kind != "union":
			g.Shapes[typ.Kind]++
		case len(typ.Branches) == 2:
			g.Shapes["optional"]++
		default:
			g.Shapes["union"]++
		}
		f := &Field{Name: g.newName("back"), Type: typ}
		if g.r.Intn(2) == 0 {
			f.Default = def
		}
		from.Fields = append(from.Fields, f)
	}
	refreshDefaults(t)
}

// recordPaths returns, for every record in t, the records from t down to
// it, through fields, items, values and branches.
func recordPaths(t *Type) [][]*Type {
	var out [][]*Type
	var walk func(x *Type, path []*Type)
	walk = func(x *Type, path []*Type) {
		if x == nil {
			return
		}
		if x.Kind == "record" {
			path = append(path[:len(path):len(path)], x)
			out = append(out, path)
			for _, f := range x.Fields {
				walk(f.Type, path)
			}
		}
		walk(x.Items, path)
		for _, b := range x.Branches {
			walk(b, path)
		}
	}
	walk(t, nil)
	return out
}

// records returns every record in t, t first.
func records(t *Type) []*Type {
	var out []*Type
	for _, p := range recordPaths(t) {
		out = append(out, p[len(p)-1])
	}
	return out
}

// all returns every type node in t.
func all(t *Type) []*Type {
	var out []*Type
	var walk func(*Type)
	walk = func(x *Type) {
		if x == nil {
			return
		}
		out = append(out, x)
		for _, f := range x.Fields {
			walk(f.Type)
		}
		walk(x.Items)
		for _, b := range x.Branches {
			walk(b)
		}
	}
	walk(t)
	return out
}

// directRef returns the record a back reference of the shapes backRef
// makes refers to: t's items, values or a branch; "" when t is none.
func directRef(t *Type) string {
	if t.Items != nil && t.Items.Kind == "ref" {
		return t.Items.Ref
	}
	for _, b := range t.Branches {
		if b.Kind == "ref" {
			return b.Ref
		}
	}
	return ""
}

// renameRefs points the references to the named type once called old at
// its new full name.
func renameRefs(root *Type, old, new string) {
	for _, n := range all(root) {
		if n.Kind == "ref" && n.Ref == old {
			n.Ref = new
		}
	}
}

// promotionsOf lists, for each primitive, types to change it to: every
// promotion Avro has, and some changes that are none.
var promotionsOf = map[string][]string{
	"int": {"long", "float", "double", "string"}, "long": {"float", "double", "int"}, "float": {"double", "long", "int"},
	"double": {"float", "int"}, "string": {"bytes", "int"}, "bytes": {"string", "long"}, "boolean": {"int"}, "null": {"string"},
}

// Evolve applies one to three random changes to a copy of t.
func (g *Gen) Evolve(t *Type) *Type {
	v := t.Clone()
	for i := 0; i < 1+g.r.Intn(3); i++ {
		g.mutate(v)
	}
	return v
}

// named returns the named types of root of the given kinds.
func named(root *Type, kinds ...string) []*Type {
	var out []*Type
	for _, n := range all(root) {
		for _, k := range kinds {
			if n.Kind == k {
				out = append(out, n)
			}
		}
	}
	return out
}

func (g *Gen) mutate(root *Type) {
	recs := records(root)
	nodes := all(root)
	rec := recs[g.r.Intn(len(recs))]
	switch g.r.Intn(19) {
	case 0: // add a field, with or without a default
		f := &Field{Name: g.newName("n"), Type: g.Type(2)}
		if g.r.Intn(2) == 0 {
			f.Default = DefaultJSON(f.Type)
		}
		rec.Fields = append(rec.Fields, f)
	case 1: // remove a field
		if len(rec.Fields) > 1 {
			i := g.r.Intn(len(rec.Fields))
			rec.Fields = append(rec.Fields[:i], rec.Fields[i+1:]...)
		}
	case 2: // give a field a default, or take it away
		f := rec.Fields[g.r.Intn(len(rec.Fields))]
		if f.Default == "" {
			f.Default = DefaultJSON(f.Type)
		} else {
			f.Default = ""
		}
	case 3: // change a field's primitive type (promotion or not)
		f := rec.Fields[g.r.Intn(len(rec.Fields))]
		if ps, ok := promotionsOf[f.Type.Kind]; ok {
			f.Type = &Type{Kind: ps[g.r.Intn(len(ps))]}
			if f.Default != "" {
				f.Default = DefaultJSON(f.Type)
			}
		}
	case 4: // rename a field, with or without an alias
		f := rec.Fields[g.r.Intn(len(rec.Fields))]
		old := f.Name
		f.Name = g.newName("m")
		if g.r.Intn(2) == 0 {
			f.Aliases = append(f.Aliases, old)
		}
	case 5: // rename a record, enum or fixed, with or without an alias
		ns := named(root, "record", "enum", "fixed")
		n := ns[g.r.Intn(len(ns))]
		old := n.FullName()
		n.Name = g.newName(strings.ToUpper(n.Kind[:1]))
		if g.r.Intn(2) == 0 {
			n.Aliases = append(n.Aliases, old)
		}
		renameRefs(root, old, n.FullName())
	case 6, 7: // enums: add or remove a symbol, add or drop a default
		for _, n := range nodes {
			if n.Kind != "enum" {
				continue
			}
			switch g.r.Intn(3) {
			case 0:
				n.Symbols = append(n.Symbols, g.newName("S"))
			case 1:
				if len(n.Symbols) > 1 {
					i := g.r.Intn(len(n.Symbols))
					if n.Symbols[i] != n.EnumDefault {
						n.Symbols = append(n.Symbols[:i], n.Symbols[i+1:]...)
					}
				}
			case 2:
				if n.EnumDefault == "" {
					n.EnumDefault = n.Symbols[g.r.Intn(len(n.Symbols))]
				} else {
					n.EnumDefault = ""
				}
			}
			break
		}
	case 8: // fixed: change the size
		for _, n := range nodes {
			if n.Kind == "fixed" {
				n.Size++
				break
			}
		}
	case 9: // make a field optional, or a union field plain
		f := rec.Fields[g.r.Intn(len(rec.Fields))]
		if f.Type.Kind == "union" {
			for _, b := range f.Type.Branches {
				if b.Kind != "null" {
					if b.Kind != "ref" { // a required reference to itself has no finite value
						f.Type = b
					}
					break
				}
			}
		} else if f.Type.Kind != "null" {
			f.Type = &Type{Kind: "union", Branches: []*Type{{Kind: "null"}, f.Type}}
		}
		if f.Default != "" {
			f.Default = DefaultJSON(f.Type)
		}
	case 10: // unions: add or drop a branch
		for _, n := range nodes {
			if n.Kind != "union" {
				continue
			}
			if g.r.Intn(2) == 0 && len(n.Branches) > 1 {
				n.Branches = n.Branches[:len(n.Branches)-1]
			} else {
				have := map[string]bool{}
				for _, b := range n.Branches {
					have[b.Kind] = true
				}
				for _, k := range primitives {
					if !have[k] {
						n.Branches = append(n.Branches, &Type{Kind: k})
						break
					}
				}
			}
			break
		}
	case 11: // array or map items change
		for _, n := range nodes {
			if n.Kind == "array" || n.Kind == "map" {
				if ps, ok := promotionsOf[n.Items.Kind]; ok {
					n.Items = &Type{Kind: ps[g.r.Intn(len(ps))]}
				}
				break
			}
		}
	case 12: // a field changes kind entirely
		f := rec.Fields[g.r.Intn(len(rec.Fields))]
		f.Type = g.Type(3)
		if f.Default != "" {
			f.Default = DefaultJSON(f.Type)
		}
	case 13: // logical type dropped or added: Avro ignores it
		for _, n := range nodes {
			if n.Kind == "long" {
				if n.Logical == "" {
					n.Logical = "timestamp-micros"
				} else {
					n.Logical = ""
				}
				break
			}
		}
	case 14: // a named type moves to another namespace
		ns := named(root, "record", "enum", "fixed")
		n := ns[g.r.Intn(len(ns))]
		old := n.FullName()
		if n.Namespace == "gen" {
			n.Namespace = "gen.moved"
		} else {
			n.Namespace = "gen"
		}
		renameRefs(root, old, n.FullName())
	case 15: // a decimal's precision or scale changes: Avro ignores it
		for _, n := range nodes {
			if n.Logical == "decimal" {
				grow := n.Kind != "fixed" || n.Precision < maxDecimalPrecision(n.Size)
				if grow && (g.r.Intn(2) == 0 || n.Scale == 0) {
					n.Precision++
				} else if n.Scale > 0 {
					n.Scale--
				}
				break
			}
		}
	case 16: // fields change order
		g.r.Shuffle(len(rec.Fields), func(i, j int) { rec.Fields[i], rec.Fields[j] = rec.Fields[j], rec.Fields[i] })
	case 17: // a recursive reference changes shape: optional, union, array or map
	shape:
		for _, n := range recs {
			for _, f := range n.Fields {
				target := directRef(f.Type)
				if target == "" {
					continue
				}
				typ, def := g.backRef(target)
				f.Type = typ
				if f.Default != "" {
					f.Default = def
				}
				break shape
			}
		}
	case 18: // a record in a cycle gets or loses a field: any record may be in one
		r := recs[len(recs)-1]
		f := &Field{Name: g.newName("c"), Type: g.primitive()}
		if g.r.Intn(2) == 0 {
			f.Default = DefaultJSON(f.Type)
		}
		r.Fields = append(r.Fields, f)
	}
	refreshDefaults(root)
}

// refreshDefaults recomputes every default: a union's first branch or a
// record's fields may have changed.
func refreshDefaults(root *Type) {
	for _, r := range records(root) {
		for _, f := range r.Fields {
			if f.Default != "" {
				f.Default = DefaultJSON(f.Type)
			}
		}
	}
}

// maxDecimalPrecision is the most digits a fixed of size bytes holds, as
// ir.MaxDecimalPrecision says (this package stays free of the compiler's).
func maxDecimalPrecision(size int) int {
	if size < 1 {
		return 0
	}
	if size > 1024 {
		return int(math.Floor(float64(8*size-1) * math.Log10(2)))
	}
	v := new(big.Int).Lsh(big.NewInt(1), uint(8*size-1))
	v.Sub(v, big.NewInt(1))
	return len(v.String()) - 1
}

// FuzzSource feeds a generator the fuzzer's bytes, so that the fuzzer
// steers which schema is made and how it changes; once they run out it
// goes on with a generator seeded from them.
type FuzzSource struct {
	data []byte
	rest *rand.Rand
}

// NewFuzzSource returns a source that draws from data first.
func NewFuzzSource(data []byte) *FuzzSource {
	h := fnv.New64a()
	h.Write(data)
	return &FuzzSource{data: data, rest: rand.New(rand.NewSource(int64(h.Sum64())))}
}

// Int63 implements rand.Source.
func (s *FuzzSource) Int63() int64 {
	if len(s.data) == 0 {
		return s.rest.Int63()
	}
	var b [8]byte
	n := copy(b[:], s.data)
	s.data = s.data[n:]
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// Seed implements rand.Source; the source's bytes are its seed.
func (s *FuzzSource) Seed(int64) {}
