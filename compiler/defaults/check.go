package defaults

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// maxDepth bounds how deep a default may nest, so a hostile literal cannot
// exhaust the stack.
const maxDepth = 1000

// problem is why a literal does not fit its type.
type problem struct {
	path     string // "item 2: field \"x\": ", empty at the top
	mismatch bool   // the literal is of the wrong kind for the type
	reason   string
	span     diag.Span
	help     string
	// t and lit are the type and the literal of a mismatch.
	t   *ir.Type
	lit *Literal
}

// Check checks lit against t and returns the typed value; on a mismatch it
// reports to l and returns nil. subject names the owner in messages, e.g.
// `field "user"`.
//
// What the specification forbids but Avro Java accepts, and so Schema
// Registries hold, is a warning that says what Java does: a union default of
// a branch other than the first (Java takes the first branch it fits), a
// fixed default of the wrong length (Java pads or cuts it), a record default
// with a key the record has no field for (Java ignores it; the value keeps
// it, so the schema is written back as it was). The one exception is the T?
// shorthand of .evc, whose default can only be null: that stays an error.
func Check(subject string, t *ir.Type, lit *Literal, l *diag.List) *ir.Value {
	return (&checker{}).run(subject, t, lit, l)
}

// CheckAvsc is Check for a default read from an .avsc file, where a union of
// null and T is no shorthand: a default of T is a warning too.
func CheckAvsc(subject string, t *ir.Type, lit *Literal, l *diag.List) *ir.Value {
	return (&checker{avsc: true}).run(subject, t, lit, l)
}

// checker checks one default; warns collects what Avro Java accepts outside
// the specification, reported only if the default is valid otherwise.
type checker struct {
	avsc  bool
	warns []*problem
}

func (c *checker) warn(p *problem) { c.warns = append(c.warns, p) }

func (c *checker) run(subject string, t *ir.Type, lit *Literal, l *diag.List) *ir.Value {
	if t == nil || lit == nil {
		return nil
	}
	v, p := c.check(t, lit, 0)
	if p == nil {
		for _, w := range c.warns {
			d := l.Warnf(w.span, "%s has a default outside the Avro specification: %s%s", subject, shortPath(w.path), w.reason)
			d.Help = w.help
		}
		return v
	}
	var d *diag.Diagnostic
	if p.path == "" && p.mismatch {
		d = l.Errorf(p.span, "%s has default %s, but its type is %s", subject, short(lit), t.Name())
	} else {
		d = l.Errorf(p.span, "%s has an invalid default: %s%s", subject, shortPath(p.path), p.reason)
	}
	d.Help = p.help
	if p.mismatch && d.Help == "" {
		d.Help = mismatchHelp(p.t, p.lit, c.avsc)
	}
	return nil
}

func mismatch(t *ir.Type, lit *Literal) *problem {
	return &problem{mismatch: true, reason: fmt.Sprintf("expected %s, found %s", t.Name(), describe(lit)), span: lit.Span, t: t, lit: lit}
}

// mismatchHelp explains the common mistakes: null for a type that cannot
// be null, {} for a list and [] for a map, and a date or time written as a
// string where Avro wants a number.
func mismatchHelp(t *ir.Type, lit *Literal, avsc bool) string {
	switch {
	case lit.Kind == LitNull && t.Kind != ir.Union && avsc:
		return `only a union with "null" as its first branch can default to null`
	case lit.Kind == LitNull && t.Kind != ir.Union:
		return fmt.Sprintf("only an optional type can default to null: write %s? (its default is then null), or give a default of type %s", t.Name(), t.Name())
	case t.Kind == ir.Array && lit.Kind == LitObject:
		return "an array default is a list: []"
	case t.Kind == ir.Map && lit.Kind == LitArray:
		return "a map default is an object: {}"
	case lit.Kind == LitString && t.Logical != ir.NoLogical:
		return timeHelp(t.Logical, lit.Text)
	}
	return ""
}

// timeHelp says what number a date or time logical type wants, and the
// number for the string when it is an RFC 3339 time or a date.
func timeHelp(l ir.Logical, s string) string {
	var unit string
	var per time.Duration
	switch l {
	case ir.Date:
		unit, per = "days since 1970-01-01", 24*time.Hour
	case ir.TimestampMillis, ir.LocalTimestampMillis:
		unit, per = "milliseconds since 1970-01-01T00:00:00Z", time.Millisecond
	case ir.TimestampMicros, ir.LocalTimestampMicros:
		unit, per = "microseconds since 1970-01-01T00:00:00Z", time.Microsecond
	case ir.TimeMillis:
		return "a time-millis default is a number: milliseconds after midnight"
	case ir.TimeMicros:
		return "a time-micros default is a number: microseconds after midnight"
	default:
		return ""
	}
	help := fmt.Sprintf("a %s default is a number: %s", l, unit)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		at, err = time.Parse(time.DateOnly, s)
	}
	if err == nil {
		if since := at.Sub(time.Unix(0, 0)); since%per == 0 {
			help += fmt.Sprintf(" (%s is %d)", s, since/per)
		}
	}
	return help
}

