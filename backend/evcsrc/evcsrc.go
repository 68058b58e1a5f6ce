package evcsrc

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/internal/lazyregexp"
	"github.com/evc-dev/evc/ir"
)

// Print returns the evc source of f: its imports (f.Imports, as written),
// named types, custom types and topics, in the namespace of its top-level
// type (for an .avsc file) or in its own (for an .evc file). Types that f
// uses but does not define are referenced by full name. Problems go to l: an error when f cannot be
// written as evc (a top-level schema that is not a named type), and a
// warning for what evc source cannot carry exactly. Print returns nil when
// it reports an error.
func Print(f *ir.File, l *diag.List) []byte {
	ns := f.Namespace
	if f.Avsc {
		if f.Root == nil {
			l.Errorf(diag.At(diag.Pos{File: f.Path}), "%s has no schema to import", f.Path)
			return nil
		}
		if !f.Root.Kind.IsNamed() || f.Root.Named == nil {
			d := l.Errorf(f.Root.Span, "the top-level schema of %s is %s, not a record, enum or fixed: an .evc file declares named types only", f.Path, describe(f.Root))
			d.Help = "wrap it in a record field, or import the .avsc from an .evc file that uses it"
			return nil
		}
		ns = f.Root.Named.Namespace
	}
	p := &printer{l: l, file: f, ns: ns, idents: map[*ir.Named]string{}, customIdents: map[*ir.Custom]string{}}
	p.assignIdents()
	p.printFile()
	if p.failed {
		return nil
	}
	name := strings.TrimSuffix(path.Base(f.Path), path.Ext(f.Path)) + ".evc"
	out, errs := idl.Format(name, []byte(p.b.String()))
	if len(errs) > 0 {
		for _, e := range errs {
			l.Errorf(diag.At(diag.Pos{File: f.Path}), "internal error: the evc source written for %s does not parse: %s\n%s", f.Path, e.Error(), numbered(p.b.String()))
		}
		return nil
	}
	return out
}

// describe names a type's kind for an error message.
func describe(t *ir.Type) string {
	switch t.Kind {
	case ir.Union:
		return "a union"
	case ir.Array:
		return "an array"
	case ir.Map:
		return "a map"
	case ir.Invalid:
		return "missing"
	}
	return "the primitive type " + t.Name()
}

// numbered returns src with line numbers, to show where generated source
// went wrong.
func numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}

type printer struct {
	b            strings.Builder
	l            *diag.List
	file         *ir.File
	ns           string
	idents       map[*ir.Named]string
	customIdents map[*ir.Custom]string
	failed       bool // an error was reported: there is no source to return
}

func (p *printer) P(parts ...string) {
	for _, s := range parts {
		p.b.WriteString(s)
	}
	p.b.WriteByte('\n')
}

// builtinNames are type names that a one-part reference never resolves to a
// declared type.
var builtinNames = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true, "float": true, "double": true,
	"bytes": true, "string": true, "date": true, "uuid": true, "decimal": true,
}

// assignIdents gives every declared type an identifier that a reference
// resolves to it. Types of the file's namespace come first, so that they
// keep their names. A type of another namespace keeps its name too, since
// it is referenced by its full name (two types F of x.one and x.two are
// x.one.F and x.two.F); one referenced by its short name (in the file's
// namespace or the null namespace) is renamed, with @name, when another
// such type or a built-in type has that name.
func (p *printer) assignIdents() {
	taken := map[string]bool{}
	pick := func(name, ns string) string {
		id := name
		byShort := ns == p.ns || ns == ""
		if !builtinNames[id] && !(byShort && taken[id]) {
			if byShort {
				taken[id] = true
			}
			return id
		}
		base := name + "_"
		if ns != "" && ns != p.ns {
			parts := strings.Split(ns, ".")
			base = parts[len(parts)-1] + "_" + name
		}
		id = base
		for i := 2; taken[id] || builtinNames[id]; i++ {
			id = base + strconv.Itoa(i)
		}
		taken[id] = true
		return id
	}
	for pass := 0; pass < 2; pass++ {
		for _, n := range p.file.Types {
			if (n.Namespace == p.ns) == (pass == 0) {
				p.idents[n] = pick(n.Name, n.Namespace)
			}
		}
		for _, c := range p.file.Customs {
			if (c.Namespace == p.ns) == (pass == 0) {
				p.customIdents[c] = pick(c.Name, c.Namespace)
			}
		}
	}
}

// ref is how the file refers to a named type: by its identifier in the
// file's namespace, or when it kept its name in another namespace by its
// full name.
func (p *printer) ref(n *ir.Named) string {
	id, ok := p.idents[n]
	if !ok {
		return dotted(n.FullName())
	}
	if n.Namespace == p.ns || n.Namespace == "" || id != n.Name {
		return ident(id)
	}
	return dotted(n.FullName())
}

