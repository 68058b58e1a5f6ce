package avro

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/ir"
)

// Generate writes one self-contained, pretty-printed .avsc per named type
// declared in the schema's non-imported files (ir.File.Imported false),
// named "<full name>.avsc".
func Generate(s *ir.Schema) ([]backend.File, error) {
	var out []backend.File
	seen := map[string]bool{}
	w := newWriter()
	for _, f := range s.Files {
		if f.Imported {
			continue
		}
		for _, n := range f.Types {
			path := n.FullName() + ".avsc"
			if seen[path] {
				return nil, fmt.Errorf("evc: avro backend: two types named %q", n.FullName())
			}
			seen[path] = true
			w.reset()
			w.typ(&ir.Type{Kind: n.Kind, Named: n}, "")
			out = append(out, backend.File{Path: path, Data: append(w.indented(), '\n')})
		}
	}
	return out, nil
}

// SchemaJSON returns a named type's self-contained schema: every named type
// it uses is defined inline at its first use and referenced by full name
// after that. indent=false gives compact JSON (what generated code embeds
// and the runtime registers).
func SchemaJSON(n *ir.Named, indent bool) []byte {
	return TypeJSON(&ir.Type{Kind: n.Kind, Named: n}, indent)
}

// TypeJSON does the same as SchemaJSON for any type (an .avsc file's Root
// may be a union or primitive).
func TypeJSON(t *ir.Type, indent bool) []byte {
	w := newWriter()
	w.typ(t, "")
	if !indent {
		return w.buf.Bytes()
	}
	return w.indented()
}

// Own is a named type's own definition, cut where the definitions of the
// named types it uses go: what generated Go code holds (runtime.Def), so
// that its size grows with the schema and not with the square of its
// nesting. Composing the pieces as runtime.Type does gives back SchemaJSON
// and Canonical.
type Own struct {
	// Head is the compact JSON definition up to and including its "name"
	// member, where a "namespace" member goes when the enclosing
	// definition's namespace differs.
	Head string
	// JSON continues the definition after Head: Uses[i] goes between
	// JSON[i] and JSON[i+1].
	JSON []string
	// Canonical is the Parsing Canonical Form, cut in the same places.
	Canonical []string
	// Uses are the named types whose definition or full name goes between
	// the pieces: the first use of each type other than n itself, since a
	// later use, or a use of n, is always a reference.
	Uses []*ir.Named
}

// OwnDef returns n's own definition. The error is Canonical's.
func OwnDef(n *ir.Named) (Own, error) {
	w := newWriter()
	w.own = &ownCuts{root: n}
	w.named(n, "")
	json := append(w.own.pieces, w.buf.String())
	c := canonical{seen: map[string]bool{}, own: &ownCuts{root: n}}
	if err := c.named(n); err != nil {
		return Own{}, fmt.Errorf("evc: canonical form of %s: %w", n.FullName(), err)
	}
	pcf := append(c.own.pieces, c.buf.String())
	if len(c.own.uses) != len(w.own.uses) {
		return Own{}, fmt.Errorf("evc: %s uses %d named types in its schema but %d in its canonical form", n.FullName(), len(w.own.uses), len(c.own.uses))
	}
	for i, u := range c.own.uses {
		if u.FullName() != w.own.uses[i].FullName() {
			return Own{}, fmt.Errorf("evc: %s uses %s in its schema where its canonical form uses %s", n.FullName(), w.own.uses[i].FullName(), u.FullName())
		}
	}
	return Own{Head: w.own.head, JSON: json, Canonical: pcf, Uses: w.own.uses}, nil
}

// indented returns a pretty-printed copy of what w wrote, with room for a
// final newline.
func (w *writer) indented() []byte {
	var b bytes.Buffer
	// Two-space indentation about doubles a schema.
	b.Grow(2*w.buf.Len() + 64)
	indent(&b, w.buf.Bytes(), maxIndentDepth)
	return b.Bytes()
}

// maxIndentDepth is how deep indent lays JSON out over lines: a value nested
// deeper is written compact on one line. Without a bound, every line of a
// chain of N records nested in one another is indented by up to ~4N levels,
// and the .avsc files of the chain grow with N^3 rather than N^2 (what
// self-contained files cost: each holds the rest of the chain).
const maxIndentDepth = 16

// indent appends src, compact JSON, to dst laid out as json.Indent does with
// two spaces, except that arrays and objects more than maxDepth levels deep
// stay compact.
func indent(dst *bytes.Buffer, src []byte, maxDepth int) {
	depth := 0
	newline := func() {
		dst.WriteByte('\n')
		for range depth {
			dst.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case ' ', '\t', '\n', '\r':
		case '"':
			end := stringEnd(src, i)
			dst.Write(src[i:end])
			i = end - 1
		case '{', '[':
			if depth >= maxDepth {
				end := valueEnd(src, i)
				compactTo(dst, src[i:end])
				i = end - 1
				continue
			}
			dst.WriteByte(c)
			if j := skipSpace(src, i+1); j < len(src) && (src[j] == '}' || src[j] == ']') {
				dst.WriteByte(src[j])
				i = j
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(c)
			newline()
		case ':':
			dst.WriteString(": ")
		default:
			dst.WriteByte(c)
		}
	}
}

// compactTo appends src without the white space between tokens.
func compactTo(dst *bytes.Buffer, src []byte) {
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case ' ', '\t', '\n', '\r':
		case '"':
			end := stringEnd(src, i)
			dst.Write(src[i:end])
			i = end - 1
		default:
			dst.WriteByte(c)
		}
	}
}

