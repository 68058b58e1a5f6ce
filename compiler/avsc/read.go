package avsc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/compiler/names"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// nameHelp explains Avro's name rules.
const nameHelp = `Avro names contain only letters, digits and "_", and do not start with a digit; namespaces are such names joined by dots`

// Read parses one .avsc file. lookup (may be nil) resolves full names
// defined outside the file (imports). It returns the file (Types: every
// named type the schema defines, in definition order; Root: the top-level
// type; Avsc: true; Path: path) and reports every problem to l.
func Read(path string, src []byte, l *diag.List, lookup func(fullName string) *ir.Named) *ir.File {
	file := &ir.File{Path: path, Avsc: true}
	root, comment, serr := parseJSON(path, src)
	if serr != nil {
		l.Errorf(diag.At(serr.pos), "invalid JSON: %s", serr.msg)
		return file
	}
	if comment != nil {
		d := l.Warnf(*comment, "a comment is not JSON: Avro Java skips it, but most other Avro libraries refuse the file")
		d.Help = "evc reads the file as Avro Java does; evc import and compile do not keep comments"
	}
	r := &reader{file: file, l: l, lookup: lookup, src: src, defs: map[string]*ir.Named{}}
	file.Root = r.schema(root, "", 0)
	r.resolve()
	r.checkUnions()
	r.checkDefaults()
	return file
}

// reader holds the state of one Read.
type reader struct {
	file   *ir.File
	l      *diag.List
	lookup func(string) *ir.Named
	src    []byte
	defs   map[string]*ir.Named

	pending  []*pendingRef
	unions   []*ir.Type
	defaults []pendingDefault
}

// pendingRef is a reference to a type not defined when it was read.
type pendingRef struct {
	t          *ir.Type
	written    string
	candidates []string
}

// pendingDefault is a field default to check once every name is resolved.
type pendingDefault struct {
	f   *ir.Field
	lit *defaults.Literal
}

// raw returns the JSON text of lit as written.
func (r *reader) raw(lit *defaults.Literal) string {
	s, e := lit.Span.Start.Offset, lit.Span.End.Offset
	if s < 0 || e > len(r.src) || s > e {
		return defaults.Render(lit)
	}
	return string(r.src[s:e])
}

func (r *reader) prop(m defaults.Member) ir.Prop {
	return ir.Prop{Name: m.Key, Value: r.raw(m.Value), Span: diag.Span{Start: m.KeySpan.Start, End: m.Value.Span.End}}
}

// kindName names a JSON value's kind for messages.
func kindName(lit *defaults.Literal) string {
	switch lit.Kind {
	case defaults.LitNull:
		return "null"
	case defaults.LitBool:
		return "a boolean"
	case defaults.LitNumber:
		return "a number"
	case defaults.LitString:
		return "a string"
	case defaults.LitArray:
		return "an array"
	case defaults.LitObject:
		return "an object"
	}
	return "a value"
}

// object indexes an object's members, reporting duplicate keys.
type object struct {
	lit  *defaults.Literal
	keys map[string]*defaults.Member
}

func (r *reader) object(lit *defaults.Literal) *object {
	o := &object{lit: lit, keys: make(map[string]*defaults.Member, len(lit.Fields))}
	for i := range lit.Fields {
		m := &lit.Fields[i]
		if first, ok := o.keys[m.Key]; ok {
			d := r.l.Errorf(m.KeySpan, "key %q appears twice in one object", m.Key)
			d.Related = []diag.Related{{Span: first.KeySpan, Message: "first written here"}}
			continue
		}
		o.keys[m.Key] = m
	}
	return o
}

// get returns the value of key, or nil.
func (o *object) get(key string) *defaults.Literal {
	if m := o.keys[key]; m != nil {
		return m.Value
	}
	return nil
}

// str returns the string value of key; it reports a value of another kind.
func (r *reader) str(o *object, key, owner string) (string, *defaults.Literal) {
	v := o.get(key)
	if v == nil {
		return "", nil
	}
	if v.Kind != defaults.LitString {
		r.l.Errorf(v.Span, "%s: %q must be a string, not %s", owner, key, kindName(v))
		return "", nil
	}
	return v.Text, v
}

