package compiler

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/compiler/names"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/ir"
)

// pendingDefault is a field default to check once every type is resolved.
type pendingDefault struct {
	unit  *unit
	field *ir.Field
	lit   *defaults.Literal
}

// resolve builds the body of every declaration: field types, enum symbols,
// fixed sizes, custom types' wire types and topics. The declarations of a
// unit reused from an earlier compilation have theirs: they are checked
// against the new scope and linked to the types they use (relink).
func (c *compilation) resolve() {
	for _, d := range c.decls {
		if d.custom != nil && !d.unit.reused {
			c.resolveCustom(d)
		}
	}
	for _, d := range c.decls {
		if d.ast == nil || d.named == nil || d.unit.reused {
			continue
		}
		done := c.into(d.unit)
		switch {
		case d.ast.Record != nil:
			c.resolveRecord(d)
		case d.ast.Enum != nil:
			c.resolveEnum(d)
		case d.ast.Fixed != nil:
			c.resolveFixed(d)
		}
		done()
	}
	if !c.relink() {
		return
	}
	// Topics are resolved again every time: a topic declared twice is
	// reported at the second, wherever the first is.
	c.recording = false
	for _, u := range c.order {
		if u.ast == nil {
			continue
		}
		for _, d := range u.ast.Decls {
			if d.Topic != nil {
				c.resolveTopic(u, d)
			}
		}
	}
	// Defaults last: a record default needs the defaults of the record's
	// own fields to be known.
	for _, p := range c.pending {
		done := c.into(p.unit)
		if v := defaults.Check(fmt.Sprintf("field %q", p.field.Name), p.field.Type, p.lit, &c.res.Diags); v != nil {
			p.field.Default = v
		}
		done()
	}
	c.checkDefaultCycles()
	c.checkFinite()
}

func (c *compilation) resolveCustom(d *decl) {
	if d.resolved {
		return
	}
	// Another file's custom type may be resolved here, on first use: what
	// it reports is its file's.
	defer c.into(d.unit)()
	if d.resolving {
		c.res.Diags.Errorf(d.custom.Span, "type %q is defined in terms of itself", d.custom.Name)
		d.custom.Wire = &ir.Type{Kind: ir.String, Span: d.custom.Span}
		return
	}
	d.resolving = true
	t := c.resolveType(d.unit, d.ast.TypeDef.Type)
	d.resolving, d.resolved = false, true
	if t == nil {
		return
	}
	if !t.Kind.IsPrimitive() || t.Kind == ir.Null {
		c.res.Diags.Errorf(t.Span, "custom type %q must be carried as an Avro primitive or logical type, not %s", d.custom.Name, t.Name())
		return
	}
	wire := *t
	wire.Custom = nil
	d.custom.Wire = &wire
}