func (p *printer) customRef(c *ir.Custom) string {
	id, ok := p.customIdents[c]
	if !ok {
		return dotted(c.FullName())
	}
	if c.Namespace == p.ns || c.Namespace == "" || id != c.Name {
		return ident(id)
	}
	return dotted(c.FullName())
}

// ident writes a name, in backquotes when it is a keyword (the formatter
// drops the backquotes where they are not needed).
func ident(s string) string {
	for _, k := range idl.Keywords {
		if s == k {
			return "`" + s + "`"
		}
	}
	return idl.QuoteIdent(s)
}

func dotted(full string) string {
	parts := strings.Split(full, ".")
	for i, s := range parts {
		parts[i] = ident(s)
	}
	return strings.Join(parts, ".")
}

func (p *printer) printFile() {
	f := p.file
	if p.ns != "" {
		// A file doc attaches to the namespace clause only.
		p.comment(f.Doc)
		p.P("namespace ", dotted(p.ns), ";")
		p.P()
	}
	for _, imp := range f.Imports {
		p.P("import ", ir.QuoteJSON(imp), ";")
	}
	if len(f.Imports) > 0 {
		p.P()
	}
	if !f.Avsc {
		if f.GoPackage != "" {
			p.P("option go_package = ", ir.QuoteJSON(f.GoPackage), ";")
		}
		if f.Compat != "" {
			p.P("option compat = ", f.Compat, ";")
		}
		p.P()
	}
	for _, c := range f.Customs {
		p.custom(c)
	}
	for _, n := range f.Types {
		switch n.Kind {
		case ir.Record:
			p.record(n)
		case ir.Enum:
			p.enum(n)
		case ir.Fixed:
			p.fixed(n)
		}
		p.P()
	}
	for _, t := range f.Topics {
		p.topic(t)
	}
}

// doc writes a doc as a /// comment, or as @doc("...") when a comment
// cannot say it exactly: an empty doc (empty), white space at the end of a
// line (a /// comment ends where its text does), a carriage return or
// another control character.
func (p *printer) doc(doc string, empty bool) {
	if doc == "" && !empty {
		return
	}
	if !commentable(doc) {
		p.P("@doc(", ir.QuoteJSON(doc), ")")
		return
	}
	for _, line := range strings.Split(doc, "\n") {
		if line == "" {
			p.P("///")
		} else {
			p.P("/// ", line)
		}
	}
}

// comment writes a doc as /// comments where @doc cannot go (a file, a
// custom type, a topic): these docs come from /// comments of .evc files,
// and white space at the end of a line is all they can lose.
func (p *printer) comment(doc string) {
	if doc == "" {
		return
	}
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			p.P("///")
		} else {
			p.P("/// ", line)
		}
	}
}

// commentable reports whether /// comments give back doc exactly.
func commentable(doc string) bool {
	if doc == "" {
		return false
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.TrimRight(line, " \t") != line {
			return false
		}
		for _, r := range line {
			if r < 0x20 && r != '\t' || r == 0x7f || r == '\u2028' || r == '\u2029' {
				return false
			}
		}
	}
	return true
}

// namedAnnotations writes the annotations of a named type's declaration.
func (p *printer) namedAnnotations(n *ir.Named) {
	if id := p.idents[n]; id != n.Name {
		p.P("@name(", ir.QuoteJSON(n.Name), ")")
	}
	if n.Namespace != p.ns {
		p.P("@namespace(", ir.QuoteJSON(n.Namespace), ")")
	}
	if len(n.Aliases) > 0 {
		als := make([]string, len(n.Aliases))
		for i, a := range n.Aliases {
			if n.Namespace != "" && !strings.Contains(a, ".") {
				a = "." + a // in the null namespace, not n's (as Avro Java writes it)
			}
			als[i] = a
		}
		p.P("@aliases(", quoteList(als), ")")
	}
	p.deprecated(n.Deprecated, n.DeprecatedReason)
	if n.Compat != "" {
		p.P("@compat(", n.Compat, ")")
	}
	if ev := n.Event; ev != nil {
		args := "type = " + ir.QuoteJSON(ev.Type)
		if ev.Source != "" {
			args += ", source = " + ir.QuoteJSON(ev.Source)
		}
		p.P("@event(", args, ")")
	}
	if n.GoName != "" && n.GoName != p.idents[n] {
		p.P("@go_name(", ir.QuoteJSON(n.GoName), ")")
	}
	for _, pr := range n.Props {
		p.P(prop(pr))
	}
}

