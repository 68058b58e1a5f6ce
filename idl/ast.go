package idl

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar. Each struct is both a grammar rule (its participle tags) and
// an AST node. Pos and EndPos are filled by participle: where the node starts
// and where its last token ends.
//
// A name that is not a node of its own has its own position as well, from
// the start of its first character (a backquote, if any) to the end of its
// last: NamePos and NameEnd, as go/ast's Ident has NamePos, so that
// diagnostics and editors point at the name and not at the declaration
// around it. Only the hand-written parser fills them (the grammar has no
// way to say it); TestParse_NamePositions checks them against the source.

// File is one .evc source file.
type File struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Namespace *Namespace `parser:"@@?"`
	Decls     []*Decl    `parser:"@@*"`

	// Path is the file's name as given to Parse.
	Path string `parser:""`
	// Doc is the doc comment above the namespace clause (or, with no
	// namespace clause, above nothing: the file's first doc comment that is
	// followed by a blank line).
	Doc []string `parser:""`
	// Comments are all comments of the file, doc comments included, in
	// order; the formatter puts them back.
	Comments []Comment `parser:""`
}

// Comment is a comment token as written, with its position.
type Comment struct {
	Pos  lexer.Position
	Text string
	// Doc is true for /// comments.
	Doc bool
}

// Namespace is `parser:"namespace a.b.c;"`.
type Namespace struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *QualifiedName `parser:"\"namespace\" @@ \";\""`
}

// Decl is a top-level declaration with its annotations.
type Decl struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `parser:"@@*"`
	Import      *Import       `parser:"( @@"`
	Option      *Option       `parser:"| @@"`
	Record      *Record       `parser:"| @@"`
	Enum        *Enum         `parser:"| @@"`
	Fixed       *Fixed        `parser:"| @@"`
	TypeDef     *TypeDef      `parser:"| @@"`
	Topic       *Topic        `parser:"| @@ )"`

	// Doc is the doc comment above the declaration, one entry a line,
	// without the leading "///" and one following space.
	Doc []string `parser:""`
}

// Import is `parser:"import \"path\";"`.
type Import struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Path   string `parser:"\"import\" @String \";\""`
	// PathPos and PathEnd enclose the quoted path.
	PathPos lexer.Position `parser:""`
	PathEnd lexer.Position `parser:""`
}

// Option is `parser:"option name = value;"`.
type Option struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident          `parser:"\"option\" @Ident \"=\""`
	Value   *Literal       `parser:"@@ \";\""`
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// Record is `parser:"record Name { fields }"`. Keyword is "record" or "error".
type Record struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Keyword string         `parser:"@(\"record\" | \"error\")"`
	Name    Ident          `parser:"@Ident \"{\""`
	Members []*Member      `parser:"@@* \"}\""`
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// Member is a record field or a reserved clause, with its annotations.
type Member struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `parser:"@@*"`
	Field       *Field        `parser:"( @@"`
	Reserved    *Reserved     `parser:"| @@ )"`

	Doc []string `parser:""`
}

// Field is `parser:"name: Type = default;"`.
type Field struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident          `parser:"@Ident \":\""`
	Type    *TypeExpr      `parser:"@@"`
	Default *Literal       `parser:"( \"=\" @@ )? \";\""`
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// Reserved is `parser:"reserved \"a\", \"b\";"`: names that earlier versions used.
type Reserved struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Names  []*ReservedName `parser:"\"reserved\" @@ ( \",\" @@ )* \";\""`
}

// ReservedName is one reserved name, written as a string or an identifier.
type ReservedName struct {
	Pos    lexer.Position
	EndPos lexer.Position
	String *string `parser:"  @String"`
	Ident  *Ident  `parser:"| @Ident"`
}

// Name returns the reserved name, unquoted.
func (r *ReservedName) Name() string {
	if r.String != nil {
		s, _ := Unquote(*r.String)
		return s
	}
	if r.Ident != nil {
		return string(*r.Ident)
	}
	return ""
}

// Enum is `parser:"enum Name { a, b, c; reserved \"d\"; } default a;"`.
type Enum struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Name     Ident          `parser:"\"enum\" @Ident \"{\""`
	Symbols  []*Symbol      `parser:"( @@ ( \",\" @@ )* \",\"? )?"`
	Reserved []*Reserved    `parser:"( \";\" @@* )? \"}\""`
	Default  *Ident         `parser:"( \"default\" @Ident \";\" )?"`
	NamePos  lexer.Position `parser:""`
	NameEnd  lexer.Position `parser:""`
	// DefaultPos and DefaultEnd enclose the default symbol.
	DefaultPos lexer.Position `parser:""`
	DefaultEnd lexer.Position `parser:""`
}

// Symbol is an enum symbol with its annotations.
type Symbol struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation  `parser:"@@*"`
	Name        Ident          `parser:"@Ident"`
	NamePos     lexer.Position `parser:""`
	NameEnd     lexer.Position `parser:""`

	Doc []string `parser:""`
}

// Fixed is `parser:"fixed Name(16);"`, optionally with a logical type:
// `parser:"fixed Money(8) decimal(10, 2);"`, `parser:"fixed Span(12) duration;"`.
type Fixed struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident          `parser:"\"fixed\" @Ident"`
	Size    string         `parser:"\"(\" @Number \")\""`
	Logical *FixedLogical  `parser:"@@? \";\""`
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// FixedLogical is the logical type on a fixed.
type FixedLogical struct {
	Pos       lexer.Position
	EndPos    lexer.Position
	Name      Ident   `parser:"@Ident"`
	Precision *string `parser:"( \"(\" @Number"`
	Scale     *string `parser:"  ( \",\" @Number )? \")\" )?"`
}

