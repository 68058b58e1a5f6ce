package lsp

import (
	"sort"
	"unicode/utf8"

	"github.com/evc-dev/evc/diag"
)

// lines maps between byte offsets in a text and LSP positions, whose
// characters count UTF-16 code units (or bytes, when the client agreed to
// UTF-8).
type lines struct {
	text  []byte
	start []int // byte offset of each line
	utf8  bool
}

func newLines(text []byte, utf8Enc bool) *lines {
	l := &lines{text: text, start: []int{0}, utf8: utf8Enc}
	for i, c := range text {
		if c == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	return l
}

// position returns the LSP position of a byte offset.
func (l *lines) position(off int) Position {
	off = max(0, min(off, len(l.text)))
	line := sort.Search(len(l.start), func(i int) bool { return l.start[i] > off }) - 1
	seg := l.text[l.start[line]:off]
	if l.utf8 {
		return Position{Line: line, Character: len(seg)}
	}
	n := 0
	for len(seg) > 0 {
		r, size := utf8.DecodeRune(seg)
		seg = seg[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return Position{Line: line, Character: n}
}

// offset returns the byte offset of an LSP position, clamped to the text.
func (l *lines) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(l.start) {
		return len(l.text)
	}
	off := l.start[p.Line]
	end := len(l.text)
	if p.Line+1 < len(l.start) {
		end = l.start[p.Line+1] - 1
	}
	if l.utf8 {
		return min(off+max(p.Character, 0), end)
	}
	n := 0
	for off < end && n < p.Character {
		r, size := utf8.DecodeRune(l.text[off:end])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		off += size
	}
	return off
}

// spanRange converts a span of this text to an LSP range. A span with no
// end covers its start.
func (l *lines) spanRange(sp diag.Span) Range {
	start := l.position(l.posOffset(sp.Start))
	end := start
	if sp.End.IsValid() {
		if e := l.posOffset(sp.End); e >= l.posOffset(sp.Start) {
			end = l.position(e)
		}
	}
	return Range{Start: start, End: end}
}

// posOffset is the byte offset of a position: its Offset, or worked out
// from its line and column when only they are set.
func (l *lines) posOffset(p diag.Pos) int {
	if p.Offset > 0 || p.Line <= 1 {
		if p.Offset == 0 && p.Col > 1 {
			return p.Col - 1
		}
		return p.Offset
	}
	if p.Line-1 < len(l.start) {
		return l.start[p.Line-1] + max(p.Col-1, 0)
	}
	return len(l.text)
}