func (c *compilation) resolveRecord(d *decl) {
	u, rec, n := d.unit, d.ast.Record, d.named
	if n.Fields == nil {
		n.Fields = make([]*ir.Field, 0, len(rec.Members))
	}
	// fieldAt finds the last field called name so far: by a scan of the
	// few fields most records have, and through a map (built only then)
	// for records with many.
	var fieldMap map[string]*ir.Field
	if len(rec.Members) > 32 {
		fieldMap = make(map[string]*ir.Field, len(rec.Members))
	}
	fieldAt := func(name string) *ir.Field {
		if fieldMap != nil {
			return fieldMap[name]
		}
		for i := len(n.Fields) - 1; i >= 0; i-- {
			if n.Fields[i].Name == name {
				return n.Fields[i]
			}
		}
		return nil
	}
	var reserved []*idl.ReservedName
	for _, m := range rec.Members {
		if m.Reserved != nil {
			if len(m.Annotations) > 0 {
				c.res.Diags.Errorf(idl.Span(u.path, m.Pos, m.EndPos), "reserved takes no annotations")
			}
			reserved = append(reserved, m.Reserved.Names...)
			continue
		}
		fa := m.Field
		an := c.annotations(u, m.Annotations, onField)
		nameSpan := idl.Span(u.path, fa.NamePos, fa.NameEnd)
		f := &ir.Field{
			Name: string(fa.Name), Order: an.order,
			Deprecated: an.deprecated, DeprecatedReason: an.deprecatedReason, Props: an.props,
			GoName: an.goName, Span: idl.Span(u.path, m.Pos, m.EndPos), NameSpan: nameSpan,
		}
		f.Doc, f.EmptyDoc = c.docOf(m.Doc, an)
		for _, al := range an.aliases {
			if p := names.Problem(al.val); p != "" {
				c.res.Diags.Errorf(al.span, "field alias %q is not a valid Avro name: it %s", al.val, p)
				continue
			}
			f.Aliases = append(f.Aliases, al.val)
		}
		if p := names.Problem(f.Name); p != "" {
			c.res.Diags.Errorf(nameSpan, "field name %q is not a valid Avro name: it %s", f.Name, p)
		}
		if prev := fieldAt(f.Name); prev != nil {
			c.res.Diags.Add(diag.Diagnostic{Span: nameSpan, Message: fmt.Sprintf("field %q is already defined in record %q", f.Name, n.Name),
				Related: []diag.Related{{Span: prev.NameSpan, Message: "first defined here"}}})
		}
		if fieldMap != nil {
			fieldMap[f.Name] = f
		}
		f.Type = c.resolveType(u, fa.Type)
		if f.Type == nil {
			f.Type = &ir.Type{Kind: ir.Invalid}
		}
		if fa.Default != nil {
			if lit, ok := c.literal(u, fa.Default); ok && f.Type.Kind != ir.Invalid {
				// A placeholder, so that record defaults that omit this
				// field see that it has one; replaced once checked.
				f.Default = pendingValue
				c.pending = append(c.pending, pendingDefault{unit: u, field: f, lit: lit})
			}
		} else if f.Type.Optional {
			f.Default = &ir.Value{Kind: ir.Null, Span: f.Type.Span}
		}
		n.Fields = append(n.Fields, f)
	}
	n.Reserved = c.reserved(u, reserved, "field", func(name string) diag.Span {
		if f := fieldAt(name); f != nil {
			return f.NameSpan
		}
		return diag.Span{}
	})
}

// pendingValue stands for a field default until it is checked (one value
// for all: nothing writes to it).
var pendingValue = &ir.Value{Kind: ir.Invalid}

// reserved records reserved names and reports uses of them.
func (c *compilation) reserved(u *unit, list []*idl.ReservedName, what string, used func(string) diag.Span) []ir.Reserved {
	var out []ir.Reserved
	seen := map[string]bool{}
	for _, r := range list {
		name := r.Name()
		sp := idl.Span(u.path, r.Pos, r.EndPos)
		if seen[name] {
			c.res.Diags.Errorf(sp, "%q is reserved twice", name)
			continue
		}
		seen[name] = true
		if p := names.Problem(name); p != "" {
			c.res.Diags.Errorf(sp, "reserved name %q is not a valid Avro name: it %s", name, p)
		}
		if at := used(name); at.IsValid() {
			c.res.Diags.Add(diag.Diagnostic{Span: at, Message: fmt.Sprintf("%s %q is reserved: an earlier version used it", what, name),
				Related: []diag.Related{{Span: sp, Message: "reserved here"}},
				Help:    "choose another name, or remove it from reserved if reusing it is really safe"})
		}
		out = append(out, ir.Reserved{Name: name, Span: sp})
	}
	return out
}

func (c *compilation) resolveEnum(d *decl) {
	u, en, n := d.unit, d.ast.Enum, d.named
	at := map[string]*ir.Symbol{}
	if len(en.Symbols) == 0 {
		// Avro accepts it, but no value can ever be written.
		c.res.Diags.Warnf(n.NameSpan, "enum %q has no symbols, so no value of it can be written", n.Name)
	}
	for _, s := range en.Symbols {
		an := c.annotations(u, s.Annotations, onSymbol)
		sp := idl.Span(u.path, s.NamePos, s.NameEnd)
		sym := &ir.Symbol{Name: string(s.Name), Deprecated: an.deprecated, DeprecatedReason: an.deprecatedReason, Span: sp}
		sym.Doc, _ = c.docOf(s.Doc, an)
		if p := names.Problem(sym.Name); p != "" {
			c.res.Diags.Errorf(sp, "enum symbol %q is not a valid Avro name: it %s", sym.Name, p)
		}
		if prev := at[sym.Name]; prev != nil {
			c.res.Diags.Add(diag.Diagnostic{Span: sp, Message: fmt.Sprintf("symbol %q appears twice in enum %q", sym.Name, n.Name),
				Related: []diag.Related{{Span: prev.Span, Message: "first here"}}})
			continue
		}
		at[sym.Name] = sym
		n.Symbols = append(n.Symbols, sym)
	}
	var reserved []*idl.ReservedName
	for _, r := range en.Reserved {
		reserved = append(reserved, r.Names...)
	}
	n.Reserved = c.reserved(u, reserved, "symbol", func(name string) diag.Span {
		if s := at[name]; s != nil {
			return s.Span
		}
		return diag.Span{}
	})
	if en.Default != nil {
		def := string(*en.Default)
		sp := idl.Span(u.path, en.DefaultPos, en.DefaultEnd)
		if at[def] == nil {
			c.res.Diags.Errorf(sp, "enum default %q is not a symbol of %q", def, n.Name).Help = "the default must be one of the symbols: " + symbolList(n)
		} else {
			n.Default, n.HasDefault = def, true
		}
	}
}

