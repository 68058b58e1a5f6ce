package defaults

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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
}

// Check checks lit against t and returns the typed value; on a mismatch it
// reports to l and returns nil. subject names the owner in messages, e.g.
// `field "user"`.
func Check(subject string, t *ir.Type, lit *Literal, l *diag.List) *ir.Value {
	if t == nil || lit == nil {
		return nil
	}
	v, p := check(t, lit, 0)
	if p == nil {
		return v
	}
	var d *diag.Diagnostic
	if p.path == "" && p.mismatch {
		d = l.Errorf(p.span, "%s has default %s, but its type is %s", subject, short(lit), t.Name())
	} else {
		d = l.Errorf(p.span, "%s has an invalid default: %s%s", subject, shortPath(p.path), p.reason)
	}
	d.Help = p.help
	return nil
}

func mismatch(t *ir.Type, lit *Literal) *problem {
	return &problem{mismatch: true, reason: fmt.Sprintf("expected %s, found %s", t.Name(), describe(lit)), span: lit.Span}
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

func check(t *ir.Type, lit *Literal, depth int) (*ir.Value, *problem) {
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
			return nil, invalid(lit.Span, "%s is %d bytes long, but %s has size %d", short(lit), len(b), t.Name(), t.Named.Size)
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
			iv, p := check(t.Items, it, depth+1)
			if p != nil {
				return nil, within(fmt.Sprintf("item %d", i+1), p)
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
			mv, p := check(t.Values, m.Value, depth+1)
			if p != nil {
				return nil, within("key "+ir.QuoteJSON(m.Key), p)
			}
			v.Entries = append(v.Entries, ir.Entry{Key: m.Key, Value: mv, Span: m.KeySpan})
		}
	case ir.Record:
		if lit.Kind != LitObject || t.Named == nil {
			return nil, mismatch(t, lit)
		}
		return checkRecord(t, lit, v, depth)
	case ir.Union:
		return checkUnion(t, lit, depth)
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

func checkRecord(t *ir.Type, lit *Literal, v *ir.Value, depth int) (*ir.Value, *problem) {
	n := t.Named
	seen := make(map[string]bool, len(lit.Fields))
	for _, m := range lit.Fields {
		f := n.Field(m.Key)
		if f == nil {
			return nil, invalid(m.KeySpan, "%s has no field %s", n.FullName(), ir.QuoteJSON(m.Key))
		}
		if seen[m.Key] {
			return nil, invalid(m.KeySpan, "field %s is written twice", ir.QuoteJSON(m.Key))
		}
		seen[m.Key] = true
		fv, p := check(f.Type, m.Value, depth+1)
		if p != nil {
			return nil, within("field "+ir.QuoteJSON(m.Key), p)
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

func checkUnion(t *ir.Type, lit *Literal, depth int) (*ir.Value, *problem) {
	if len(t.Branches) == 0 {
		return nil, mismatch(t, lit)
	}
	v, p := check(t.Branches[0], lit, depth+1)
	if p == nil {
		v.Branch = 0
		return v, nil
	}
	if !p.mismatch || p.path != "" {
		return nil, p
	}
	// The literal is not of the first branch's kind: the problem is the
	// union's, and the help says which branch it would have matched.
	q := mismatch(t, lit)
	if t.Optional {
		q.help = "the default of an optional type can only be null (Avro takes a union's default from its first branch)"
	}
	for i, b := range t.Branches[1:] {
		if _, bp := check(b, lit, depth+1); bp == nil {
			if t.Optional {
				q.help = fmt.Sprintf("the default of an optional type can only be null; for a default of %s, write a union with %s first", short(lit), b.Name())
			} else {
				q.help = fmt.Sprintf("Avro takes a union's default from its first branch, %s; %s would fit branch %d, %s, if it came first", t.Branches[0].Name(), short(lit), i+2, b.Name())
			}
			break
		}
	}
	return nil, q
}