// TypeDef is `parser:"type Name = Type;"`: a custom domain type carried on the wire
// as Type.
type TypeDef struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident          `parser:"\"type\" @Ident \"=\""`
	Type    *TypeExpr      `parser:"@@ \";\""`
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// Topic is `parser:"topic \"name\" { key: K; value: V; }"`.
type Topic struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    string        `parser:"\"topic\" @String \"{\""`
	Entries []*TopicEntry `parser:"@@* \"}\""`
	// NamePos and NameEnd enclose the quoted topic name.
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// TopicEntry is one `parser:"key: T;"` or `parser:"value: T;"` line of a topic.
type TopicEntry struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Role   Ident     `parser:"@(\"key\" | \"value\") \":\""`
	Type   *TypeExpr `parser:"@@ \";\""`

	Doc []string `parser:""`
}

// TypeExpr is a use of a type: a name, array<T>, map<T>, union<A, B>,
// decimal(p, s), each with optional annotations (custom properties of the
// type) and an optional "?" making it a union with null.
type TypeExpr struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation  `parser:"@@*"`
	Array       *TypeExpr      `parser:"( \"array\" \"<\" @@ \">\""`
	Map         *TypeExpr      `parser:"| \"map\" \"<\" @@ \">\""`
	Union       *UnionExpr     `parser:"| @@"`
	Decimal     *DecimalExpr   `parser:"| @@"`
	Name        *QualifiedName `parser:"| @@ )"`
	Optional    bool           `parser:"@\"?\"?"`
}

// UnionExpr is union<A, B, ...>. union<> has no branches: Avro allows it
// (no value can be written with it), and Avro Java reads such schemas, so
// evc can say what an .avsc holds.
type UnionExpr struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Branches []*TypeExpr `parser:"\"union\" \"<\" ( @@ ( \",\" @@ )* \",\"? )? \">\""`
}

// DecimalExpr is decimal(precision, scale) on bytes.
type DecimalExpr struct {
	Pos       lexer.Position
	EndPos    lexer.Position
	Precision string  `parser:"\"decimal\" \"(\" @Number"`
	Scale     *string `parser:"( \",\" @Number )? \")\""`
}

// QualifiedName is a dotted name: a, a.b.C.
type QualifiedName struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Parts  []Ident `parser:"@Ident ( \".\" @Ident )*"`
}

// String joins the parts with dots.
func (q *QualifiedName) String() string {
	if q == nil {
		return ""
	}
	parts := make([]string, len(q.Parts))
	for i, p := range q.Parts {
		parts[i] = string(p)
	}
	return strings.Join(parts, ".")
}

// Annotation is @name or @name(args): an evc attribute (name, namespace,
// aliases, order, deprecated, go, event, compat, prop) or a custom property.
type Annotation struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *QualifiedName `parser:"\"@\" @@"`
	Args   []*Arg         `parser:"( \"(\" ( @@ ( \",\" @@ )* \",\"? )? \")\" )?"`
	// Parens records whether the argument list was written, so that
	// @x() and @x differ.
	Parens bool `parser:""`
}

// Arg is an annotation argument, optionally named: @event(type = "x").
type Arg struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident   `parser:"( @Ident \"=\" )?"`
	Value  *Literal `parser:"@@"`
	// NamePos and NameEnd are zero when the argument has no name.
	NamePos lexer.Position `parser:""`
	NameEnd lexer.Position `parser:""`
}

// Literal is a JSON-like value: null, true, false, a number, a string, a
// list, an object, or a bare identifier (an enum symbol, or NaN/Infinity).
type Literal struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Number *string    `parser:"  @Number"`
	String *string    `parser:"| @String"`
	List   *ListLit   `parser:"| @@"`
	Object *ObjectLit `parser:"| @@"`
	Ident  *Ident     `parser:"| @Ident"`
}

// ListLit is [a, b, c].
type ListLit struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Items  []*Literal `parser:"\"[\" ( @@ ( \",\" @@ )* \",\"? )? \"]\""`
}

// ObjectLit is {"key": value, ...}. Keys are strings or identifiers.
type ObjectLit struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Members []*ObjectMember `parser:"\"{\" ( @@ ( \",\" @@ )* \",\"? )? \"}\""`
}

// ObjectMember is one key: value of an object literal.
type ObjectMember struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Key    *ObjectKey `parser:"@@ \":\""`
	Value  *Literal   `parser:"@@"`
}

// ObjectKey is an object literal's key.
type ObjectKey struct {
	Pos    lexer.Position
	EndPos lexer.Position
	String *string `parser:"  @String"`
	Ident  *Ident  `parser:"| @Ident"`
}

// Text returns the key, unquoted.
func (k *ObjectKey) Text() string {
	if k.String != nil {
		s, _ := Unquote(*k.String)
		return s
	}
	if k.Ident != nil {
		return string(*k.Ident)
	}
	return ""
}

// Ident is an identifier. Capture strips the backquotes of an escaped name.
type Ident string

// Capture implements participle.Capture.
func (i *Ident) Capture(values []string) error {
	s := values[0]
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	*i = Ident(s)
	return nil
}