func symbolList(n *ir.Named) string {
	var s []string
	for _, sym := range n.Symbols {
		s = append(s, sym.Name)
	}
	return strings.Join(s, ", ")
}

func (c *compilation) resolveFixed(d *decl) {
	u, fx, n := d.unit, d.ast.Fixed, d.named
	size, err := strconv.Atoi(fx.Size)
	if err != nil || size < 0 || size > ir.MaxFixedSize {
		c.res.Diags.Errorf(n.NameSpan, "fixed %q has size %s; the size must be a whole number from 0 to %d", n.Name, fx.Size, ir.MaxFixedSize)
		size = 1
	}
	n.Size = size
	lg := fx.Logical
	if lg == nil {
		return
	}
	lsp := idl.Span(u.path, lg.Pos, lg.EndPos)
	switch string(lg.Name) {
	case "decimal":
		if lg.Precision == nil {
			c.res.Diags.Errorf(lsp, "decimal needs a precision, as in decimal(10, 2)")
			return
		}
		p, s, ok := c.decimalParams(lsp, *lg.Precision, lg.Scale)
		if !ok {
			return
		}
		if max := ir.MaxDecimalPrecision(size); p > max {
			c.res.Diags.Errorf(lsp, "decimal precision %d does not fit in fixed %q of %d bytes (at most %d digits)", p, n.Name, size, max)
			return
		}
		n.Logical, n.Precision, n.Scale, n.NoScale = ir.Decimal, p, s, lg.Scale == nil
	case "duration":
		if lg.Precision != nil {
			c.res.Diags.Errorf(lsp, "duration takes no parameters")
		}
		if size != 12 {
			c.res.Diags.Errorf(lsp, "a duration is a fixed of 12 bytes, but %q has %d", n.Name, size)
			return
		}
		n.Logical = ir.Duration
	case "uuid":
		if lg.Precision != nil {
			c.res.Diags.Errorf(lsp, "uuid takes no parameters")
		}
		if size != 16 {
			c.res.Diags.Errorf(lsp, "a uuid on a fixed needs 16 bytes, but %q has %d", n.Name, size)
			return
		}
		n.Logical = ir.UUID
	default:
		c.res.Diags.Errorf(lsp, "unknown logical type %q for a fixed", string(lg.Name)).Help = "a fixed may be a decimal(p, s), a duration or a uuid"
	}
}

func (c *compilation) decimalParams(sp diag.Span, prec string, scale *string) (p, s int, ok bool) {
	p, err := strconv.Atoi(prec)
	if err != nil || p < 1 {
		c.res.Diags.Errorf(sp, "decimal precision must be a whole number of at least 1, not %s", prec)
		return 0, 0, false
	}
	if scale != nil {
		s, err = strconv.Atoi(*scale)
		if err != nil || s < 0 {
			c.res.Diags.Errorf(sp, "decimal scale must be a whole number of at least 0, not %s", *scale)
			return 0, 0, false
		}
	}
	if s > p {
		c.res.Diags.Errorf(sp, "decimal scale %d is greater than its precision %d", s, p)
		return 0, 0, false
	}
	if p > ir.DecimalPrecisionLimit {
		d := c.res.Diags.Errorf(sp, "decimal precision %d is more than evc supports (%d digits)", p, ir.DecimalPrecisionLimit)
		d.Help = "a decimal's Go value holds 10^scale; keep the precision at most " + strconv.Itoa(ir.DecimalPrecisionLimit)
		return 0, 0, false
	}
	return p, s, true
}

