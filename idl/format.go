package idl

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/diag"
)

// The canonical layout, in short: two-space indentation; one blank line
// between top-level declarations (consecutive imports, consecutive options,
// and consecutive fixed and type declarations without annotations may stay
// together); blank lines
// between members kept as at most one, none after an opening or before a
// closing brace; annotations of declarations and fields one a line above
// them, annotations of types and enum symbols inline; short enums without
// comments on one line; literals and type expressions on one line, with
// single spaces after commas and around "="; strings and numbers as written;
// names in backquotes only where a plain name would not read back the same.
// Every comment is kept where it was relative to the tokens around it: on
// its own line, or at the end of a line.

// maxEnumLine is the longest line a one-line enum may take.
const maxEnumLine = 100

// Format parses src and returns it in evc's one canonical layout, with every
// comment kept. Formatting is idempotent: Format of its own output returns
// that output unchanged. On a syntax error it returns nil and the error.
func Format(path string, src []byte) ([]byte, []diag.Diagnostic) {
	// A byte order mark is not part of the text, and the canonical layout
	// has none.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	f, errs := Parse(path, src)
	if len(errs) > 0 {
		return nil, errs
	}
	out, err := FormatFile(f, src)
	if err != nil {
		return nil, []diag.Diagnostic{{Span: diag.At(diag.Pos{File: path}), Message: err.Error()}}
	}
	return out, nil
}

// FormatFile prints f, which Parse returned for src, in the canonical layout.
// It reads src again for the comments and for the tokens the AST does not
// keep (such as trailing commas). An error means f does not come from src.
func FormatFile(f *File, src []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("evc: formatting %s: internal error: %v", f.Path, r)
		}
	}()
	all, err := scan(f.Path, src)
	if err != nil {
		return nil, fmt.Errorf("evc: formatting %s: %w", f.Path, err)
	}
	p := &printer{buf: make([]byte, 0, len(src)+len(src)/8)}
	for _, t := range all {
		switch t.Type {
		case tokWhitespace, lexer.EOF:
		case tokComment, tokDoc:
			p.comments = append(p.comments, Comment{Pos: t.Pos, Text: t.Value, Doc: t.Type == tokDoc})
		default:
			p.toks = append(p.toks, t)
		}
	}
	p.file(f)
	if p.err == nil && p.ti != len(p.toks) {
		p.fail("token %q not printed", p.toks[p.ti].Value)
	}
	if p.err != nil {
		return nil, fmt.Errorf("evc: formatting %s: %w", f.Path, p.err)
	}
	return p.buf, nil
}

// ws is the whitespace asked for before the next item.
type ws uint8

const (
	wsNone  ws = iota
	wsSpace    // one space
	wsLine     // a line break (one blank line kept from the source if keep is set)
	wsBlank    // a blank line
)

// printer walks the AST and the source tokens together: each token the AST
// implies is consumed from toks, and the comments that come before it in the
// source are written first.
type printer struct {
	toks     []lexer.Token // the source's tokens, without comments and whitespace
	comments []Comment
	ti, ci   int // next token, next comment

	buf   []byte
	depth int  // block nesting
	cont  bool // a comment broke a line that the layout keeps whole: indent once more
	pend  ws
	keep  bool // keep one blank line of the source before the next item

	trailingDoc bool // the last item written is a doc comment at the end of a line

	lastLine int // source line where the last token or comment consumed ends
	err      error
}

func (p *printer) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// space asks for a space before the next item.
func (p *printer) space() {
	if p.pend < wsSpace {
		p.pend = wsSpace
	}
}

// line asks for a line break before the next item; keep says whether a blank
// line of the source there is kept.
func (p *printer) line(keep bool) {
	if p.pend < wsLine {
		p.pend = wsLine
	}
	p.keep = keep
	p.cont = false
}

// blank asks for a blank line before the next item.
func (p *printer) blank() {
	p.pend = wsBlank
	p.keep = true
	p.cont = false
}

