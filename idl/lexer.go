package idl

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// lexerRules are the evc tokens, as regular expressions: the definition that
// the hand-written scanner (scan.go) is held to in tests. Keywords are plain
// identifiers, matched by the grammar where they are keywords, so that they
// stay usable as names. Identifiers may contain inner hyphens so that
// logical types read as the Avro specification spells them
// (timestamp-millis) and custom property annotations as Avro IDL spells
// them (@x-pii); the compiler rejects a hyphen where Avro's name rules
// forbid it. A name in backquotes is an identifier whatever it spells.
//
// The rules are only data here: compiling them (and the participle grammar
// built on them) costs tens of milliseconds, so it happens in tests, never
// when evc starts.
var lexerRules = []lexer.SimpleRule{
	{Name: "DocComment", Pattern: `///[^\n]*`},
	{Name: "Comment", Pattern: `//[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/`},
	{Name: "String", Pattern: `"(?:\\.|[^"\\\n])*"`},
	{Name: "Number", Pattern: `-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?`},
	{Name: "Ident", Pattern: "`[^`\\n]*`|[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"},
	{Name: "Punct", Pattern: `[{}()<>\[\];:,=?@.]`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
}

// The token types, numbered as participle numbers the rules of lexerRules
// (EOF, then one less for each rule in order), so that the grammar accepts
// the scanner's tokens. TestLexer_TokenTypes checks the numbering.
const (
	tokDoc lexer.TokenType = lexer.EOF - 1 - iota
	tokComment
	tokString
	tokNumber
	tokIdentifier
	tokPunct
	tokWhitespace
)