// logicalNames maps the names of logical types to what they annotate.
var logicalNames = map[string]ir.Logical{
	"date": ir.Date, "time-millis": ir.TimeMillis, "time-micros": ir.TimeMicros,
	"timestamp-millis": ir.TimestampMillis, "timestamp-micros": ir.TimestampMicros,
	"local-timestamp-millis": ir.LocalTimestampMillis, "local-timestamp-micros": ir.LocalTimestampMicros,
	"uuid": ir.UUID,
}

// resolveType turns a type expression into an IR type, or reports why it
// cannot and returns nil.
func (c *compilation) resolveType(u *unit, e *idl.TypeExpr) *ir.Type {
	t := c.resolveBase(u, e)
	if t == nil {
		return nil
	}
	an := c.annotations(u, e.Annotations, onType)
	if len(an.props) > 0 {
		switch t.Kind {
		case ir.Record, ir.Enum, ir.Fixed:
			c.res.Diags.Errorf(an.props[0].Span, "a reference to %s cannot carry custom properties; put them on its declaration", t.Name())
		case ir.Union:
			// Avro writes a union as a JSON array, which has no attributes.
			c.res.Diags.Errorf(an.props[0].Span, "a union cannot carry custom properties: Avro writes it as a JSON array").Help = "put the property on the field instead"
		default:
			t.Props = an.props
		}
	}
	if !e.Optional {
		return t
	}
	sp := idl.Span(u.path, e.Pos, e.EndPos)
	switch t.Kind {
	case ir.Union:
		c.res.Diags.Errorf(sp, "%s? is a union inside a union; add null to the union instead", t.Name())
		return nil
	case ir.Null:
		c.res.Diags.Errorf(sp, "null? is just null")
		return nil
	}
	return &ir.Type{Kind: ir.Union, Optional: true, Branches: []*ir.Type{{Kind: ir.Null, Span: sp}, t}, Span: sp}
}

func (c *compilation) resolveBase(u *unit, e *idl.TypeExpr) *ir.Type {
	sp := idl.Span(u.path, e.Pos, e.EndPos)
	switch {
	case e.Array != nil:
		items := c.resolveType(u, e.Array)
		if items == nil {
			return nil
		}
		return &ir.Type{Kind: ir.Array, Items: items, Span: sp}
	case e.Map != nil:
		vals := c.resolveType(u, e.Map)
		if vals == nil {
			return nil
		}
		return &ir.Type{Kind: ir.Map, Values: vals, Span: sp}
	case e.Union != nil:
		return c.resolveUnion(u, e.Union, sp)
	case e.Decimal != nil:
		p, s, ok := c.decimalParams(sp, e.Decimal.Precision, e.Decimal.Scale)
		if !ok {
			return nil
		}
		return &ir.Type{Kind: ir.Bytes, Logical: ir.Decimal, Precision: p, Scale: s, NoScale: e.Decimal.Scale == nil, Span: sp}
	case e.Name != nil:
		return c.resolveName(u, e.Name)
	}
	return nil
}

func (c *compilation) resolveUnion(u *unit, ue *idl.UnionExpr, sp diag.Span) *ir.Type {
	t := &ir.Type{Kind: ir.Union, Span: sp}
	seen := map[string]*ir.Type{}
	ok := true
	for _, be := range ue.Branches {
		b := c.resolveType(u, be)
		if b == nil {
			ok = false
			continue
		}
		if b.Kind == ir.Union {
			c.res.Diags.Errorf(b.Span, "a union may not contain a union directly")
			ok = false
			continue
		}
		key := b.Kind.String()
		if b.Kind.IsNamed() {
			key = b.Named.FullName()
		}
		if prev := seen[key]; prev != nil {
			what := "type " + key
			if !b.Kind.IsNamed() && prev.Name() != b.Name() {
				what = fmt.Sprintf("%s and %s are both %s", prev.Name(), b.Name(), key)
				c.res.Diags.Errorf(b.Span, "a union may hold one branch of each unnamed type: %s", what)
			} else {
				c.res.Diags.Errorf(b.Span, "union branch %s appears twice", key)
			}
			ok = false
			continue
		}
		seen[key] = b
		t.Branches = append(t.Branches, b)
	}
	if !ok {
		return nil
	}
	return t
}