func (p *printer) deprecated(dep bool, reason string) {
	switch {
	case dep && reason != "":
		p.P("@deprecated(", ir.QuoteJSON(reason), ")")
	case dep:
		p.P("@deprecated")
	}
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = ir.QuoteJSON(s)
	}
	return strings.Join(q, ", ")
}

func (p *printer) record(n *ir.Named) {
	p.doc(n.Doc, n.EmptyDoc)
	p.namedAnnotations(n)
	kw := "record "
	if n.Error {
		kw = "error "
	}
	p.P(kw, ident(p.idents[n]), " {")
	for _, f := range n.Fields {
		p.field(n, f)
	}
	if len(n.Reserved) > 0 {
		p.P("reserved ", reservedList(n.Reserved), ";")
	}
	p.P("}")
}

func reservedList(rs []ir.Reserved) string {
	q := make([]string, len(rs))
	for i, r := range rs {
		q[i] = ir.QuoteJSON(r.Name)
	}
	return strings.Join(q, ", ")
}

func (p *printer) field(n *ir.Named, f *ir.Field) {
	p.doc(f.Doc, f.EmptyDoc)
	if len(f.Aliases) > 0 {
		p.P("@aliases(", quoteList(f.Aliases), ")")
	}
	if f.Order != ir.OrderUnset {
		p.P("@order(", string(f.Order), ")")
	}
	p.deprecated(f.Deprecated, f.DeprecatedReason)
	for _, pr := range f.Props {
		p.P(prop(pr))
	}
	var typ string
	def := f.Default
	switch {
	case optional(f.Type) && def != nil && def.Kind == ir.Null:
		// T? means a union of null and T whose default is null.
		typ, def = p.typ(f.Type), nil
	case optional(f.Type):
		typ = p.unionType(f.Type)
	default:
		typ = p.typ(f.Type)
	}
	line := ident(f.Name) + ": " + typ
	if def != nil {
		line += " = " + literal(def)
	}
	p.P(line, ";")
}

// optional reports whether t is a union of null and one other type, in that
// order, which T? can write.
func optional(t *ir.Type) bool {
	if t.Kind != ir.Union || len(t.Branches) != 2 {
		return false
	}
	null, other := t.Branches[0], t.Branches[1]
	return null.Kind == ir.Null && len(null.Props) == 0 && null.Custom == nil &&
		other.Kind != ir.Null && other.Kind != ir.Union && other.Kind != ir.Invalid
}

func (p *printer) enum(n *ir.Named) {
	p.doc(n.Doc, n.EmptyDoc)
	p.namedAnnotations(n)
	p.P("enum ", ident(p.idents[n]), " {")
	for i, s := range n.Symbols {
		p.doc(s.Doc, false)
		sep := ","
		if i == len(n.Symbols)-1 && len(n.Reserved) > 0 {
			sep = ";"
		}
		if s.Deprecated {
			p.deprecated(true, s.DeprecatedReason)
		}
		p.P(ident(s.Name), sep)
	}
	if len(n.Reserved) > 0 {
		if len(n.Symbols) == 0 {
			p.P(";")
		}
		p.P("reserved ", reservedList(n.Reserved), ";")
	}
	if n.HasDefault {
		p.P("} default ", ident(n.Default), ";")
	} else {
		p.P("}")
	}
}

func (p *printer) fixed(n *ir.Named) {
	p.doc(n.Doc, n.EmptyDoc)
	p.namedAnnotations(n)
	logical := ""
	switch n.Logical {
	case ir.NoLogical:
	case ir.Decimal:
		logical = " " + decimal(n.Precision, n.Scale, n.NoScale)
	default:
		logical = " " + n.Logical.String()
	}
	p.P("fixed ", ident(p.idents[n]), "(", strconv.Itoa(n.Size), ")", logical, ";")
}

func (p *printer) custom(c *ir.Custom) {
	p.comment(c.Doc)
	if c.GoType != "" {
		p.P("@go(", ir.QuoteJSON(c.GoType), ")")
	}
	if c.Namespace != p.ns {
		p.P("@namespace(", ir.QuoteJSON(c.Namespace), ")")
	}
	wire := "null"
	if c.Wire != nil {
		w := *c.Wire
		w.Custom = nil
		wire = p.typ(&w)
	}
	p.P("type ", ident(p.customIdents[c]), " = ", wire, ";")
	p.P()
}

func (p *printer) topic(t *ir.Topic) {
	p.comment(t.Doc)
	p.P("topic ", ir.QuoteJSON(t.Name), " {")
	if t.Key != nil {
		p.P("key: ", p.typ(t.Key), ";")
	}
	for _, v := range t.Values {
		p.P("value: ", p.typ(v), ";")
	}
	p.P("}")
	p.P()
}