func invalid(span diag.Span, format string, args ...any) *problem {
	return &problem{reason: fmt.Sprintf(format, args...), span: span}
}

// maxPath is the longest path to a nested problem a message shows.
const maxPath = 120

// shortPath cuts the middle out of a very long path ("item 1: item 1: ...").
func shortPath(path string) string {
	if len(path) <= maxPath {
		return path
	}
	head := strings.LastIndex(path[:maxPath/2], ": ") + 2
	tail := strings.Index(path[len(path)-maxPath/2:], ": ") + len(path) - maxPath/2 + 2
	return path[:head] + "...: " + path[tail:]
}

// within prefixes p's path with one step.
func within(step string, p *problem) *problem {
	p.path = step + ": " + p.path
	return p
}

// nested checks a value inside another, adding step to the path of the
// problem and of the warnings it finds.
func (c *checker) nested(step string, t *ir.Type, lit *Literal, depth int) (*ir.Value, *problem) {
	n := len(c.warns)
	v, p := c.check(t, lit, depth)
	for _, w := range c.warns[n:] {
		within(step, w)
	}
	if p != nil {
		return nil, within(step, p)
	}
	return v, nil
}

func (c *checker) check(t *ir.Type, lit *Literal, depth int) (*ir.Value, *problem) {
	if depth > maxDepth {
		return nil, invalid(lit.Span, "it nests more than %d levels deep", maxDepth)
	}
	v := &ir.Value{Kind: t.Kind, Span: lit.Span}
	switch t.Kind {
	case ir.Null:
		if lit.Kind != LitNull {
			return nil, mismatch(t, lit)
		}
	case ir.Boolean:
		if lit.Kind != LitBool {
			return nil, mismatch(t, lit)
		}
		v.Bool = lit.Bool
	case ir.Int, ir.Long:
		if lit.Kind != LitNumber {
			return nil, mismatch(t, lit)
		}
		bits := 64
		if t.Kind == ir.Int {
			bits = 32
		}
		n, err := strconv.ParseInt(lit.Text, 10, bits)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return nil, invalid(lit.Span, "%s is out of range for %s", lit.Text, t.Kind)
			}
			return nil, mismatch(t, lit)
		}
		v.Int, v.Raw = n, lit.Text
	case ir.Float, ir.Double:
		f, p := checkFloat(t, lit)
		if p != nil {
			return nil, p
		}
		v.Float = f
		if lit.Kind == LitNumber {
			v.Raw = lit.Text
		}
	case ir.String:
		if lit.Kind != LitString {
			return nil, mismatch(t, lit)
		}
		v.Str = lit.Text
	case ir.Bytes, ir.Fixed:
		if lit.Kind != LitString {
			return nil, mismatch(t, lit)
		}
		b, ok := ir.JSONStringToBytes(lit.Text)
		if !ok {
			return nil, invalid(lit.Span, "%s has a character above U+00FF, but each character of a %s default is one byte", short(lit), t.Kind)
		}
		if t.Kind == ir.Fixed && t.Named != nil && len(b) != t.Named.Size {
			w := invalid(lit.Span, "%s is %d bytes long, but %s has size %d", short(lit), len(b), t.Name(), t.Named.Size)
			w.help = fmt.Sprintf("Avro Java pads it with zero bytes to %d bytes; other libraries may refuse it", t.Named.Size)
			if len(b) > t.Named.Size {
				w.help = fmt.Sprintf("Avro Java cuts it to %d bytes; other libraries may refuse it", t.Named.Size)
			}
			c.warn(w)
		}
		v.Bytes = b
	case ir.Enum:
		if lit.Kind != LitString && lit.Kind != LitIdent {
			return nil, mismatch(t, lit)
		}
		if t.Named != nil && t.Named.SymbolIndex(lit.Text) < 0 {
			return nil, invalid(lit.Span, "%s is not a symbol of %s", short(lit), t.Name())
		}
		v.Str = lit.Text
	case ir.Array:
		if lit.Kind != LitArray || t.Items == nil {
			return nil, mismatch(t, lit)
		}
		v.Items = make([]*ir.Value, 0, len(lit.Items))
		for i, it := range lit.Items {
			iv, p := c.nested(fmt.Sprintf("item %d", i+1), t.Items, it, depth+1)
			if p != nil {
				return nil, p
			}
			v.Items = append(v.Items, iv)
		}
	case ir.Map:
		if lit.Kind != LitObject || t.Values == nil {
			return nil, mismatch(t, lit)
		}
		seen := make(map[string]bool, len(lit.Fields))
		for _, m := range lit.Fields {
			if seen[m.Key] {
				return nil, invalid(m.KeySpan, "key %s is written twice", ir.QuoteJSON(m.Key))
			}
			seen[m.Key] = true
			mv, p := c.nested("key "+ir.QuoteJSON(m.Key), t.Values, m.Value, depth+1)
			if p != nil {
				return nil, p
			}
			v.Entries = append(v.Entries, ir.Entry{Key: m.Key, Value: mv, Span: m.KeySpan})
		}
	case ir.Record:
		if lit.Kind != LitObject || t.Named == nil {
			return nil, mismatch(t, lit)
		}
		return c.checkRecord(t, lit, v, depth)
	case ir.Union:
		return c.checkUnion(t, lit, depth)
	default:
		return nil, mismatch(t, lit)
	}
	return v, nil
}