// resolveName looks up a type name: a primitive or logical type, or a
// declared type visible from u (declared in u or in a file it imports).
func (c *compilation) resolveName(u *unit, q *idl.QualifiedName) *ir.Type {
	sp := idl.Span(u.path, q.Pos, q.EndPos)
	name := q.String()
	if len(q.Parts) == 1 {
		if k, ok := ir.PrimitiveKind(name); ok {
			return &ir.Type{Kind: k, Span: sp}
		}
		if l, ok := logicalNames[name]; ok {
			return &ir.Type{Kind: l.Underlying(), Logical: l, Span: sp}
		}
		if name == "decimal" {
			c.res.Diags.Errorf(sp, "decimal needs a precision and a scale, as in decimal(10, 2)")
			return nil
		}
	}
	d := c.lookupFrom(u, name, sp)
	if d == nil {
		return nil
	}
	if d.custom != nil {
		c.resolveCustom(d)
		if d.custom.Wire == nil {
			return nil
		}
		t := *d.custom.Wire
		t.Custom = d.custom
		t.Span = sp
		return &t
	}
	return &ir.Type{Kind: d.named.Kind, Named: d.named, Span: sp}
}

// lookup finds the declaration a name refers to from u.
func (c *compilation) lookup(u *unit, name string, sp diag.Span) *decl {
	visible := func(d *decl) bool {
		if d.unit == u {
			return true
		}
		for _, e := range u.imports {
			if e.target == d.unit {
				return true
			}
		}
		return false
	}
	pick := func(cands []*decl) (*decl, []*decl) {
		var vis []*decl
		for _, d := range cands {
			if visible(d) {
				vis = append(vis, d)
			}
		}
		if len(vis) == 1 {
			return vis[0], nil
		}
		return nil, vis
	}
	ns := ""
	if u.file != nil {
		ns = u.file.Namespace
	}
	var tried []string
	if !strings.Contains(name, ".") {
		tried = append(tried, ir.JoinName(ns, name))
		if d, _ := pick(c.scope.byName[ir.JoinName(ns, name)]); d != nil {
			return d
		}
		// A unique visible type of that short name in another namespace.
		var cands []*decl
		for _, d := range c.decls {
			if d.named != nil && d.named.Name == name || d.custom != nil && d.custom.Name == name {
				if visible(d) {
					cands = append(cands, d)
				}
			}
		}
		if len(cands) == 1 {
			return cands[0]
		}
		if len(cands) > 1 {
			var full []string
			for _, d := range cands {
				full = append(full, strconv.Quote(d.fullName()))
			}
			sort.Strings(full)
			c.res.Diags.Errorf(sp, "type name %q is ambiguous: it could be %s", name, strings.Join(full, " or ")).Help = "write the fully-qualified name"
			return nil
		}
	} else {
		tried = append(tried, name)
		if d, _ := pick(c.scope.byName[name]); d != nil {
			return d
		}
	}
	// Not visible: say where it is, if it exists.
	var hidden *decl
	for _, key := range tried {
		if ds := c.scope.byName[key]; len(ds) > 0 {
			hidden = ds[0]
		}
	}
	if hidden == nil && !strings.Contains(name, ".") {
		for _, d := range c.decls {
			if d.named != nil && d.named.Name == name || d.custom != nil && d.custom.Name == name {
				hidden = d
				break
			}
		}
	}
	if hidden != nil {
		what := fmt.Sprintf("%q", name)
		if hidden.fullName() != name {
			what = fmt.Sprintf("%q (%s)", name, hidden.fullName())
		}
		d := c.res.Diags.Errorf(sp, "type %s is defined in %s, which this file does not import", what, hidden.unit.path)
		d.Help = fmt.Sprintf("add: import %q;", relImport(u.path, hidden.unit.path))
		return nil
	}
	d := c.res.Diags.Errorf(sp, "unknown type %q", name)
	if s := c.suggest(name); s != "" {
		d.Help = fmt.Sprintf("did you mean %q?", s)
	}
	return nil
}

