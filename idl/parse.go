package idl

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/diag"
)

// Parse parses one .evc file. On a syntax error it returns a nil File and the
// error as a diagnostic; the parser stops at the first syntax error of a file.
// It never panics.
func Parse(path string, src []byte) (f *File, errs []diag.Diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			f = nil
			errs = []diag.Diagnostic{{Span: diag.At(diag.Pos{File: path}), Message: fmt.Sprintf("internal error parsing file: %v", r)}}
		}
	}()
	var comments []Comment
	buf := tokenPool.Get().(*[]lexer.Token)
	defer func() { tokenPool.Put(buf) }()
	if cap(*buf) < len(src)/6 {
		*buf = make([]lexer.Token, 0, len(src)/6)
	}
	kept, err := scanInto((*buf)[:0], path, src, &comments)
	*buf = kept
	if err != nil {
		return nil, []diag.Diagnostic{syntaxError(path, err)}
	}
	f, perrs := parseRecovering(kept, eofPos(kept), maxSyntaxErrors)
	if len(perrs) > 0 {
		for _, e := range perrs {
			errs = append(errs, diag.Diagnostic{Span: diag.At(toPos(path, e.pos)), Message: "syntax error: " + e.msg})
		}
		return nil, errs
	}
	f.Path = path
	f.Comments = comments
	attachDocs(f, src)
	return f, nil
}

// tokenPool recycles token slices: the AST keeps none of them, and a
// compilation parses many files.
var tokenPool = sync.Pool{New: func() any { return new([]lexer.Token) }}

// eofPos is where the end-of-file token of toks stands: at the end of the
// last token.
func eofPos(toks []lexer.Token) lexer.Position {
	if n := len(toks); n > 0 {
		pos := toks[n-1].Pos
		pos.Advance(toks[n-1].Value)
		return pos
	}
	return lexer.Position{}
}

// syntaxError is the diagnostic for an error of the scanner.
func syntaxError(path string, err error) diag.Diagnostic {
	pos := diag.Pos{File: path}
	msg := err.Error()
	var lerr *lexer.Error
	if errors.As(err, &lerr) {
		pos = toPos(path, lerr.Pos)
		msg = lerr.Msg
	}
	return diag.Diagnostic{Span: diag.At(pos), Message: "syntax error: " + msg}
}

// toPos converts a participle position to a diag position.
func toPos(path string, p lexer.Position) diag.Pos {
	return diag.Pos{File: path, Offset: p.Offset, Line: p.Line, Col: p.Column}
}

// Span returns the diag span from start to end in file path.
func Span(path string, start, end lexer.Position) diag.Span {
	s := diag.Span{Start: toPos(path, start)}
	if end.Line > 0 {
		s.End = toPos(path, end)
	}
	return s
}

// Unquote decodes a string literal as written in evc source (JSON string
// syntax).
func Unquote(s string) (string, error) {
	var out string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return "", fmt.Errorf("invalid string literal %s", s)
	}
	return out, nil
}

// attachDocs gives every declaration, member, symbol and topic entry the
// block of /// comments that ends on the line just above it.
func attachDocs(f *File, src []byte) {
	type block struct {
		lines   []string
		endLine int
	}
	blocks := map[int]*block{} // keyed by the line after the block
	var cur *block
	for _, c := range f.Comments {
		if !c.Doc {
			cur = nil
			continue
		}
		text := strings.TrimPrefix(c.Text, "///")
		text = strings.TrimPrefix(text, " ")
		text = strings.TrimRight(text, " \t\r")
		if cur != nil && c.Pos.Line == cur.endLine+1 {
			delete(blocks, cur.endLine+1)
			cur.lines = append(cur.lines, text)
			cur.endLine = c.Pos.Line
		} else {
			cur = &block{lines: []string{text}, endLine: c.Pos.Line}
		}
		blocks[cur.endLine+1] = cur
	}
	if len(blocks) == 0 {
		return
	}
	take := func(p lexer.Position) []string {
		b := blocks[p.Line]
		if b == nil {
			return nil
		}
		delete(blocks, p.Line)
		return b.lines
	}
	if f.Namespace != nil {
		f.Doc = take(f.Namespace.Pos)
	}
	for _, d := range f.Decls {
		d.Doc = take(d.Pos)
		switch {
		case d.Record != nil:
			for _, m := range d.Record.Members {
				m.Doc = take(m.Pos)
			}
		case d.Enum != nil:
			for _, s := range d.Enum.Symbols {
				s.Doc = take(s.Pos)
			}
		case d.Topic != nil:
			for _, e := range d.Topic.Entries {
				e.Doc = take(e.Pos)
			}
		}
	}
}