// schema reads one schema in namespace ns.
func (r *reader) schema(lit *defaults.Literal, ns string, depth int) *ir.Type {
	t := &ir.Type{Span: lit.Span}
	if depth > maxDepth {
		r.l.Errorf(lit.Span, "the schema nests more than %d levels deep", maxDepth)
		return t
	}
	switch lit.Kind {
	case defaults.LitString:
		r.typeName(t, lit.Text, lit, ns)
	case defaults.LitArray:
		t.Kind = ir.Union
		if len(lit.Items) == 0 {
			// No value has this type, but Avro Java and Python parse it,
			// and Java's compatibility rules let any union read it.
			t.Branches = []*ir.Type{}
			return t
		}
		for _, it := range lit.Items {
			t.Branches = append(t.Branches, r.schema(it, ns, depth+1))
		}
		r.unions = append(r.unions, t)
	case defaults.LitObject:
		r.complex(t, lit, ns, depth)
	default:
		r.l.Errorf(lit.Span, "a schema must be a type name, an object or an array, not %s", defaults.Render(lit))
	}
	return t
}

// typeName reads a type written by name: a primitive or a named type.
func (r *reader) typeName(t *ir.Type, name string, lit *defaults.Literal, ns string) {
	if k, ok := ir.PrimitiveKind(name); ok {
		t.Kind = k
		return
	}
	switch name {
	case "record", "error", "enum", "fixed", "array", "map":
		// A type may be named so (Avro Java looks the name up like any
		// other); only a name that no type has is a mistake.
		if n := r.defined(name, ns); n != nil {
			t.Kind, t.Named = n.Kind, n
			return
		}
		d := r.l.Errorf(lit.Span, "%q is not a type by itself: it must be written as an object", name)
		d.Help = complexHelp[name]
		return
	}
	if !names.ValidFullName(name) {
		d := r.l.Errorf(lit.Span, "type name %q is not a valid Avro name: %s", name, names.NamespaceProblem(name, true))
		d.Help = nameHelp
		return
	}
	if n := r.defined(name, ns); n != nil {
		t.Kind, t.Named = n.Kind, n
		return
	}
	r.pending = append(r.pending, &pendingRef{t: t, written: name, candidates: candidates(name, ns)})
}

// defined returns the type a name refers to in namespace ns, among those
// defined so far in the file, then those of other files, or nil.
func (r *reader) defined(name, ns string) *ir.Named {
	cands := candidates(name, ns)
	for _, c := range cands {
		if n := r.defs[c]; n != nil {
			return n
		}
	}
	if r.lookup != nil {
		for _, c := range cands {
			if n := r.lookup(c); n != nil {
				return n
			}
		}
	}
	return nil
}

var complexHelp = map[string]string{
	"record": `write {"type": "record", "name": ..., "fields": [...]}`,
	"error":  `write {"type": "error", "name": ..., "fields": [...]}`,
	"enum":   `write {"type": "enum", "name": ..., "symbols": [...]}`,
	"fixed":  `write {"type": "fixed", "name": ..., "size": ...}`,
	"array":  `write {"type": "array", "items": ...}`,
	"map":    `write {"type": "map", "values": ...}`,
}

// candidates returns the full names a reference may mean, in the order Avro
// Java tries them: a dotted name is full; otherwise the enclosing namespace,
// then the null namespace.
func candidates(name, ns string) []string {
	if strings.Contains(name, ".") || ns == "" {
		return []string{name}
	}
	return []string{ns + "." + name, name}
}

// complex reads a schema written as an object.
func (r *reader) complex(t *ir.Type, lit *defaults.Literal, ns string, depth int) {
	o := r.object(lit)
	tv := o.get("type")
	if tv == nil {
		r.l.Errorf(lit.Span, `the schema object has no "type"`)
		return
	}
	if tv.Kind != defaults.LitString {
		d := r.l.Errorf(tv.Span, `"type" must be a string, not %s`, kindName(tv))
		if tv.Kind == defaults.LitObject || tv.Kind == defaults.LitArray {
			d.Help = `a schema object names its type, as {"type": "array", "items": ...}; to use a nested schema, write it in place of the object`
		}
		return
	}
	typ := tv.Text
	switch typ {
	case "record", "error", "enum", "fixed":
		n := r.named(o, typ, ns, depth)
		t.Kind, t.Named = n.Kind, n
		return
	case "array":
		t.Kind = ir.Array
		if it := o.get("items"); it == nil {
			r.l.Errorf(lit.Span, `array has no "items"`)
		} else {
			t.Items = r.schema(it, ns, depth+1)
		}
		t.Props = r.props(o, "type", "items")
		return
	case "map":
		t.Kind = ir.Map
		if vs := o.get("values"); vs == nil {
			r.l.Errorf(lit.Span, `map has no "values"`)
		} else {
			t.Values = r.schema(vs, ns, depth+1)
		}
		t.Props = r.props(o, "type", "values")
		return
	}
	if k, ok := ir.PrimitiveKind(typ); ok {
		t.Kind = k
		consumed := r.logical(o, k, 0, &t.Logical, &t.Precision, &t.Scale, &t.NoScale)
		t.Props = r.props(o, append(consumed, "type")...)
		return
	}
	// {"type": "com.example.Name"}: a reference to a named type.
	r.typeName(t, typ, tv, ns)
	if ps := r.props(o, "type"); len(ps) > 0 {
		d := r.l.Warnf(ps[0].Span, "%q on a reference to %q is ignored", ps[0].Name, typ)
		d.Help = "a named type's attributes belong to its definition; Avro drops them on a reference"
	}
}

