package idl

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// Lexer is the evc token set. Keywords are plain identifiers, matched by the
// grammar where they are keywords, so that they stay usable as names.
// Identifiers may contain inner hyphens so that logical types read as the
// Avro specification spells them (timestamp-millis) and custom property
// annotations as Avro IDL spells them (@x-pii); the compiler rejects a
// hyphen where Avro's name rules forbid it. A name in backquotes is an
// identifier whatever it spells.
var Lexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "DocComment", Pattern: `///[^\n]*`},
	{Name: "Comment", Pattern: `//[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/`},
	{Name: "String", Pattern: `"(?:\\.|[^"\\\n])*"`},
	{Name: "Number", Pattern: `-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?`},
	{Name: "Ident", Pattern: "`[^`\\n]*`|[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"},
	{Name: "Punct", Pattern: `[{}()<>\[\];:,=?@.]`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
})

var (
	tokDoc        = Lexer.Symbols()["DocComment"]
	tokComment    = Lexer.Symbols()["Comment"]
	tokString     = Lexer.Symbols()["String"]
	tokNumber     = Lexer.Symbols()["Number"]
	tokIdentifier = Lexer.Symbols()["Ident"]
	tokPunct      = Lexer.Symbols()["Punct"]
	tokWhitespace = Lexer.Symbols()["Whitespace"]
)
