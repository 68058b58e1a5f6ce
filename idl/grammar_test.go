package idl

import (
	"bytes"
	"testing"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The participle grammar (the tags in ast.go) and the regular-expression
// lexer (lexerRules) define the language; the hand-written scanner and
// parser are held to them here. They are built only by tests: building
// them costs more than evc's whole start-up budget.

var regexpLexer = lexer.MustSimple(lexerRules)

var parser = participle.MustBuild[File](
	participle.Lexer(regexpLexer),
	participle.UseLookahead(3),
)

// TestLexer_TokenTypes checks that the token type constants are the ones
// participle gives the rules, so that the grammar reads the scanner's
// tokens.
func TestLexer_TokenTypes(t *testing.T) {
	want := map[string]lexer.TokenType{
		"EOF": lexer.EOF, "DocComment": tokDoc, "Comment": tokComment, "String": tokString,
		"Number": tokNumber, "Ident": tokIdentifier, "Punct": tokPunct, "Whitespace": tokWhitespace,
	}
	got := regexpLexer.Symbols()
	if len(got) != len(want) {
		t.Fatalf("lexer symbols %v, want %v", got, want)
	}
	for name, typ := range want {
		if got[name] != typ {
			t.Errorf("token %s is %d in the lexer, %d in the constants", name, got[name], typ)
		}
	}
}

// parseGrammar parses tokens with the participle grammar.
func parseGrammar(toks []lexer.Token) (*File, error) {
	pl, err := lexer.Upgrade(&sliceLexer{toks: toks})
	if err != nil {
		return nil, err
	}
	return parser.ParseFromLexer(pl)
}

// lexAll tokenizes src with the regular-expression lexer, including
// comments and whitespace.
func lexAll(path string, src []byte) ([]lexer.Token, error) {
	lx, err := regexpLexer.Lex(path, bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	return lexer.ConsumeAll(lx)
}

// sliceLexer replays tokens that were lexed already.
type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	if s.i >= len(s.toks) {
		return lexer.EOFToken(eofPos(s.toks)), nil
	}
	t := s.toks[s.i]
	s.i++
	return t, nil
}
