package idl

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/diag"
)

// The hand-written parser. It builds exactly the AST that the participle
// grammar in ast.go describes (TestParser_MatchesGrammar and FuzzParser hold
// it to that, position for position), by recursive descent with one token of
// lookahead and a keyword switch where the grammar has alternatives. It
// exists because participle's reflection and backtracking allocate several
// times per grammar node: on the compile benchmark's workspace it parses
// several times faster with a small fraction of the allocations (see
// BenchmarkParse). The grammar stays the language's definition: the EBNF in
// docs/language.md is printed from it.
//
// EndPos differs on purpose: participle sets it to the start of the next
// token, the hand parser to the end of the node's last token, which makes
// diagnostic spans exact.

// maxDepth bounds the nesting of types, literals and annotations, so that
// hostile input cannot exhaust the stack.
const maxDepth = 200

type rdParser struct {
	toks  []lexer.Token
	i     int
	eof   lexer.Token
	depth int
	// failed is set when a syntax error was recovered from.
	failed bool

	// endAt and endPos cache end(), which every node asks for, often
	// several times after the same token.
	endAt  int
	endPos lexer.Position

	// The nodes of a file are allocated a chunk at a time: they live and
	// die together, with the File, and a compile parses tens of thousands.
	decls    slab[Decl]
	records  slab[Record]
	members  slab[Member]
	fields   slab[Field]
	types    slab[TypeExpr]
	names    slab[QualifiedName]
	literals slab[Literal]
	annots   slab[Annotation]
	strs     slab[string]
	idents   slab[Ident]

	// memberStack collects a record's members, so that the record's slice
	// is allocated once at its final length.
	memberStack []*Member
}

// slab hands out pointers into chunks of Ts, allocated a few at first and
// up to slabMax at a time: small chunks waste little at the end of a file
// (memory a short-lived evc run touches is most of its cost) and still
// save most of the allocations.
type slab[T any] struct {
	free []T
	next int
}

const slabMax = 16

func (s *slab[T]) new() *T {
	if len(s.free) == 0 {
		s.next = min(max(2*s.next, 4), slabMax)
		s.free = make([]T, s.next)
	}
	t := &s.free[0]
	s.free = s.free[1:]
	return t
}

// take returns a slice of n Ts, with no room to grow into its
// neighbours' space.
func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		if n > slabMax/4 {
			return make([]T, n)
		}
		s.next = min(max(2*s.next, 4*n), slabMax)
		s.free = make([]T, s.next)
	}
	t := s.free[:n:n]
	s.free = s.free[n:]
	return t
}

// syntaxErr is a parse failure at a token.
type syntaxErr struct {
	pos  lexer.Position
	msg  string
	help string
}

func (e *syntaxErr) Error() string { return e.msg }

// bail aborts the parse; parseFile recovers it.
type bail struct{ err *syntaxErr }

func parseTokens(toks []lexer.Token, eof lexer.Position) (f *File, err *syntaxErr) {
	f, errs := parseRecovering(toks, eof, 1)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return f, nil
}

// maxSyntaxErrors bounds how many syntax errors one file reports.
const maxSyntaxErrors = 20

// parseRecovering parses toks and, after a syntax error, skips to the next
// line that starts a declaration and goes on, so that one run reports up to
// limit syntax errors of a file. The File is complete only when there are
// no errors.
func parseRecovering(toks []lexer.Token, eof lexer.Position, limit int) (*File, []*syntaxErr) {
	p := &rdParser{toks: toks, eof: lexer.EOFToken(eof), endAt: -1}
	var errs []*syntaxErr
	f := &File{Pos: p.peek().Pos}
	p.guard(&errs, func() {
		if p.isKeyword("namespace") {
			f.Namespace = p.namespace()
		}
	})
	for !p.peek().EOF() && len(errs) < limit {
		start := p.i
		p.guard(&errs, func() { f.Decls = append(f.Decls, p.decl()) })
		if len(errs) > 0 && p.i >= start {
			p.resync(start)
		}
	}
	f.EndPos = p.end()
	return f, errs
}

