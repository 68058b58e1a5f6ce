package diag

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Col count from 1; Col counts
// runes, not bytes. Offset is the byte offset from the start of the file.
// The zero Pos means "no position".
type Pos struct {
	File   string
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p names a real place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders p as path:line:col, or just path when p has no line.
func (p Pos) String() string {
	switch {
	case p.File == "" && !p.IsValid():
		return "-"
	case !p.IsValid():
		return p.File
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// Before reports whether p sorts before q: by file, then by offset.
func (p Pos) Before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Span is a range in one source file, from Start up to (not including) End.
// An End that is not valid means the span is a single point.
type Span struct {
	Start Pos
	End   Pos
}

// String renders the start of the span.
func (s Span) String() string { return s.Start.String() }

// IsValid reports whether the span has a real start.
func (s Span) IsValid() bool { return s.Start.IsValid() }

// At returns a span that is the single point p.
func At(p Pos) Span { return Span{Start: p} }

// PosAt returns the position of byte offset off in src (clamped to the
// text), with its line and a column counted in runes, as diagnostics show
// it: for readers of JSON and other formats that know only offsets.
func PosAt(file string, src []byte, off int) Pos {
	off = min(max(off, 0), len(src))
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	ls := bytes.LastIndexByte(src[:off], '\n') + 1
	return Pos{File: file, Offset: off, Line: line, Col: utf8.RuneCount(src[ls:off]) + 1}
}