// typ writes a type expression, custom properties first.
func (p *printer) typ(t *ir.Type) string {
	var b strings.Builder
	if t.Custom != nil {
		return p.customRef(t.Custom)
	}
	for _, pr := range t.Props {
		b.WriteString(prop(pr))
		b.WriteByte(' ')
	}
	switch t.Kind {
	case ir.Record, ir.Enum, ir.Fixed:
		if t.Named != nil {
			b.WriteString(p.ref(t.Named))
		}
	case ir.Array:
		b.WriteString("array<" + p.typ(t.Items) + ">")
	case ir.Map:
		b.WriteString("map<" + p.typ(t.Values) + ">")
	case ir.Union:
		if optional(t) {
			b.WriteString(p.typ(t.Branches[1]) + "?")
		} else {
			b.WriteString(p.unionType(t))
		}
	default:
		switch {
		case t.Logical == ir.Decimal:
			b.WriteString(decimal(t.Precision, t.Scale, t.NoScale))
		case t.Logical != ir.NoLogical:
			b.WriteString(t.Logical.String())
		default:
			b.WriteString(t.Kind.String())
		}
	}
	return b.String()
}

// decimal writes decimal(p, s), or decimal(p) when the schema gave no scale.
func decimal(precision, scale int, noScale bool) string {
	if noScale {
		return fmt.Sprintf("decimal(%d)", precision)
	}
	return fmt.Sprintf("decimal(%d, %d)", precision, scale)
}

// unionType writes a union in full: union<A, B>.
func (p *printer) unionType(t *ir.Type) string {
	parts := make([]string, len(t.Branches))
	for i, br := range t.Branches {
		parts[i] = p.typ(br)
	}
	return "union<" + strings.Join(parts, ", ") + ">"
}

// evcAnnotations are the annotation names evc gives a meaning to: a custom
// property of one of these names is written with @prop.
var evcAnnotations = map[string]bool{
	"name": true, "namespace": true, "doc": true, "aliases": true, "deprecated": true, "compat": true,
	"event": true, "go": true, "go_name": true, "order": true, "prop": true,
}

// annotationName is a property name that can be written as an annotation:
// dotted identifiers, with inner hyphens.
var annotationName = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*(?:\.[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)*$`)

// prop writes a custom property as an annotation: @x-pii(true), or
// @prop("name", value) for a name that is not an annotation name or that
// evc gives a meaning to. The value is the property's JSON, which is evc
// literal syntax.
func prop(pr ir.Prop) string {
	v := strings.TrimSpace(pr.Value)
	if annotationName().MatchString(pr.Name) && !evcAnnotations[pr.Name] {
		return "@" + pr.Name + "(" + v + ")"
	}
	return "@prop(" + ir.QuoteJSON(pr.Name) + ", " + v + ")"
}

// jsonNumber is JSON's number syntax, which evc's number literals share.
var jsonNumber = lazyregexp.New(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$`)

// literal writes a default value as an evc literal.
func literal(v *ir.Value) string {
	var b strings.Builder
	writeLiteral(&b, v)
	return b.String()
}

func writeLiteral(b *strings.Builder, v *ir.Value) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch v.Kind {
	case ir.Null:
		b.WriteString("null")
	case ir.Boolean:
		b.WriteString(strconv.FormatBool(v.Bool))
	case ir.Int, ir.Long:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case ir.Float, ir.Double:
		if jsonNumber().MatchString(v.Raw) {
			b.WriteString(v.Raw)
		} else {
			b.WriteString(ir.FormatFloat(v.Float, v.Kind))
		}
	case ir.String:
		b.WriteString(ir.QuoteJSON(v.Str))
	case ir.Enum:
		switch {
		case v.Str == "null" || v.Str == "true" || v.Str == "false":
			b.WriteString(ir.QuoteJSON(v.Str))
		default:
			b.WriteString(idl.QuoteIdent(v.Str))
		}
	case ir.Bytes, ir.Fixed:
		b.WriteString(quoteBytes(v.Bytes))
	case ir.Array:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLiteral(b, it)
		}
		b.WriteByte(']')
	case ir.Map, ir.Record:
		b.WriteByte('{')
		for i, e := range v.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ir.QuoteJSON(e.Key))
			b.WriteString(": ")
			writeLiteral(b, e.Value)
		}
		b.WriteByte('}')
	default:
		if v.Raw != "" { // a value kept as written (ir.Value.JSON)
			b.WriteString(v.Raw)
			return
		}
		b.WriteString("null")
	}
}

// quoteBytes writes bytes as a string literal whose code points are the
// bytes, escaping all but printable ASCII so that the source stays plain.
func quoteBytes(p []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range p {
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
