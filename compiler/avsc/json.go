package avsc

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/diag"
)

// maxDepth bounds how deep JSON may nest, so hostile input cannot exhaust
// the stack.
const maxDepth = 1000

// jsonParser parses JSON into defaults.Literal trees, which keep the span
// of every value and key, key order, and numbers as written.
type jsonParser struct {
	file string
	src  []byte
	pos  diag.Pos // the position of src[pos.Offset]
	// comment is the span of the first comment, if any: JSON has none,
	// but Avro Java's parser allows // and /* */ comments (Jackson's
	// ALLOW_COMMENTS), so files with them exist.
	comment *diag.Span
	// unclosed is where a /* comment that never ends starts.
	unclosed *diag.Pos
}

// syntaxError is a JSON syntax error at a position.
type syntaxError struct {
	pos diag.Pos
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// parseJSON parses src as one JSON value, with comments as Avro Java allows
// them; comment is the span of the first, or nil.
func parseJSON(file string, src []byte) (v *defaults.Literal, comment *diag.Span, err *syntaxError) {
	p := &jsonParser{file: file, src: src, pos: diag.Pos{File: file, Line: 1, Col: 1}}
	v, err = p.parse()
	if err != nil && p.unclosed != nil {
		err = &syntaxError{pos: *p.unclosed, msg: "a /* comment is never closed"}
	}
	return v, p.comment, err
}

func (p *jsonParser) parse() (*defaults.Literal, *syntaxError) {
	src := p.src
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.pos.Offset = 3 // a UTF-8 byte order mark
	}
	p.skipSpace()
	if p.eof() {
		return nil, p.errorf("the file is empty: expected a JSON schema")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.eof() {
		return nil, p.errorf("unexpected %s after the schema", p.describe())
	}
	return v, nil
}

func (p *jsonParser) eof() bool { return p.pos.Offset >= len(p.src) }

func (p *jsonParser) errorf(format string, args ...any) *syntaxError {
	return &syntaxError{pos: p.pos, msg: fmt.Sprintf(format, args...)}
}

// describe names the character at the current position for an error.
func (p *jsonParser) describe() string {
	if p.eof() {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos.Offset:])
	if r == utf8.RuneError {
		return "invalid UTF-8"
	}
	return strconv.QuoteRune(r)
}

// advance moves past one rune.
func (p *jsonParser) advance() {
	c := p.src[p.pos.Offset]
	if c < utf8.RuneSelf {
		p.pos.Offset++
		if c == '\n' {
			p.pos.Line++
			p.pos.Col = 1
			return
		}
		p.pos.Col++
		return
	}
	_, n := utf8.DecodeRune(p.src[p.pos.Offset:])
	p.pos.Offset += n
	p.pos.Col++
}

func (p *jsonParser) skipSpace() {
	for !p.eof() {
		switch p.src[p.pos.Offset] {
		case ' ', '\t', '\n', '\r':
			p.advance()
		case '/':
			if !p.skipComment() {
				return
			}
		default:
			return
		}
	}
}

// skipComment skips a // or /* */ comment at the current position and
// reports whether there was one.
func (p *jsonParser) skipComment() bool {
	rest := p.src[p.pos.Offset:]
	var end int
	switch {
	case len(rest) >= 2 && rest[1] == '/':
		end = len(rest)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			end = i
		}
	case len(rest) >= 2 && rest[1] == '*':
		i := bytes.Index(rest[2:], []byte("*/"))
		if i < 0 {
			start := p.pos
			p.unclosed = &start
			return false
		}
		end = i + 4
	default:
		return false
	}
	start := p.pos
	for p.pos.Offset < start.Offset+end {
		p.advance()
	}
	if p.comment == nil {
		sp := p.span(start)
		p.comment = &sp
	}
	return true
}

func (p *jsonParser) span(start diag.Pos) diag.Span { return diag.Span{Start: start, End: p.pos} }

func (p *jsonParser) value(depth int) (*defaults.Literal, *syntaxError) {
	if depth > maxDepth {
		return nil, p.errorf("JSON nests more than %d levels deep", maxDepth)
	}
	if p.eof() {
		return nil, p.errorf("unexpected end of file: expected a value")
	}
	start := p.pos
	switch c := p.src[p.pos.Offset]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &defaults.Literal{Kind: defaults.LitString, Text: s, Span: p.span(start)}, nil
	case c == '-' || c >= '0' && c <= '9':
		text, err := p.number()
		if err != nil {
			return nil, err
		}
		return &defaults.Literal{Kind: defaults.LitNumber, Text: text, Span: p.span(start)}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		for !p.eof() && isWordByte(p.src[p.pos.Offset]) {
			p.advance()
		}
		word := string(p.src[start.Offset:p.pos.Offset])
		lit := &defaults.Literal{Span: p.span(start)}
		switch word {
		case "null":
			lit.Kind = defaults.LitNull
		case "true":
			lit.Kind, lit.Bool = defaults.LitBool, true
		case "false":
			lit.Kind = defaults.LitBool
		default:
			return nil, &syntaxError{pos: start, msg: fmt.Sprintf("unexpected word %q: expected a JSON value (strings need double quotes)", word)}
		}
		return lit, nil
	default:
		return nil, p.errorf("unexpected %s: expected a JSON value", p.describe())
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func (p *jsonParser) object(depth int) (*defaults.Literal, *syntaxError) {
	start := p.pos
	p.advance() // {
	lit := &defaults.Literal{Kind: defaults.LitObject}
	p.skipSpace()
	if !p.eof() && p.src[p.pos.Offset] == '}' {
		p.advance()
		lit.Span = p.span(start)
		return lit, nil
	}
	for {
		p.skipSpace()
		if p.eof() || p.src[p.pos.Offset] != '"' {
			return nil, p.errorf("unexpected %s: expected a key in double quotes", p.describe())
		}
		keyStart := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		keySpan := p.span(keyStart)
		p.skipSpace()
		if p.eof() || p.src[p.pos.Offset] != ':' {
			return nil, p.errorf("unexpected %s: expected ':' after key %q", p.describe(), key)
		}
		p.advance()
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		lit.Fields = append(lit.Fields, defaults.Member{Key: key, KeySpan: keySpan, Value: v})
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("unexpected end of file: expected ',' or '}'")
		}
		switch p.src[p.pos.Offset] {
		case ',':
			p.advance()
			continue
		case '}':
			p.advance()
			lit.Span = p.span(start)
			return lit, nil
		}
		return nil, p.errorf("unexpected %s: expected ',' or '}'", p.describe())
	}
}

