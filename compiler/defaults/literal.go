package defaults

import (
	"strings"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// LitKind is the kind of a Literal.
type LitKind uint8

// The literal kinds.
const (
	LitNull LitKind = iota
	LitBool
	LitNumber
	LitString
	LitArray
	LitObject
	LitIdent
)

// Literal is a default value as written: JSON in .avsc, a JSON-like literal
// in .evc (where a bare identifier, LitIdent, names an enum symbol).
type Literal struct {
	Kind LitKind
	Bool bool
	// Text is, for LitNumber, the number exactly as written; for LitString,
	// the decoded string; for LitIdent, the identifier.
	Text string
	// Items are a LitArray's elements.
	Items []*Literal
	// Fields are a LitObject's members, in written order.
	Fields []Member
	Span   diag.Span
}

// Member is one key and value of an object literal.
type Member struct {
	Key     string
	KeySpan diag.Span
	Value   *Literal
}

// Render renders a literal compactly for messages: 3, "abc", [1, 2],
// {"a": 1}.
func Render(lit *Literal) string {
	var b strings.Builder
	render(&b, lit)
	return b.String()
}

func render(b *strings.Builder, lit *Literal) {
	if lit == nil {
		b.WriteString("null")
		return
	}
	switch lit.Kind {
	case LitNull:
		b.WriteString("null")
	case LitBool:
		if lit.Bool {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case LitNumber, LitIdent:
		b.WriteString(lit.Text)
	case LitString:
		b.WriteString(ir.QuoteJSON(lit.Text))
	case LitArray:
		b.WriteByte('[')
		for i, it := range lit.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			render(b, it)
		}
		b.WriteByte(']')
	case LitObject:
		b.WriteByte('{')
		for i, m := range lit.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ir.QuoteJSON(m.Key))
			b.WriteString(": ")
			render(b, m.Value)
		}
		b.WriteByte('}')
	}
}

// maxRender is the longest rendering of a literal a message shows.
const maxRender = 60

// short renders lit for a message, cut to maxRender runes.
func short(lit *Literal) string {
	s := Render(lit)
	if r := []rune(s); len(r) > maxRender {
		return string(r[:maxRender-3]) + "..."
	}
	return s
}

// describe names what lit is, for "expected T, found X".
func describe(lit *Literal) string {
	switch lit.Kind {
	case LitArray:
		return "an array"
	case LitObject:
		return "an object"
	}
	return short(lit)
}
