package ir

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evc-dev/evc/diag"
)

// Value is a default value, checked against its type. Which fields are set
// depends on Kind, the Avro kind of the value itself: for a union's default,
// Kind is that of the branch the value belongs to and Branch its index.
type Value struct {
	// Kind is the kind of the value's type (never Union).
	Kind Kind
	// Branch is the union branch the value was matched to when the value is
	// a union's default; 0 otherwise.
	Branch int
	// Bool holds a boolean.
	Bool bool
	// Int holds an int or long, exactly.
	Int int64
	// Float holds a float or double; Raw keeps its JSON text.
	Float float64
	// Str holds a string or an enum symbol.
	Str string
	// Bytes holds bytes or a fixed.
	Bytes []byte
	// Items holds an array's elements.
	Items []*Value
	// Entries holds a map's entries or a record's fields, in the order
	// written.
	Entries []Entry
	// Raw is the value's JSON text as written, when it was written as JSON
	// (defaults read from .avsc, numbers in .evc); it lets numbers keep their
	// exact spelling.
	Raw  string
	Span diag.Span
}

// Entry is a map entry or a record field value.
type Entry struct {
	Key   string
	Value *Value
	Span  diag.Span
}

// Entry returns the value of the entry named key, or nil.
func (v *Value) Entry(key string) *Value {
	for _, e := range v.Entries {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

// JSON renders v as Avro writes a default in JSON: bytes and fixed as strings
// whose code points are the bytes, records and maps as objects, unions as the
// bare value of their branch.
func (v *Value) JSON() string {
	var b strings.Builder
	v.appendJSON(&b)
	return b.String()
}

func (v *Value) appendJSON(b *strings.Builder) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch v.Kind {
	case Null:
		b.WriteString("null")
	case Boolean:
		b.WriteString(strconv.FormatBool(v.Bool))
	case Int, Long:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case Float, Double:
		b.WriteString(FormatFloat(v.Float, v.Kind))
	case String, Enum:
		b.WriteString(QuoteJSON(v.Str))
	case Bytes, Fixed:
		b.WriteString(QuoteJSON(BytesToJSONString(v.Bytes)))
	case Array:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			it.appendJSON(b)
		}
		b.WriteByte(']')
	case Map, Record:
		b.WriteByte('{')
		for i, e := range v.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteJSON(e.Key))
			b.WriteString(": ")
			e.Value.appendJSON(b)
		}
		b.WriteByte('}')
	default:
		// A record default's value for a field the record does not have:
		// kept as written (Raw), for a lossless round trip.
		if v.Raw != "" {
			b.WriteString(v.Raw)
			return
		}
		b.WriteString("null")
	}
}

// FormatFloat renders a float or double default the way Avro's JSON does:
// the shortest text that reads back to the same value, NaN and infinities as
// the strings "NaN", "Infinity" and "-Infinity" (JSON has no literal for them).
func FormatFloat(f float64, k Kind) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"Infinity"`
	case math.IsInf(f, -1):
		return `"-Infinity"`
	}
	bits := 64
	if k == Float {
		bits = 32
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// BytesToJSONString maps each byte to the code point of the same value, as
// Avro's JSON encoding of bytes and fixed does.
func BytesToJSONString(p []byte) string {
	var b strings.Builder
	for _, c := range p {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// JSONStringToBytes is the inverse of BytesToJSONString; ok is false when a
// code point is above U+00FF.
func JSONStringToBytes(s string) (p []byte, ok bool) {
	p = make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return nil, false
		}
		p = append(p, byte(r))
	}
	return p, true
}

// QuoteJSON quotes s as a JSON string, escaping only what JSON requires
// (quote, backslash, control characters) so that non-ASCII text stays
// readable.
func QuoteJSON(s string) string {
	return string(AppendQuoteJSON(make([]byte, 0, len(s)+2), s))
}

// AppendQuoteJSON appends s quoted as QuoteJSON does.
func AppendQuoteJSON(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c < 0x80 {
			i++
			continue
		}
		r, w := rune(c), 1
		if c >= 0x80 {
			r, w = utf8.DecodeRuneInString(s[i:])
			if r != '\u2028' && r != '\u2029' && r != utf8.RuneError {
				i += w
				continue
			}
		}
		b = append(b, s[start:i]...)
		switch r {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\u2028', '\u2029':
			b = append(b, `\u`...)
			b = strconv.AppendInt(b, int64(r), 16)
		case utf8.RuneError:
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xF])
		}
		i += w
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