// stringEnd returns the offset just past the JSON string starting at i.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(src)
}

// valueEnd returns the offset just past the array or object starting at i.
func valueEnd(src []byte, i int) int {
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '"':
			j = stringEnd(src, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(src)
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// writer writes compact JSON.
type writer struct {
	buf     bytes.Buffer
	defined map[*ir.Named]bool
	// names holds the full names already defined, so that a second
	// definition object with the same name is written as a reference.
	names map[string]bool
	// own, when set, makes the writer write only own's definition: see Own.
	own *ownCuts
}

// ownCuts collects the pieces of a named type's own definition, for the
// JSON and the canonical writer alike.
type ownCuts struct {
	root   *ir.Named
	head   string
	pieces []string
	uses   []*ir.Named
}

// cut ends a piece where n, another named type than root, goes: what buf
// holds becomes the piece, and buf starts the next. It reports whether it
// cut, for the writer to leave n's definition out.
func (o *ownCuts) cut(buf *bytes.Buffer, n *ir.Named) bool {
	if o == nil || n == o.root {
		return false
	}
	o.pieces = append(o.pieces, buf.String())
	o.uses = append(o.uses, n)
	buf.Reset()
	return true
}

func newWriter() *writer {
	return &writer{defined: map[*ir.Named]bool{}, names: map[string]bool{}}
}

// reset makes w ready for another schema, keeping its buffer.
func (w *writer) reset() {
	w.buf.Reset()
	clear(w.defined)
	clear(w.names)
}

// quote writes s as a JSON string.
func (w *writer) quote(s string) {
	w.buf.Write(ir.AppendQuoteJSON(w.buf.AvailableBuffer(), s))
}

// obj writes an object's keys in order; it skips a key already written.
type obj struct {
	w *writer
	n int
	// keys are the keys written so far: few, so an array beats a map, and
	// more only holds those past the array's length.
	keys [10]string
	more []string
}

func (w *writer) open() obj {
	w.buf.WriteByte('{')
	return obj{w: w}
}

// key starts a member; it returns false when the key was already written.
func (o *obj) key(k string) bool {
	for _, seen := range o.keys[:min(o.n, len(o.keys))] {
		if seen == k {
			return false
		}
	}
	for _, seen := range o.more {
		if seen == k {
			return false
		}
	}
	if o.n < len(o.keys) {
		o.keys[o.n] = k
	} else {
		o.more = append(o.more, k)
	}
	if o.n > 0 {
		o.w.buf.WriteByte(',')
	}
	o.n++
	o.w.quote(k)
	o.w.buf.WriteByte(':')
	return true
}

func (o *obj) str(k, v string) {
	if o.key(k) {
		o.w.quote(v)
	}
}

func (o *obj) int(k string, v int) {
	if o.key(k) {
		o.w.buf.WriteString(strconv.Itoa(v))
	}
}

func (o *obj) strs(k string, vs []string) {
	if o.key(k) {
		o.w.strs(vs)
	}
}

// raw writes a member whose value is JSON text, compacted.
func (o *obj) raw(k, v string) {
	if o.key(k) {
		o.w.raw(v)
	}
}

func (o *obj) props(ps []ir.Prop) {
	for _, p := range ps {
		o.raw(p.Name, p.Value)
	}
}

func (o *obj) deprecated(dep bool, reason string) {
	switch {
	case reason != "":
		o.str(ir.AttrDeprecated, reason)
	case dep:
		o.raw(ir.AttrDeprecated, "true")
	}
}

func (o *obj) close() { o.w.buf.WriteByte('}') }

func (w *writer) strs(vs []string) {
	w.buf.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.quote(v)
	}
	w.buf.WriteByte(']')
}

func (w *writer) raw(v string) {
	// On an error Compact writes nothing.
	if err := json.Compact(&w.buf, []byte(v)); err != nil {
		// Not JSON: keep the text as a string rather than write an
		// invalid schema.
		w.quote(v)
	}
}

// typ writes t as used inside namespace ns.
func (w *writer) typ(t *ir.Type, ns string) {
	if t == nil {
		w.buf.WriteString(`"null"`)
		return
	}
	switch t.Kind {
	case ir.Record, ir.Enum, ir.Fixed:
		if t.Named == nil {
			w.quote(t.Kind.String())
			return
		}
		w.named(t.Named, ns)
	case ir.Array:
		o := w.open()
		o.str("type", "array")
		o.key("items")
		w.typ(t.Items, ns)
		o.props(t.Props)
		o.close()
	case ir.Map:
		o := w.open()
		o.str("type", "map")
		o.key("values")
		w.typ(t.Values, ns)
		o.props(t.Props)
		o.close()
	case ir.Union:
		w.buf.WriteByte('[')
		for i, b := range t.Branches {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.typ(b, ns)
		}
		w.buf.WriteByte(']')
	default:
		kind := t.Kind
		if !kind.IsPrimitive() {
			kind = ir.Null
		}
		if t.Logical == ir.NoLogical && len(t.Props) == 0 {
			w.quote(kind.String())
			return
		}
		o := w.open()
		o.str("type", kind.String())
		if t.Logical != ir.NoLogical {
			o.str("logicalType", t.Logical.String())
			if t.Logical == ir.Decimal {
				o.int("precision", t.Precision)
				if !t.NoScale {
					o.int("scale", t.Scale)
				}
			}
		}
		o.props(t.Props)
		o.close()
	}
}

// named writes a named type's definition at its first use, and its full
// name after that.
func (w *writer) named(n *ir.Named, ns string) {
	full := n.FullName()
	if w.defined[n] || w.names[full] {
		w.quote(full)
		return
	}
	w.defined[n] = true
	w.names[full] = true
	if w.own.cut(&w.buf, n) {
		return // another type's definition, or its name, goes here
	}

	o := w.open()
	if n.Error {
		o.str("type", "error")
	} else {
		o.str("type", n.Kind.String())
	}
	o.str("name", n.Name)
	if w.own != nil {
		// The namespace member depends on where the definition goes.
		w.own.head = w.buf.String()
		w.buf.Reset()
	} else if n.Namespace != ns {
		o.str("namespace", n.Namespace)
	}
	if n.Doc != "" || n.EmptyDoc {
		o.str("doc", n.Doc)
	}
	if len(n.Aliases) > 0 {
		o.strs("aliases", typeAliases(n))
	}
	switch n.Kind {
	case ir.Record:
		o.key("fields")
		w.buf.WriteByte('[')
		for i, f := range n.Fields {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.field(f, n.Namespace)
		}
		w.buf.WriteByte(']')
	case ir.Enum:
		syms := make([]string, len(n.Symbols))
		docs, deps := false, false
		for i, s := range n.Symbols {
			syms[i] = s.Name
			docs = docs || s.Doc != ""
			deps = deps || s.Deprecated
		}
		o.strs("symbols", syms)
		if n.HasDefault {
			o.str("default", n.Default)
		}
		if docs && o.key(ir.AttrSymbolDocs) {
			d := w.open()
			for _, s := range n.Symbols {
				if s.Doc != "" {
					d.str(s.Name, s.Doc)
				}
			}
			d.close()
		}
		if deps && o.key(ir.AttrDeprecatedSymbols) {
			d := w.open()
			for _, s := range n.Symbols {
				switch {
				case s.Deprecated && s.DeprecatedReason != "":
					d.str(s.Name, s.DeprecatedReason)
				case s.Deprecated:
					d.raw(s.Name, "true")
				}
			}
			d.close()
		}
	case ir.Fixed:
		o.int("size", n.Size)
		if n.Logical != ir.NoLogical {
			o.str("logicalType", n.Logical.String())
			if n.Logical == ir.Decimal {
				o.int("precision", n.Precision)
				if !n.NoScale {
					o.int("scale", n.Scale)
				}
			}
		}
	}
	o.deprecated(n.Deprecated, n.DeprecatedReason)
	if len(n.Reserved) > 0 {
		rs := make([]string, len(n.Reserved))
		for i, r := range n.Reserved {
			rs[i] = r.Name
		}
		o.strs(ir.AttrReserved, rs)
	}
	if n.Event != nil && o.key(ir.AttrEvent) {
		e := w.open()
		e.str("type", n.Event.Type)
		if n.Event.Source != "" {
			e.str("source", n.Event.Source)
		}
		e.close()
	}
	o.props(n.Props)
	o.close()
}

// typeAliases returns a named type's aliases as the .avsc writes them: by
// full name, and an alias in the null namespace of a type that has a
// namespace with a leading dot (".Old"), as Avro Java writes it, since a
// bare "Old" would be read in the type's namespace.
func typeAliases(n *ir.Named) []string {
	out := make([]string, len(n.Aliases))
	for i, a := range n.Aliases {
		if n.Namespace != "" && !strings.Contains(a, ".") {
			a = "." + a
		}
		out[i] = a
	}
	return out
}

func (w *writer) field(f *ir.Field, ns string) {
	o := w.open()
	o.str("name", f.Name)
	o.key("type")
	w.typ(f.Type, ns)
	if f.Doc != "" || f.EmptyDoc {
		o.str("doc", f.Doc)
	}
	if f.Default != nil {
		o.raw("default", f.Default.JSON())
	}
	if f.Order != ir.OrderUnset {
		o.str("order", string(f.Order))
	}
	if len(f.Aliases) > 0 {
		o.strs("aliases", f.Aliases)
	}
	o.deprecated(f.Deprecated, f.DeprecatedReason)
	o.props(f.Props)
	o.close()
}