// sep writes the whitespace asked for, before an item at source line line.
func (p *printer) sep(line int) {
	if len(p.buf) == 0 {
		p.pend = wsNone
		return
	}
	switch p.pend {
	case wsSpace:
		p.buf = append(p.buf, ' ')
	case wsLine, wsBlank:
		p.buf = append(p.buf, '\n')
		// A doc comment at the end of a line documents what is on the next
		// line: no blank line may come between them.
		glued := p.trailingDoc && line == p.lastLine+1
		if (p.pend == wsBlank && !glued) || (p.keep && line > 0 && line-p.lastLine >= 2) {
			p.buf = append(p.buf, '\n')
		}
		n := p.depth
		if p.cont {
			n++
		}
		for i := 0; i < n; i++ {
			p.buf = append(p.buf, "  "...)
		}
	}
	p.pend = wsNone
	p.trailingDoc = false
}

// peek returns the next source token's value, or "" at the end.
func (p *printer) peek() string {
	if p.ti < len(p.toks) {
		return p.toks[p.ti].Value
	}
	return ""
}

// next consumes the next source token, writing the comments before it.
func (p *printer) next() lexer.Token {
	if p.ti >= len(p.toks) {
		p.fail("unexpected end of tokens")
		return lexer.Token{}
	}
	t := p.toks[p.ti]
	p.flush(t.Pos.Offset, t.Pos.Line, closing(t.Value))
	p.ti++
	return t
}

// done records that the token t was consumed (after any space before it).
func (p *printer) done(t lexer.Token) { p.lastLine = t.Pos.Line }

func closing(v string) bool { return v == "}" || v == ")" || v == "]" || v == ">" }

// emit consumes one source token and writes text for it.
func (p *printer) emit(text string) {
	t := p.next()
	p.sep(t.Pos.Line)
	p.buf = append(p.buf, text...)
	p.done(t)
}

// expect consumes the token v and writes it.
func (p *printer) expect(v string) {
	if got := p.peek(); got != v {
		p.fail("at %q: expected %q", got, v)
		return
	}
	p.emit(v)
}

// accept consumes and writes v if it is the next token.
func (p *printer) accept(v string) bool {
	if p.peek() != v {
		return false
	}
	p.emit(v)
	return true
}

// skip consumes v without writing it, if it is the next token.
func (p *printer) skip(v string) {
	if p.peek() == v {
		p.done(p.next())
	}
}

// write writes text that has no source token (a comma the layout adds).
func (p *printer) write(text string) {
	p.sep(0)
	p.buf = append(p.buf, text...)
}

// verbatim consumes one token and writes it as written (strings, numbers).
func (p *printer) verbatim() {
	if p.ti >= len(p.toks) {
		p.fail("unexpected end of tokens")
		return
	}
	p.emit(p.toks[p.ti].Value)
}

// flush writes the comments that start before offset off. line is the
// source line of the token that follows them; closing says whether it
// closes a block or a list.
func (p *printer) flush(off, line int, closing bool) {
	if p.ci >= len(p.comments) || p.comments[p.ci].Pos.Offset >= off {
		return
	}
	// midLine: the layout puts the next token on the current line, so a
	// line the comments break is a continuation line.
	midLine := len(p.buf) > 0 && p.pend < wsLine
	for p.ci < len(p.comments) && p.comments[p.ci].Pos.Offset < off {
		c := p.comments[p.ci]
		p.ci++
		text := c.Text
		isLine := strings.HasPrefix(text, "//")
		if isLine {
			text = strings.TrimRight(text, " \t\r")
		}
		endLine := c.Pos.Line + strings.Count(text, "\n")
		if len(p.buf) > 0 && c.Pos.Line == p.lastLine {
			// At the end of the line of what was written before it.
			p.buf = append(p.buf, ' ')
			p.buf = append(p.buf, text...)
			p.lastLine = endLine
			p.trailingDoc = c.Doc
			if isLine && p.pend < wsLine {
				p.pend, p.keep, p.cont = wsLine, false, midLine
			}
			continue
		}
		if len(p.buf) > 0 && p.pend < wsLine {
			p.pend, p.keep, p.cont = wsLine, false, midLine
		}
		p.sep(c.Pos.Line)
		p.buf = append(p.buf, text...)
		p.lastLine = endLine
		nextLine, nextIsComment := line, false
		if p.ci < len(p.comments) && p.comments[p.ci].Pos.Offset < off {
			nextLine, nextIsComment = p.comments[p.ci].Pos.Line, true
		}
		if !isLine && nextLine == endLine {
			p.pend = wsSpace
		} else {
			p.pend = wsLine
			p.keep = nextIsComment || !closing
		}
	}
}