func (p *jsonParser) array(depth int) (*defaults.Literal, *syntaxError) {
	start := p.pos
	p.advance() // [
	lit := &defaults.Literal{Kind: defaults.LitArray}
	p.skipSpace()
	if !p.eof() && p.src[p.pos.Offset] == ']' {
		p.advance()
		lit.Span = p.span(start)
		return lit, nil
	}
	for {
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		lit.Items = append(lit.Items, v)
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("unexpected end of file: expected ',' or ']'")
		}
		switch p.src[p.pos.Offset] {
		case ',':
			p.advance()
			continue
		case ']':
			p.advance()
			lit.Span = p.span(start)
			return lit, nil
		}
		return nil, p.errorf("unexpected %s: expected ',' or ']'", p.describe())
	}
}

// number scans a JSON number and returns its text.
func (p *jsonParser) number() (string, *syntaxError) {
	start := p.pos.Offset
	digits := func() int {
		n := 0
		for !p.eof() && p.src[p.pos.Offset] >= '0' && p.src[p.pos.Offset] <= '9' {
			p.advance()
			n++
		}
		return n
	}
	if p.src[p.pos.Offset] == '-' {
		p.advance()
	}
	if !p.eof() && p.src[p.pos.Offset] == '0' {
		p.advance()
		if !p.eof() && p.src[p.pos.Offset] >= '0' && p.src[p.pos.Offset] <= '9' {
			return "", p.errorf("a JSON number cannot have a leading zero")
		}
	} else if digits() == 0 {
		return "", p.errorf("unexpected %s: expected a digit", p.describe())
	}
	if !p.eof() && p.src[p.pos.Offset] == '.' {
		p.advance()
		if digits() == 0 {
			return "", p.errorf("unexpected %s: expected a digit after '.'", p.describe())
		}
	}
	if !p.eof() && (p.src[p.pos.Offset] == 'e' || p.src[p.pos.Offset] == 'E') {
		p.advance()
		if !p.eof() && (p.src[p.pos.Offset] == '+' || p.src[p.pos.Offset] == '-') {
			p.advance()
		}
		if digits() == 0 {
			return "", p.errorf("unexpected %s: expected a digit in the exponent", p.describe())
		}
	}
	return string(p.src[start:p.pos.Offset]), nil
}

// str scans a JSON string and returns it decoded. Invalid UTF-8 and lone
// surrogates become U+FFFD, as encoding/json does.
func (p *jsonParser) str() (string, *syntaxError) {
	p.advance() // "
	var b []byte
	for {
		if p.eof() {
			return "", p.errorf("unexpected end of file in a string")
		}
		c := p.src[p.pos.Offset]
		switch {
		case c == '"':
			p.advance()
			return string(b), nil
		case c < 0x20:
			return "", p.errorf("a control character (%U) in a string must be escaped", rune(c))
		case c == '\\':
			escStart := p.pos
			p.advance()
			if p.eof() {
				return "", p.errorf("unexpected end of file in a string")
			}
			e := p.src[p.pos.Offset]
			p.advance()
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", &syntaxError{pos: escStart, msg: `a \u escape needs four hex digits`}
				}
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					if p.pos.Offset+1 < len(p.src) && p.src[p.pos.Offset] == '\\' && p.src[p.pos.Offset+1] == 'u' {
						save := p.pos
						p.advance()
						p.advance()
						lo, ok := p.hex4()
						if ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
							r2 = utf16.DecodeRune(r, lo)
						} else {
							p.pos = save
						}
					}
					r = r2
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", &syntaxError{pos: escStart, msg: fmt.Sprintf(`invalid escape \%c in a string`, e)}
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.advance()
		default:
			r, n := utf8.DecodeRune(p.src[p.pos.Offset:])
			if r == utf8.RuneError && n == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.src[p.pos.Offset:p.pos.Offset+n]...)
			}
			p.advance()
		}
	}
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos.Offset+4 > len(p.src) {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.src[p.pos.Offset+i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	for i := 0; i < 4; i++ {
		p.advance()
	}
	return r, true
}
