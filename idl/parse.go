package idl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

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
	if errs := textErrors(path, src); len(errs) > 0 {
		return nil, errs
	}
	// Every comment starts with // or /*: counting them (an overcount when
	// a string holds some) sizes the list once.
	comments := make([]Comment, 0, bytes.Count(src, slashSlash)+bytes.Count(src, slashStar))
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
			errs = append(errs, diag.Diagnostic{Span: diag.At(toPos(path, e.pos)), Message: "syntax error: " + e.msg, Help: e.help})
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

// textErrors reports what makes src not UTF-8 text, which evc source must
// be: invalid UTF-8, NUL bytes, and byte order marks after the start (a
// leading one is dropped before parsing). They would otherwise reach the
// .avsc docs and the generated Go (which refuses all three) from a comment
// or a string. At most maxSyntaxErrors are reported.
func textErrors(path string, src []byte) []diag.Diagnostic {
	if utf8.Valid(src) && bytes.IndexByte(src, 0) < 0 && !bytes.Contains(src[min(len(src), 3):], bom) {
		return nil
	}
	var errs []diag.Diagnostic
	line, col := 1, 1
	for i := 0; i < len(src) && len(errs) < maxSyntaxErrors; {
		r, w := utf8.DecodeRune(src[i:])
		msg, help := "", ""
		switch {
		case r == utf8.RuneError && w == 1:
			msg, help = "invalid UTF-8 in source", "evc source is UTF-8 text; save the file as UTF-8"
		case r == 0:
			msg, help = "the source holds a NUL byte", "evc source is text; remove it"
		case r == '\ufeff' && i > 0:
			msg, help = "the source holds a byte order mark (U+FEFF) after its start", "remove it"
		}
		if msg != "" {
			errs = append(errs, diag.Diagnostic{Span: diag.At(diag.Pos{File: path, Offset: i, Line: line, Col: col}), Message: msg, Help: help})
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += w
	}
	return errs
}

var (
	bom        = []byte("\ufeff")
	slashSlash = []byte("//")
	slashStar  = []byte("/*")
)

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
	// A block is lines[start:end], ending on line endLine. Comments come
	// in order, and so do the nodes that take them (each starts on a line
	// at or after the one before), so one pass over each does.
	type block struct{ start, end, endLine int }
	ndoc, nblock, prev := 0, 0, -1 // prev: the line of the last doc comment
	for _, c := range f.Comments {
		if !c.Doc {
			prev = -1
			continue
		}
		if prev < 0 || c.Pos.Line != prev+1 {
			nblock++
		}
		ndoc, prev = ndoc+1, c.Pos.Line
	}
	if ndoc == 0 {
		return
	}
	lines := make([]string, 0, ndoc)
	blocks := make([]block, 0, nblock)
	inBlock := false
	for _, c := range f.Comments {
		if !c.Doc {
			inBlock = false
			continue
		}
		text := strings.TrimPrefix(c.Text, "///")
		text = strings.TrimPrefix(text, " ")
		text = strings.TrimRight(text, " \t\r")
		lines = append(lines, text)
		if b := len(blocks) - 1; inBlock && c.Pos.Line == blocks[b].endLine+1 {
			blocks[b].end, blocks[b].endLine = len(lines), c.Pos.Line
		} else {
			blocks = append(blocks, block{start: len(lines) - 1, end: len(lines), endLine: c.Pos.Line})
		}
		inBlock = true
	}
	next := 0
	take := func(p lexer.Position) []string {
		for next < len(blocks) && blocks[next].endLine+1 < p.Line {
			next++
		}
		if next == len(blocks) || blocks[next].endLine+1 != p.Line {
			return nil
		}
		b := blocks[next]
		next++
		return lines[b.start:b.end:b.end]
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