// suggest returns a known name close to name, for "did you mean".
func (c *compilation) suggest(name string) string {
	best, bestD := "", 3
	try := func(cand string) {
		if d := diag.EditDistance(strings.ToLower(name), strings.ToLower(cand)); d < bestD {
			best, bestD = cand, d
		}
	}
	for k := ir.Null; k <= ir.String; k++ {
		try(k.String())
	}
	for n := range logicalNames {
		try(n)
	}
	for _, d := range c.decls {
		if d.named != nil {
			try(d.named.Name)
		} else {
			try(d.custom.Name)
		}
	}
	return best
}

// relImport is the import path from one file to another.
func relImport(from, to string) string {
	fromDir := strings.Split(from, "/")
	fromDir = fromDir[:len(fromDir)-1]
	toParts := strings.Split(to, "/")
	i := 0
	for i < len(fromDir) && i < len(toParts)-1 && fromDir[i] == toParts[i] {
		i++
	}
	var parts []string
	for range fromDir[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, toParts[i:]...)
	return strings.Join(parts, "/")
}

// validTopicName reports whether name is a valid Kafka topic name: 1 to
// 249 characters from [A-Za-z0-9._-], and not "." or "..". (A regular
// expression with {1,249} would cost milliseconds at every start to
// compile.)
func validTopicName(name string) bool {
	if len(name) == 0 || len(name) > 249 || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

func (c *compilation) resolveTopic(u *unit, d *idl.Decl) {
	tp := d.Topic
	sp := idl.Span(u.path, tp.Pos, tp.EndPos)
	nsp := idl.Span(u.path, tp.NamePos, tp.NameEnd)
	name, err := idl.Unquote(tp.Name)
	if err != nil {
		c.res.Diags.Errorf(nsp, "%v", err)
		return
	}
	if !validTopicName(name) {
		c.res.Diags.Errorf(nsp, "%q is not a valid Kafka topic name", name).Help = "a topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'"
	}
	if len(d.Annotations) > 0 {
		c.annotations(u, d.Annotations, onTopic)
	}
	if prev := c.topics[name]; prev != nil {
		c.res.Diags.Add(diag.Diagnostic{Span: nsp, Message: fmt.Sprintf("topic %q is already declared", name),
			Related: []diag.Related{{Span: prev.Span, Message: "first declared here"}}})
		return
	}
	t := &ir.Topic{Name: name, Doc: docText(d.Doc), File: u.file, Span: sp}
	c.topics[name] = t
	for _, e := range tp.Entries {
		esp := idl.Span(u.path, e.Pos, e.EndPos)
		typ := c.resolveType(u, e.Type)
		if typ == nil {
			continue
		}
		switch e.Role {
		case "key":
			if t.Key != nil {
				c.res.Diags.Errorf(esp, "topic %q has more than one key type", name)
				continue
			}
			t.Key = typ
		case "value":
			for _, v := range t.Values {
				if v.Name() == typ.Name() {
					c.res.Diags.Errorf(esp, "topic %q lists value type %s twice", name, typ.Name())
				}
			}
			t.Values = append(t.Values, typ)
		}
	}
	if len(t.Values) == 0 {
		c.res.Diags.Errorf(sp, "topic %q declares no value type", name).Help = "add a line such as: value: MyEvent;"
	}
	if c.topicSubjects && len(t.Values) > 1 {
		names := make([]string, len(t.Values))
		for i, v := range t.Values {
			names[i] = v.Name()
		}
		c.res.Diags.Warnf(sp, "topic %q carries %d value types (%s), which TopicNameStrategy registers under the one subject %q",
			name, len(names), strings.Join(names, ", "), name+"-value").Help =
			"a registry in BACKWARD mode rejects the second as incompatible with the first; name subjects by type (RecordNameStrategy, the runtime's default, or TopicRecordNameStrategy), or give each value type its own topic"
	}
	u.file.Topics = append(u.file.Topics, t)
}

// build assembles the schema from the files in order.
func (c *compilation) build() {
	s := c.res.Schema
	for _, u := range c.order {
		if u.file == nil {
			continue
		}
		// Set, not appended to: a reused file has the list of the
		// compilation that made it.
		u.file.Imports = nil
		for _, e := range u.imports {
			u.file.Imports = append(u.file.Imports, e.target.path)
		}
		s.Files = append(s.Files, u.file)
		for _, n := range u.file.Types {
			if !c.repeats[n] {
				s.Types = append(s.Types, n)
			}
		}
		s.Customs = append(s.Customs, u.file.Customs...)
		s.Topics = append(s.Topics, u.file.Topics...)
	}
	s.Index()
}