func checkFloat(t *ir.Type, lit *Literal) (float64, *problem) {
	switch lit.Kind {
	case LitString:
		switch lit.Text {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		return 0, mismatch(t, lit)
	case LitNumber:
	default:
		return 0, mismatch(t, lit)
	}
	bits := 64
	if t.Kind == ir.Float {
		bits = 32
	}
	f, err := strconv.ParseFloat(lit.Text, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, invalid(lit.Span, "%s is out of range for %s", lit.Text, t.Kind)
		}
		return 0, mismatch(t, lit)
	}
	return f, nil
}

func (c *checker) checkRecord(t *ir.Type, lit *Literal, v *ir.Value, depth int) (*ir.Value, *problem) {
	n := t.Named
	seen := make(map[string]bool, len(lit.Fields))
	for _, m := range lit.Fields {
		if seen[m.Key] {
			return nil, invalid(m.KeySpan, "field %s is written twice", ir.QuoteJSON(m.Key))
		}
		seen[m.Key] = true
		f := n.Field(m.Key)
		if f == nil {
			w := invalid(m.KeySpan, "%s has no field %s", n.FullName(), ir.QuoteJSON(m.Key))
			w.help = "Avro ignores it; evc keeps it as written"
			c.warn(w)
			// Kept as written, so that the schema is written back the same;
			// nothing reads it, as no field has that name.
			v.Entries = append(v.Entries, ir.Entry{Key: m.Key, Value: &ir.Value{Kind: ir.Invalid, Raw: Render(m.Value), Span: m.Value.Span}, Span: m.KeySpan})
			continue
		}
		fv, p := c.nested("field "+ir.QuoteJSON(m.Key), f.Type, m.Value, depth+1)
		if p != nil {
			return nil, p
		}
		v.Entries = append(v.Entries, ir.Entry{Key: m.Key, Value: fv, Span: m.KeySpan})
	}
	for _, f := range n.Fields {
		if !seen[f.Name] && f.Default == nil {
			return nil, invalid(lit.Span, "field %s is missing, and %s gives it no default", ir.QuoteJSON(f.Name), n.FullName())
		}
	}
	return v, nil
}

func (c *checker) checkUnion(t *ir.Type, lit *Literal, depth int) (*ir.Value, *problem) {
	if len(t.Branches) == 0 {
		return nil, mismatch(t, lit)
	}
	n := len(c.warns)
	v, p := c.check(t.Branches[0], lit, depth+1)
	if p == nil {
		v.Branch = 0
		return v, nil
	}
	c.warns = c.warns[:n] // of a branch that did not fit
	if !p.mismatch || p.path != "" {
		return nil, p
	}
	if !t.Optional || c.avsc {
		// Avro Java takes the first branch the value fits.
		for i, b := range t.Branches[1:] {
			n := len(c.warns)
			bv, bp := c.check(b, lit, depth+1)
			if bp != nil {
				c.warns = c.warns[:n]
				continue
			}
			bv.Branch = i + 1
			w := invalid(lit.Span, "%s is of branch %d of %s, %s, not of the first", short(lit), i+2, t.Name(), b.Name())
			w.help = fmt.Sprintf("Avro Java reads it as branch %d; the specification and most other libraries need a value of the first branch, %s", i+2, t.Branches[0].Name())
			c.warns = append(c.warns[:n], append([]*problem{w}, c.warns[n:]...)...)
			return bv, nil
		}
	}
	// The literal fits no branch, or this is T? and it is not null: the
	// problem is the union's, and for T? the help says how to write it.
	q := mismatch(t, lit)
	if t.Optional {
		q.help = "the default of an optional type can only be null (Avro takes a union's default from its first branch)"
		if _, bp := (&checker{}).check(t.Branches[1], lit, depth+1); bp == nil {
			q.help = fmt.Sprintf("the default of an optional type can only be null; for a default of %s, write a union with %s first", short(lit), t.Branches[1].Name())
		}
	}
	return nil, q
}
