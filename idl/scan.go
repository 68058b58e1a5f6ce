package idl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// scan tokenizes src by hand. It produces exactly the tokens that the
// regular-expression rules of Lexer would (a test holds the two to that, and
// a fuzz target compares them), several times faster: it is what
// participle's lexer generator would write, without the generator.
func scan(path string, src []byte) ([]lexer.Token, error) {
	return scanInto(nil, path, src, nil)
}

// scanInto appends the tokens of src to toks, except white space, and
// comments, which go to comments when it is not nil. Token values are
// slices of one copy of src, so tokens cost no allocation of their own.
func scanInto(toks []lexer.Token, path string, src []byte, comments *[]Comment) ([]lexer.Token, error) {
	s := scanner{src: src, pos: lexer.Position{Filename: path, Line: 1, Column: 1}}
	text := string(src)
	for s.off < len(src) {
		start := s.pos
		typ, n := s.next()
		if n == 0 {
			return toks, &lexer.Error{Msg: s.badToken(), Pos: start}
		}
		val := text[s.off : s.off+n]
		s.advance(val)
		if comments != nil {
			switch typ {
			case tokWhitespace:
				continue
			case tokComment, tokDoc:
				*comments = append(*comments, Comment{Pos: start, Text: val, Doc: typ == tokDoc})
				continue
			}
		}
		toks = append(toks, lexer.Token{Type: typ, Value: val, Pos: start})
	}
	return toks, nil
}

// badToken explains why no token starts at the current offset.
func (s *scanner) badToken() string {
	b := s.src[s.off:]
	switch {
	case b[0] == '"':
		if i := lineLen(b); i < len(b) || !strings.ContainsRune(string(b[1:]), '"') {
			return "unterminated string: a string ends with \" on the same line"
		}
		return "unterminated string"
	case b[0] == '`':
		return "unterminated name: a name in backquotes ends with ` on the same line"
	case len(b) > 1 && b[0] == '/' && b[1] == '*':
		return "unclosed block comment: /* needs a closing */"
	case b[0] == '-':
		return "unexpected \"-\": a number must follow a minus sign"
	}
	r, _ := utf8.DecodeRune(b)
	if r == utf8.RuneError {
		return "invalid UTF-8 in source"
	}
	return fmt.Sprintf("unexpected character %q", string(r))
}

type scanner struct {
	src []byte
	off int
	pos lexer.Position
}

func (s *scanner) advance(text string) {
	s.off += len(text)
	s.pos.Offset = s.off
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			s.pos.Line++
			s.pos.Column = 1
			i++
		case c < utf8.RuneSelf:
			s.pos.Column++
			i++
		default:
			// Count runes as utf8.RuneCountInString does (and so
			// participle): an invalid byte is one rune.
			_, w := utf8.DecodeRuneInString(text[i:])
			s.pos.Column++
			i += w
		}
	}
}

// next returns the type and byte length of the token at the current offset,
// trying the rules in Lexer's order; n is 0 when nothing matches.
func (s *scanner) next() (lexer.TokenType, int) {
	b := s.src[s.off:]
	c := b[0]
	switch {
	case c == '/' && len(b) > 1 && b[1] == '/':
		n := lineLen(b)
		if len(b) > 2 && b[2] == '/' {
			return tokDoc, n
		}
		return tokComment, n
	case c == '/' && len(b) > 1 && b[1] == '*':
		for i := 2; i+1 < len(b); i++ {
			if b[i] == '*' && b[i+1] == '/' {
				return tokComment, i + 2
			}
		}
		return 0, 0
	case c == '"':
		for i := 1; i < len(b); i++ {
			switch b[i] {
			case '\\':
				if i+1 >= len(b) {
					return 0, 0
				}
				// An escaped character: one whole rune.
				_, w := utf8.DecodeRune(b[i+1:])
				i += w
			case '"':
				return tokString, i + 1
			case '\n':
				return 0, 0
			}
		}
		return 0, 0
	case c == '-' || c >= '0' && c <= '9':
		if n := numberLen(b); n > 0 {
			return tokNumber, n
		}
		if c == '-' {
			return 0, 0
		}
		return 0, 0
	case c == '`':
		for i := 1; i < len(b); i++ {
			switch b[i] {
			case '`':
				return tokIdentifier, i + 1
			case '\n':
				return 0, 0
			}
		}
		return 0, 0
	case isIdentStart(c):
		i := 1
		for {
			for i < len(b) && isIdentPart(b[i]) {
				i++
			}
			if i+1 < len(b) && b[i] == '-' && isIdentPart(b[i+1]) {
				i++
				continue
			}
			return tokIdentifier, i
		}
	case isPunct(c):
		return tokPunct, 1
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		i := 1
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
			i++
		}
		return tokWhitespace, i
	}
	return 0, 0
}

func lineLen(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return len(b)
}

// numberLen matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
// and returns the length of the longest match, 0 for none.
func numberLen(b []byte) int {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return 0
	}
	if i+1 < len(b) && b[i] == '.' && isDigit(b[i+1]) {
		i += 2
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j < len(b) && isDigit(b[j]) {
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }

func isPunct(c byte) bool {
	switch c {
	case '{', '}', '(', ')', '<', '>', '[', ']', ';', ':', ',', '=', '?', '@', '.':
		return true
	}
	return false
}
