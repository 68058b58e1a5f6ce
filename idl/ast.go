package idl

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar. Each struct is both a grammar rule (its participle tags) and
// an AST node. Pos and EndPos are filled by participle: where the node starts
// and where its last token ends.

// File is one .evc source file.
type File struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Namespace *Namespace `@@?`
	Decls     []*Decl    `@@*`

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

// Namespace is `namespace a.b.c;`.
type Namespace struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *QualifiedName `"namespace" @@ ";"`
}

// Decl is a top-level declaration with its annotations.
type Decl struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `@@*`
	Import      *Import       `( @@`
	Option      *Option       `| @@`
	Record      *Record       `| @@`
	Enum        *Enum         `| @@`
	Fixed       *Fixed        `| @@`
	TypeDef     *TypeDef      `| @@`
	Topic       *Topic        `| @@ )`

	// Doc is the doc comment above the declaration, one entry a line,
	// without the leading "///" and one following space.
	Doc []string `parser:""`
}

// Import is `import "path";`.
type Import struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Path   string `"import" @String ";"`
}

// Option is `option name = value;`.
type Option struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   Ident    `"option" @Ident "="`
	Value  *Literal `@@ ";"`
}

// Record is `record Name { fields }`. Keyword is "record" or "error".
type Record struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Keyword string    `@("record" | "error")`
	Name    Ident     `@Ident "{"`
	Members []*Member `@@* "}"`
}

// Member is a record field or a reserved clause, with its annotations.
type Member struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `@@*`
	Field       *Field        `( @@`
	Reserved    *Reserved     `| @@ )`

	Doc []string `parser:""`
}

// Field is `name: Type = default;`.
type Field struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident     `@Ident ":"`
	Type    *TypeExpr `@@`
	Default *Literal  `( "=" @@ )? ";"`
}

// Reserved is `reserved "a", "b";`: names that earlier versions used.
type Reserved struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Names  []*ReservedName `"reserved" @@ ( "," @@ )* ";"`
}

// ReservedName is one reserved name, written as a string or an identifier.
type ReservedName struct {
	Pos    lexer.Position
	EndPos lexer.Position
	String *string `  @String`
	Ident  *Ident  `| @Ident`
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

// Enum is `enum Name { a, b, c; reserved "d"; } default a;`.
type Enum struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Name     Ident       `"enum" @Ident "{"`
	Symbols  []*Symbol   `( @@ ( "," @@ )* ","? )?`
	Reserved []*Reserved `( ";" @@* )? "}"`
	Default  *Ident      `( "default" @Ident ";" )?`
}

// Symbol is an enum symbol with its annotations.
type Symbol struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `@@*`
	Name        Ident         `@Ident`

	Doc []string `parser:""`
}

// Fixed is `fixed Name(16);`, optionally with a logical type:
// `fixed Money(8) decimal(10, 2);`, `fixed Span(12) duration;`.
type Fixed struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    Ident        `"fixed" @Ident`
	Size    string       `"(" @Number ")"`
	Logical *FixedLogical `@@? ";"`
}

// FixedLogical is the logical type on a fixed.
type FixedLogical struct {
	Pos       lexer.Position
	EndPos    lexer.Position
	Name      Ident   `@Ident`
	Precision *string `( "(" @Number`
	Scale     *string `  ( "," @Number )? ")" )?`
}

// TypeDef is `type Name = Type;`: a custom domain type carried on the wire
// as Type.
type TypeDef struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   Ident     `"type" @Ident "="`
	Type   *TypeExpr `@@ ";"`
}

// Topic is `topic "name" { key: K; value: V; }`.
type Topic struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    string         `"topic" @String "{"`
	Entries []*TopicEntry  `@@* "}"`
}

// TopicEntry is one `key: T;` or `value: T;` line of a topic.
type TopicEntry struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Role   Ident     `@("key" | "value") ":"`
	Type   *TypeExpr `@@ ";"`

	Doc []string `parser:""`
}

// TypeExpr is a use of a type: a name, array<T>, map<T>, union<A, B>,
// decimal(p, s), each with optional annotations (custom properties of the
// type) and an optional "?" making it a union with null.
type TypeExpr struct {
	Pos         lexer.Position
	EndPos      lexer.Position
	Annotations []*Annotation `@@*`
	Array       *TypeExpr      `( "array" "<" @@ ">"`
	Map         *TypeExpr      `| "map" "<" @@ ">"`
	Union       *UnionExpr     `| @@`
	Decimal     *DecimalExpr   `| @@`
	Name        *QualifiedName `| @@ )`
	Optional    bool           `@"?"?`
}

// UnionExpr is union<A, B, ...>.
type UnionExpr struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Branches []*TypeExpr `"union" "<" @@ ( "," @@ )* ","? ">"`
}

// DecimalExpr is decimal(precision, scale) on bytes.
type DecimalExpr struct {
	Pos       lexer.Position
	EndPos    lexer.Position
	Precision string  `"decimal" "(" @Number`
	Scale     *string `( "," @Number )? ")"`
}

// QualifiedName is a dotted name: a, a.b.C.
type QualifiedName struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Parts  []Ident `@Ident ( "." @Ident )*`
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
	Name   *QualifiedName `"@" @@`
	Args   []*Arg         `( "(" ( @@ ( "," @@ )* ","? )? ")" )?`
	// Parens records whether the argument list was written, so that
	// @x() and @x differ.
	Parens bool `parser:""`
}

// Arg is an annotation argument, optionally named: @event(type = "x").
type Arg struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident   `( @Ident "=" )?`
	Value  *Literal `@@`
}

// Literal is a JSON-like value: null, true, false, a number, a string, a
// list, an object, or a bare identifier (an enum symbol, or NaN/Infinity).
type Literal struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Number *string     `  @Number`
	String *string     `| @String`
	List   *ListLit    `| @@`
	Object *ObjectLit  `| @@`
	Ident  *Ident      `| @Ident`
}

// ListLit is [a, b, c].
type ListLit struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Items  []*Literal `"[" ( @@ ( "," @@ )* ","? )? "]"`
}

// ObjectLit is {"key": value, ...}. Keys are strings or identifiers.
type ObjectLit struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Members []*ObjectMember `"{" ( @@ ( "," @@ )* ","? )? "}"`
}

// ObjectMember is one key: value of an object literal.
type ObjectMember struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Key    *ObjectKey `@@ ":"`
	Value  *Literal   `@@`
}

// ObjectKey is an object literal's key.
type ObjectKey struct {
	Pos    lexer.Position
	EndPos lexer.Position
	String *string `  @String`
	Ident  *Ident  `| @Ident`
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