// props returns the members of o not in reserved, in written order.
func (r *reader) props(o *object, reserved ...string) []ir.Prop {
	var out []ir.Prop
	for _, m := range o.lit.Fields {
		if contains(reserved, m.Key) || o.keys[m.Key] != nil && o.keys[m.Key].Value != m.Value {
			continue
		}
		out = append(out, r.prop(m))
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// logical reads a logicalType on a type of kind k (size is a fixed's size)
// and returns the keys it consumed. An annotation that does not fit falls
// back to the underlying type, as the specification says; its attributes
// stay props and a warning says why.
func (r *reader) logical(o *object, k ir.Kind, size int, lg *ir.Logical, prec, scale *int, noScale *bool) []string {
	lv := o.get("logicalType")
	if lv == nil || lv.Kind != defaults.LitString {
		return nil
	}
	l, known := ir.ParseLogical(lv.Text)
	if !known {
		return nil // unknown logical types are allowed and ignored
	}
	kindText := k.String()
	if k == ir.Fixed {
		kindText = fmt.Sprintf("fixed(%d)", size)
	}
	ignore := func(why string) []string {
		d := r.l.Warnf(lv.Span, "logical type %q is ignored: %s", lv.Text, why)
		d.Help = "Avro reads an invalid logical type as its underlying type, " + kindText
		return nil
	}
	switch l {
	case ir.Decimal:
		if k != ir.Bytes && k != ir.Fixed {
			return ignore(fmt.Sprintf("it annotates bytes or fixed, not %s", kindText))
		}
		pv := o.get("precision")
		if pv == nil {
			return ignore(`decimal needs a "precision"`)
		}
		p, ok := intValue(pv)
		if !ok || p < 1 {
			return ignore(fmt.Sprintf("precision %s is not a positive integer", r.raw(pv)))
		}
		s := 0
		if sv := o.get("scale"); sv != nil {
			s, ok = intValue(sv)
			if !ok || s < 0 {
				return ignore(fmt.Sprintf("scale %s is not a non-negative integer", r.raw(sv)))
			}
		}
		if s > p {
			return ignore(fmt.Sprintf("scale %d is greater than precision %d", s, p))
		}
		if p > ir.DecimalPrecisionLimit {
			return ignore(fmt.Sprintf("precision %d is more than evc supports (%d digits)", p, ir.DecimalPrecisionLimit))
		}
		if k == ir.Fixed {
			if max := ir.MaxDecimalPrecision(size); p > max {
				return ignore(fmt.Sprintf("precision %d does not fit in %d bytes, which hold at most %d digits", p, size, max))
			}
		}
		*lg, *prec, *scale, *noScale = l, p, s, o.get("scale") == nil
		return []string{"logicalType", "precision", "scale"}
	case ir.Duration:
		if k != ir.Fixed || size != 12 {
			return ignore(fmt.Sprintf("duration annotates fixed(12), not %s", kindText))
		}
	case ir.UUID:
		if k != ir.String && (k != ir.Fixed || size != 16) {
			return ignore(fmt.Sprintf("uuid annotates string or fixed(16), not %s", kindText))
		}
	default:
		if u := l.Underlying(); k != u {
			return ignore(fmt.Sprintf("%s annotates %s, not %s", lv.Text, u, kindText))
		}
	}
	*lg = l
	return []string{"logicalType"}
}

// intValue returns the value of an integer literal that fits in 32 bits.
func intValue(lit *defaults.Literal) (int, bool) {
	if lit.Kind != defaults.LitNumber {
		return 0, false
	}
	n, err := strconv.ParseInt(lit.Text, 10, 32)
	return int(n), err == nil
}