// closeBlock writes the comments left in a block at its indentation, then
// the closing brace on a line of its own.
func (p *printer) closeBlock() {
	p.line(true)
	if p.ti < len(p.toks) {
		t := p.toks[p.ti]
		p.flush(t.Pos.Offset, t.Pos.Line, true)
	}
	p.keep = false
	p.depth--
	p.expect("}")
}

// match returns the index of the token that closes the bracket at toks[i].
func (p *printer) match(i int) int {
	open := p.toks[i].Value
	close := map[string]string{"{": "}", "(": ")", "[": "]", "<": ">"}[open]
	depth := 0
	for j := i; j < len(p.toks); j++ {
		switch p.toks[j].Value {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(p.toks) - 1
}

// commentsBetween reports whether a comment lies between tokens i and j.
func (p *printer) commentsBetween(i, j int) bool {
	lo, hi := p.toks[i].Pos.Offset, p.toks[j].Pos.Offset
	for _, c := range p.comments[p.ci:] {
		if c.Pos.Offset > hi {
			break
		}
		if c.Pos.Offset > lo {
			return true
		}
	}
	return false
}

func (p *printer) file(f *File) {
	if f.Namespace != nil {
		p.expect("namespace")
		p.space()
		p.qname(f.Namespace.Name, false)
		p.expect(";")
	}
	for i, d := range f.Decls {
		switch {
		case i > 0 && compact(f.Decls[i-1]) != 0 && compact(f.Decls[i-1]) == compact(d):
			p.line(true)
		case i > 0 || f.Namespace != nil:
			p.blank()
		}
		p.decl(d)
	}
	p.line(true)
	p.flush(math.MaxInt, math.MaxInt, true)
	if len(p.buf) > 0 {
		p.buf = append(p.buf, '\n')
	}
}

// compact returns, for a one-line declaration that may sit right below
// another of its group, the group: 1 for imports, 2 for options, 3 for fixed
// and type declarations without annotations; 0 for every other declaration.
func compact(d *Decl) int {
	switch {
	case d.Import != nil:
		return 1
	case d.Option != nil:
		return 2
	case (d.Fixed != nil || d.TypeDef != nil) && len(d.Annotations) == 0:
		return 3
	}
	return 0
}

func (p *printer) decl(d *Decl) {
	for _, a := range d.Annotations {
		p.annotation(a)
		p.line(false)
	}
	switch {
	case d.Import != nil:
		p.expect("import")
		p.space()
		p.verbatim()
		p.expect(";")
	case d.Option != nil:
		p.expect("option")
		p.space()
		p.ident(d.Option.Name, nil)
		p.space()
		p.expect("=")
		p.space()
		p.literal(d.Option.Value)
		p.expect(";")
	case d.Record != nil:
		p.record(d.Record)
	case d.Enum != nil:
		p.enum(d.Enum)
	case d.Fixed != nil:
		p.fixed(d.Fixed)
	case d.TypeDef != nil:
		p.expect("type")
		p.space()
		p.ident(d.TypeDef.Name, nil)
		p.space()
		p.expect("=")
		p.space()
		p.typeExpr(d.TypeDef.Type)
		p.expect(";")
	case d.Topic != nil:
		p.topic(d.Topic)
	}
}

func (p *printer) record(r *Record) {
	p.expect(r.Keyword)
	p.space()
	p.ident(r.Name, nil)
	p.space()
	open := p.ti
	p.expect("{")
	if len(r.Members) == 0 && !p.commentsBetween(open, p.match(open)) {
		p.expect("}")
		return
	}
	p.depth++
	for i, m := range r.Members {
		p.line(i > 0)
		p.member(m)
	}
	p.closeBlock()
}

func (p *printer) member(m *Member) {
	for _, a := range m.Annotations {
		p.annotation(a)
		p.line(false)
	}
	if m.Reserved != nil {
		p.reserved(m.Reserved)
		return
	}
	f := m.Field
	if f == nil {
		p.fail("empty member")
		return
	}
	p.ident(f.Name, fieldKeywords)
	p.expect(":")
	p.space()
	p.typeExpr(f.Type)
	if f.Default != nil {
		p.space()
		p.expect("=")
		p.space()
		p.literal(f.Default)
	}
	p.expect(";")
}

func (p *printer) reserved(r *Reserved) {
	p.expect("reserved")
	for i, n := range r.Names {
		if i > 0 {
			p.expect(",")
		}
		p.space()
		if n.String != nil {
			p.verbatim()
		} else if n.Ident != nil {
			p.ident(*n.Ident, nil)
		}
	}
	p.expect(";")
}

func (p *printer) enum(e *Enum) {
	p.expect("enum")
	p.space()
	p.ident(e.Name, nil)
	p.space()
	open := p.ti
	p.expect("{")
	if p.enumOneLine(e, open) {
		if len(e.Symbols) > 0 {
			p.space()
			for i, s := range e.Symbols {
				if i > 0 {
					p.expect(",")
					p.space()
				}
				p.symbol(s)
			}
			p.skip(",")
			p.space()
		}
		p.skip(";")
		p.expect("}")
	} else {
		p.depth++
		for i, s := range e.Symbols {
			p.line(i > 0)
			p.symbol(s)
			switch {
			case i < len(e.Symbols)-1:
				p.expect(",")
			case len(e.Reserved) > 0:
				p.skip(",")
				p.expect(";")
			default:
				if !p.accept(",") {
					p.write(",")
				}
				p.skip(";")
			}
		}
		if len(e.Symbols) == 0 {
			p.line(false)
			if len(e.Reserved) > 0 {
				p.expect(";")
			} else {
				p.skip(";")
			}
		}
		for _, r := range e.Reserved {
			p.line(true)
			p.reserved(r)
		}
		p.closeBlock()
	}
	if e.Default != nil {
		p.space()
		p.expect("default")
		p.space()
		p.ident(*e.Default, nil)
		p.expect(";")
	}
}

// enumOneLine reports whether an enum is printed on one line: it has no
// reserved clause, no annotated symbol, no comment inside its braces, and
// the line is short.
func (p *printer) enumOneLine(e *Enum, open int) bool {
	if len(e.Reserved) > 0 || p.commentsBetween(open, p.match(open)) {
		return false
	}
	n := len("enum ") + len(quoteIdent(string(e.Name), nil)) + len(" {  }")
	for i, s := range e.Symbols {
		if len(s.Annotations) > 0 {
			return false
		}
		if i > 0 {
			n += 2
		}
		n += len(quoteIdent(string(s.Name), nil))
	}
	if e.Default != nil {
		n += len(" default ;") + len(quoteIdent(string(*e.Default), nil))
	}
	return n <= maxEnumLine
}

func (p *printer) symbol(s *Symbol) {
	for _, a := range s.Annotations {
		p.annotation(a)
		p.space()
	}
	p.ident(s.Name, nil)
}

func (p *printer) fixed(x *Fixed) {
	p.expect("fixed")
	p.space()
	p.ident(x.Name, nil)
	p.expect("(")
	p.verbatim()
	p.expect(")")
	if l := x.Logical; l != nil {
		p.space()
		p.ident(l.Name, nil)
		if l.Precision != nil {
			p.expect("(")
			p.verbatim()
			if l.Scale != nil {
				p.expect(",")
				p.space()
				p.verbatim()
			}
			p.expect(")")
		}
	}
	p.expect(";")
}

func (p *printer) topic(t *Topic) {
	p.expect("topic")
	p.space()
	p.verbatim()
	p.space()
	open := p.ti
	p.expect("{")
	if len(t.Entries) == 0 && !p.commentsBetween(open, p.match(open)) {
		p.expect("}")
		return
	}
	p.depth++
	for i, e := range t.Entries {
		p.line(i > 0)
		p.expect(string(e.Role))
		p.expect(":")
		p.space()
		p.typeExpr(e.Type)
		p.expect(";")
	}
	p.closeBlock()
}

func (p *printer) typeExpr(t *TypeExpr) {
	if t == nil {
		p.fail("missing type")
		return
	}
	for _, a := range t.Annotations {
		p.annotation(a)
		p.space()
	}
	switch {
	case t.Array != nil:
		p.expect("array")
		p.expect("<")
		p.typeExpr(t.Array)
		p.expect(">")
	case t.Map != nil:
		p.expect("map")
		p.expect("<")
		p.typeExpr(t.Map)
		p.expect(">")
	case t.Union != nil:
		p.expect("union")
		p.expect("<")
		for i, b := range t.Union.Branches {
			if i > 0 {
				p.expect(",")
				p.space()
			}
			p.typeExpr(b)
		}
		p.skip(",")
		p.expect(">")
	case t.Decimal != nil:
		p.expect("decimal")
		p.expect("(")
		p.verbatim()
		if t.Decimal.Scale != nil {
			p.expect(",")
			p.space()
			p.verbatim()
		}
		p.expect(")")
	case t.Name != nil:
		p.qname(t.Name, true)
	default:
		p.fail("empty type")
	}
	if t.Optional {
		p.expect("?")
	}
}

// qname writes a dotted name. In a type reference, a first part that is a
// type constructor keyword is escaped.
func (p *printer) qname(q *QualifiedName, typeRef bool) {
	for i, part := range q.Parts {
		if i > 0 {
			p.expect(".")
		}
		var kw map[string]bool
		if typeRef && i == 0 {
			kw = typeKeywords
		}
		p.ident(part, kw)
	}
}

func (p *printer) annotation(a *Annotation) {
	p.expect("@")
	p.qname(a.Name, false)
	if p.peek() != "(" {
		return
	}
	p.expect("(")
	for i, arg := range a.Args {
		if i > 0 {
			p.expect(",")
			p.space()
		}
		if arg.Name != nil {
			p.ident(*arg.Name, nil)
			p.space()
			p.expect("=")
			p.space()
		}
		p.literal(arg.Value)
	}
	p.skip(",")
	p.expect(")")
}

func (p *printer) literal(l *Literal) {
	switch {
	case l == nil:
		p.fail("missing literal")
	case l.Number != nil, l.String != nil:
		p.verbatim()
	case l.Ident != nil:
		p.ident(*l.Ident, nil)
	case l.List != nil:
		p.expect("[")
		for i, it := range l.List.Items {
			if i > 0 {
				p.expect(",")
				p.space()
			}
			p.literal(it)
		}
		p.skip(",")
		p.expect("]")
	case l.Object != nil:
		p.expect("{")
		for i, m := range l.Object.Members {
			if i > 0 {
				p.expect(",")
				p.space()
			}
			if m.Key.String != nil {
				p.verbatim()
			} else if m.Key.Ident != nil {
				p.ident(*m.Key.Ident, nil)
			}
			p.expect(":")
			p.space()
			p.literal(m.Value)
		}
		p.skip(",")
		p.expect("}")
	default:
		p.fail("empty literal")
	}
}

// ident consumes an identifier token and writes name, in backquotes when it
// is not a plain identifier or is one of keywords.
func (p *printer) ident(name Ident, keywords map[string]bool) {
	if p.ti < len(p.toks) && p.toks[p.ti].Type != tokIdentifier {
		p.fail("at %q: expected a name", p.toks[p.ti].Value)
		return
	}
	p.emit(quoteIdent(string(name), keywords))
}

// plainIdent reports whether name is an identifier that needs no
// backquotes, [A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)* as the scanner reads
// it.
func plainIdent(name string) bool {
	if name == "" || !isIdentStart(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isIdentPart(c) && (c != '-' || !isIdentPart(name[i-1]) || i+1 == len(name) || !isIdentPart(name[i+1])) {
			return false
		}
	}
	return true
}

// Keywords are contextual: the grammar reads a keyword as a name wherever a
// name is expected. The formatter still escapes a name that could begin
// another construct where it stands, so that the source reads the same to a
// parser that decides on one token: a field named reserved, and a type
// named like a type constructor.
var (
	fieldKeywords = map[string]bool{"reserved": true}
	typeKeywords  = map[string]bool{"array": true, "map": true, "union": true, "decimal": true}
)

// Keywords are the words the grammar gives a meaning to. None of them is
// reserved: each can be used as a name, in backquotes where it would begin
// another construct.
var Keywords = []string{
	"namespace", "import", "option", "record", "error", "enum", "default", "fixed",
	"type", "topic", "key", "value", "reserved", "array", "map", "union", "decimal",
}

// QuoteIdent returns name as evc source writes it: as is when it is a plain
// identifier, otherwise in backquotes.
func QuoteIdent(name string) string { return quoteIdent(name, nil) }

func quoteIdent(name string, keywords map[string]bool) string {
	if plainIdent(name) && !keywords[name] {
		return name
	}
	return "`" + name + "`"
}