// guard runs fn, turning a syntax error into an entry of errs.
func (p *rdParser) guard(errs *[]*syntaxErr, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			*errs = append(*errs, b.err)
			p.depth = 0
			p.failed = true
		}
	}()
	fn()
}

// declKeywords start a declaration.
var declKeywords = map[string]bool{"import": true, "option": true, "record": true, "error": true, "enum": true, "fixed": true, "type": true, "topic": true}

// resync skips, after a failed declaration that began at token start, to the
// first token after it that begins a line and can begin a declaration.
func (p *rdParser) resync(start int) {
	if !p.failed {
		return
	}
	p.failed = false
	if p.i <= start {
		p.i = start + 1
	}
	for ; p.i < len(p.toks); p.i++ {
		t := p.toks[p.i]
		prev := p.toks[p.i-1]
		if t.Pos.Line == prev.Pos.Line {
			continue
		}
		if t.Type == tokIdentifier && declKeywords[t.Value] || t.Type == tokPunct && t.Value == "@" {
			return
		}
	}
}

func (p *rdParser) peek() *lexer.Token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return &p.eof
}

func (p *rdParser) peekAt(n int) *lexer.Token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.eof
}

func (p *rdParser) next() *lexer.Token {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

// end is the position just after the last token consumed.
func (p *rdParser) end() lexer.Position {
	if p.i == 0 {
		return p.eof.Pos
	}
	if p.endAt != p.i {
		t := &p.toks[p.i-1]
		p.endPos = t.Pos
		p.endPos.Advance(t.Value)
		p.endAt = p.i
	}
	return p.endPos
}

func (p *rdParser) fail(t *lexer.Token, expected string) {
	p.failHelp(t, expected, "")
}

// failHelp is fail with a help line.
func (p *rdParser) failHelp(t *lexer.Token, expected, help string) {
	got := fmt.Sprintf("%q", t.Value)
	if t.EOF() {
		got = "end of file"
	}
	panic(bail{&syntaxErr{pos: t.Pos, msg: fmt.Sprintf("unexpected %s, expected %s", got, expected), help: help}})
}

// atLineEnd reports whether the next token is on a later line than the
// last one read, or is the end of the file: then a missing punctuation mark
// belongs at the end of that last token, not at the next one.
func (p *rdParser) atLineEnd() bool {
	if p.i == 0 {
		return false
	}
	t := p.peek()
	return t.EOF() || t.Pos.Line > p.end().Line
}

// suggestKeyword returns a help line naming the keyword of keywords that
// word is a misspelling of (Record, recrod), or "".
func suggestKeyword(word string, keywords ...string) string {
	for _, kw := range keywords {
		if word == kw {
			continue
		}
		if d := diag.EditDistance(strings.ToLower(word), kw); d == 0 || d <= 2 && len(word) >= 4 {
			return fmt.Sprintf("did you mean %q?", kw)
		}
	}
	return ""
}

func (p *rdParser) is(typ lexer.TokenType, val string) bool {
	t := p.peek()
	return t.Type == typ && t.Value == val
}

func (p *rdParser) isPunct(val string) bool { return p.is(tokPunct, val) }

// isKeyword reports whether the next token is the identifier kw, written
// without backquotes.
func (p *rdParser) isKeyword(kw string) bool { return p.is(tokIdentifier, kw) }

func (p *rdParser) expectPunct(val string) {
	if !p.isPunct(val) {
		if p.atLineEnd() {
			panic(bail{&syntaxErr{pos: p.end(), msg: fmt.Sprintf("expected %q", val)}})
		}
		p.fail(p.peek(), fmt.Sprintf("%q", val))
	}
	p.next()
}

func (p *rdParser) expectKeyword(kw string) {
	if !p.isKeyword(kw) {
		p.fail(p.peek(), fmt.Sprintf("%q", kw))
	}
	p.next()
}

func (p *rdParser) expectType(typ lexer.TokenType, what string) *lexer.Token {
	t := p.peek()
	if t.Type != typ {
		p.fail(t, what)
	}
	p.next()
	if typ == tokNumber {
		p.checkLeadingZero(t)
	}
	return t
}

// checkLeadingZero rejects 01, which the token rules (JSON's) read as the
// numbers 0 and 1, with a message that says what is wrong.
func (p *rdParser) checkLeadingZero(t *lexer.Token) {
	next := p.peek()
	if (t.Value == "0" || t.Value == "-0") && next.Type == tokNumber && next.Pos.Offset == t.Pos.Offset+len(t.Value) {
		panic(bail{&syntaxErr{pos: t.Pos, msg: "a number cannot start with 0 (write it without the leading zero)"}})
	}
}

func (p *rdParser) ident() Ident {
	id, _, _ := p.identAt()
	return id
}

// identAt reads an identifier and returns it with where it starts and ends.
func (p *rdParser) identAt() (id Ident, pos, end lexer.Position) {
	t := p.expectType(tokIdentifier, "an identifier")
	return identOf(t.Value), t.Pos, p.end()
}

// identOf is the identifier a token spells: without its backquotes, if
// any (as Ident.Capture).
func identOf(s string) Ident {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	return Ident(s)
}

// str returns a pointer to a copy of s, from the parser's slab.
func (p *rdParser) str(s string) *string {
	v := p.strs.new()
	*v = s
	return v
}

func (p *rdParser) enter() {
	p.depth++
	if p.depth > maxDepth {
		panic(bail{&syntaxErr{pos: p.peek().Pos, msg: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}})
	}
}

func (p *rdParser) leave() { p.depth-- }

func (p *rdParser) file() *File {
	f := &File{Pos: p.peek().Pos}
	if p.isKeyword("namespace") {
		f.Namespace = p.namespace()
	}
	for !p.peek().EOF() {
		f.Decls = append(f.Decls, p.decl())
	}
	f.EndPos = p.end()
	return f
}

func (p *rdParser) namespace() *Namespace {
	n := &Namespace{Pos: p.peek().Pos}
	p.next()
	n.Name = p.qualifiedName()
	p.expectPunct(";")
	n.EndPos = p.end()
	return n
}

func (p *rdParser) decl() *Decl {
	d := p.decls.new()
	d.Pos = p.peek().Pos
	d.Annotations = p.annotations()
	t := p.peek()
	const declaration = "a declaration (import, option, record, enum, fixed, type or topic)"
	if t.Type != tokIdentifier {
		p.fail(t, declaration)
	}
	switch t.Value {
	case "import":
		d.Import = p.importDecl()
	case "option":
		d.Option = p.option()
	case "record", "error":
		d.Record = p.record()
	case "enum":
		d.Enum = p.enum()
	case "fixed":
		d.Fixed = p.fixed()
	case "type":
		d.TypeDef = p.typeDef()
	case "topic":
		d.Topic = p.topic()
	default:
		p.failHelp(t, declaration, suggestKeyword(t.Value, "record", "enum", "fixed", "type", "topic", "import", "option", "error", "namespace"))
	}
	d.EndPos = p.end()
	return d
}

func (p *rdParser) importDecl() *Import {
	n := &Import{Pos: p.peek().Pos}
	p.next()
	n.PathPos = p.peek().Pos
	n.Path = p.expectType(tokString, "a string").Value
	n.PathEnd = p.end()
	p.expectPunct(";")
	n.EndPos = p.end()
	return n
}

func (p *rdParser) option() *Option {
	n := &Option{Pos: p.peek().Pos}
	p.next()
	n.Name, n.NamePos, n.NameEnd = p.identAt()
	p.expectPunct("=")
	n.Value = p.literal()
	p.expectPunct(";")
	n.EndPos = p.end()
	return n
}

func (p *rdParser) record() *Record {
	n := p.records.new()
	n.Pos, n.Keyword = p.peek().Pos, p.next().Value
	n.Name, n.NamePos, n.NameEnd = p.identAt()
	p.expectPunct("{")
	// Records do not nest: the stack is empty here, even after a syntax
	// error (recovery starts a new declaration).
	p.memberStack = p.memberStack[:0]
	for !p.isPunct("}") {
		p.memberStack = append(p.memberStack, p.member())
	}
	if len(p.memberStack) > 0 {
		n.Members = append(make([]*Member, 0, len(p.memberStack)), p.memberStack...)
	}
	p.next()
	n.EndPos = p.end()
	return n
}

func (p *rdParser) member() *Member {
	m := p.members.new()
	m.Pos = p.peek().Pos
	m.Annotations = p.annotations()
	// A field is a name and a colon; "reserved" followed by anything else
	// starts a reserved clause.
	if p.isKeyword("reserved") && !(p.peekAt(1).Type == tokPunct && p.peekAt(1).Value == ":") {
		m.Reserved = p.reserved()
	} else {
		m.Field = p.field()
	}
	m.EndPos = p.end()
	return m
}

func (p *rdParser) field() *Field {
	f := p.fields.new()
	f.Pos = p.peek().Pos
	if p.peek().Type != tokIdentifier {
		p.fail(p.peek(), `a field name or "}"`)
	}
	f.Name, f.NamePos, f.NameEnd = p.identAt()
	p.expectPunct(":")
	f.Type = p.typeExpr()
	if p.isPunct("=") {
		p.next()
		f.Default = p.literal()
	}
	p.expectPunct(";")
	f.EndPos = p.end()
	return f
}

func (p *rdParser) reserved() *Reserved {
	r := &Reserved{Pos: p.peek().Pos}
	p.next()
	r.Names = append(r.Names, p.reservedName())
	for p.isPunct(",") {
		p.next()
		r.Names = append(r.Names, p.reservedName())
	}
	p.expectPunct(";")
	r.EndPos = p.end()
	return r
}

func (p *rdParser) reservedName() *ReservedName {
	n := &ReservedName{Pos: p.peek().Pos}
	switch t := p.peek(); t.Type {
	case tokString:
		v := p.next().Value
		n.String = &v
	case tokIdentifier:
		id := p.ident()
		n.Ident = &id
	default:
		p.fail(t, "a name")
	}
	n.EndPos = p.end()
	return n
}

func (p *rdParser) enum() *Enum {
	e := &Enum{Pos: p.peek().Pos}
	p.next()
	e.Name, e.NamePos, e.NameEnd = p.identAt()
	p.expectPunct("{")
	if p.peek().Type == tokIdentifier || p.isPunct("@") {
		e.Symbols = append(e.Symbols, p.symbol())
		for p.isPunct(",") {
			p.next()
			if p.peek().Type != tokIdentifier && !p.isPunct("@") {
				break // a trailing comma
			}
			e.Symbols = append(e.Symbols, p.symbol())
		}
	}
	if p.isPunct(";") {
		p.next()
		for p.isKeyword("reserved") {
			e.Reserved = append(e.Reserved, p.reserved())
		}
	}
	p.expectPunct("}")
	if p.isKeyword("default") {
		p.next()
		id, pos, end := p.identAt()
		e.Default, e.DefaultPos, e.DefaultEnd = &id, pos, end
		p.expectPunct(";")
	}
	e.EndPos = p.end()
	return e
}

func (p *rdParser) symbol() *Symbol {
	s := &Symbol{Pos: p.peek().Pos}
	s.Annotations = p.annotations()
	s.Name, s.NamePos, s.NameEnd = p.identAt()
	s.EndPos = p.end()
	return s
}

func (p *rdParser) fixed() *Fixed {
	f := &Fixed{Pos: p.peek().Pos}
	p.next()
	f.Name, f.NamePos, f.NameEnd = p.identAt()
	p.expectPunct("(")
	f.Size = p.expectType(tokNumber, "a number").Value
	p.expectPunct(")")
	if p.peek().Type == tokIdentifier {
		l := &FixedLogical{Pos: p.peek().Pos}
		l.Name = p.ident()
		if p.isPunct("(") {
			p.next()
			prec := p.expectType(tokNumber, "a number").Value
			l.Precision = &prec
			if p.isPunct(",") {
				p.next()
				scale := p.expectType(tokNumber, "a number").Value
				l.Scale = &scale
			}
			p.expectPunct(")")
		}
		l.EndPos = p.end()
		f.Logical = l
	}
	p.expectPunct(";")
	f.EndPos = p.end()
	return f
}

func (p *rdParser) typeDef() *TypeDef {
	t := &TypeDef{Pos: p.peek().Pos}
	p.next()
	t.Name, t.NamePos, t.NameEnd = p.identAt()
	p.expectPunct("=")
	t.Type = p.typeExpr()
	p.expectPunct(";")
	t.EndPos = p.end()
	return t
}

func (p *rdParser) topic() *Topic {
	t := &Topic{Pos: p.peek().Pos}
	p.next()
	t.NamePos = p.peek().Pos
	t.Name = p.expectType(tokString, "a string").Value
	t.NameEnd = p.end()
	p.expectPunct("{")
	for !p.isPunct("}") {
		e := &TopicEntry{Pos: p.peek().Pos}
		if !p.isKeyword("key") && !p.isKeyword("value") {
			p.fail(p.peek(), `"key", "value" or "}"`)
		}
		e.Role = Ident(p.next().Value)
		p.expectPunct(":")
		e.Type = p.typeExpr()
		p.expectPunct(";")
		e.EndPos = p.end()
		t.Entries = append(t.Entries, e)
	}
	p.next()
	t.EndPos = p.end()
	return t
}

func (p *rdParser) typeExpr() *TypeExpr {
	p.enter()
	defer p.leave()
	t := p.types.new()
	t.Pos = p.peek().Pos
	t.Annotations = p.annotations()
	next := p.peekAt(1)
	opens := func(v string) bool { return next.Type == tokPunct && next.Value == v }
	switch {
	case p.isKeyword("array") && opens("<"):
		p.next()
		p.next()
		t.Array = p.typeExpr()
		p.expectPunct(">")
	case p.isKeyword("map") && opens("<"):
		p.next()
		p.next()
		t.Map = p.typeExpr()
		p.expectPunct(">")
	case p.isKeyword("union") && opens("<"):
		u := &UnionExpr{Pos: p.peek().Pos}
		p.next()
		p.next()
		if !p.isPunct(">") { // union<> has no branches
			u.Branches = append(u.Branches, p.typeExpr())
		}
		for len(u.Branches) > 0 && p.isPunct(",") {
			p.next()
			if p.isPunct(">") {
				break // a trailing comma
			}
			u.Branches = append(u.Branches, p.typeExpr())
		}
		p.expectPunct(">")
		u.EndPos = p.end()
		t.Union = u
	case p.isKeyword("decimal") && opens("("):
		d := &DecimalExpr{Pos: p.peek().Pos}
		p.next()
		p.next()
		d.Precision = p.expectType(tokNumber, "a number").Value
		if p.isPunct(",") {
			p.next()
			s := p.expectType(tokNumber, "a number").Value
			d.Scale = &s
		}
		p.expectPunct(")")
		d.EndPos = p.end()
		t.Decimal = d
	case p.peek().Type == tokIdentifier:
		t.Name = p.qualifiedName()
		// Arguments after a plain name: a misspelt type constructor
		// (Decimal(10, 2), Array<int>).
		if next := p.peek(); next.Type == tokPunct && (next.Value == "<" || next.Value == "(") {
			help := "a type with arguments is array<T>, map<T>, union<A, B> or decimal(precision, scale)"
			if len(t.Name.Parts) == 1 {
				if s := suggestKeyword(string(t.Name.Parts[0]), "array", "map", "union", "decimal"); s != "" {
					help = s
				}
			}
			p.failHelp(next, `";"`, help)
		}
	default:
		p.fail(p.peek(), "a type")
	}
	if p.isPunct("?") {
		p.next()
		t.Optional = true
	}
	t.EndPos = p.end()
	return t
}

func (p *rdParser) qualifiedName() *QualifiedName {
	q := p.names.new()
	q.Pos = p.peek().Pos
	// Count the parts first, to take exactly as many from the slab.
	n := 1
	for p.peekAt(2*n-1).Type == tokPunct && p.peekAt(2*n-1).Value == "." && p.peekAt(2*n).Type == tokIdentifier {
		n++
	}
	q.Parts = p.idents.take(n)[:0]
	q.Parts = append(q.Parts, p.ident())
	for p.isPunct(".") {
		p.next()
		q.Parts = append(q.Parts, p.ident())
	}
	q.EndPos = p.end()
	return q
}

func (p *rdParser) annotations() []*Annotation {
	var out []*Annotation
	for p.isPunct("@") {
		a := p.annots.new()
		a.Pos = p.peek().Pos
		p.next()
		a.Name = p.qualifiedName()
		if p.isPunct("(") {
			p.next()
			for !p.isPunct(")") {
				a.Args = append(a.Args, p.arg())
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
			p.expectPunct(")")
		}
		a.EndPos = p.end()
		out = append(out, a)
	}
	return out
}

func (p *rdParser) arg() *Arg {
	a := &Arg{Pos: p.peek().Pos}
	if p.peek().Type == tokIdentifier && p.peekAt(1).Type == tokPunct && p.peekAt(1).Value == "=" {
		id, pos, end := p.identAt()
		a.Name, a.NamePos, a.NameEnd = &id, pos, end
		p.next()
	}
	a.Value = p.literal()
	a.EndPos = p.end()
	return a
}

func (p *rdParser) literal() *Literal {
	p.enter()
	defer p.leave()
	l := p.literals.new()
	l.Pos = p.peek().Pos
	switch t := p.peek(); {
	case t.Type == tokNumber:
		p.next()
		p.checkLeadingZero(t)
		l.Number = p.str(t.Value)
	case t.Type == tokString:
		l.String = p.str(p.next().Value)
	case t.Type == tokIdentifier:
		id := p.ident()
		l.Ident = &id
	case p.isPunct("["):
		list := &ListLit{Pos: t.Pos}
		p.next()
		for !p.isPunct("]") {
			list.Items = append(list.Items, p.literal())
			if !p.isPunct(",") {
				break
			}
			p.next()
		}
		p.expectPunct("]")
		list.EndPos = p.end()
		l.List = list
	case p.isPunct("{"):
		obj := &ObjectLit{Pos: t.Pos}
		p.next()
		for !p.isPunct("}") {
			m := &ObjectMember{Pos: p.peek().Pos}
			k := &ObjectKey{Pos: p.peek().Pos}
			switch kt := p.peek(); kt.Type {
			case tokString:
				v := p.next().Value
				k.String = &v
			case tokIdentifier:
				id := p.ident()
				k.Ident = &id
			default:
				p.fail(kt, `a key or "}"`)
			}
			k.EndPos = p.end()
			m.Key = k
			p.expectPunct(":")
			m.Value = p.literal()
			m.EndPos = p.end()
			obj.Members = append(obj.Members, m)
			if !p.isPunct(",") {
				break
			}
			p.next()
		}
		p.expectPunct("}")
		obj.EndPos = p.end()
		l.Object = obj
	default:
		p.fail(t, "a value")
	}
	l.EndPos = p.end()
	return l
}
