package idl

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// conformanceInputs are the .evc files the hand-written parser is compared
// on: every .evc under testdata and the repository's examples and compiler
// cases, plus the inline inputs of this package's tests.
func conformanceInputs(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"squarebot": []byte(squarebot)}
	for i, s := range scanInputs {
		out["scan"+string(rune('a'+i))] = []byte(s)
	}
	for _, root := range []string{"testdata", "../examples", "../compiler/testdata"} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".evc") {
				if b, err := os.ReadFile(p); err == nil {
					out[p] = b
				}
			}
			return nil
		})
	}
	return out
}

// TestParser_MatchesGrammar holds the hand-written parser to the participle
// grammar: on the same tokens, both fail or both build the same AST, with
// the same start positions (EndPos differs by design).
func TestParser_MatchesGrammar(t *testing.T) {
	inputs := conformanceInputs(t)
	if len(inputs) < 20 {
		t.Fatalf("only %d inputs found", len(inputs))
	}
	for name, src := range inputs {
		compareParsers(t, name, src)
	}
}

func compareParsers(t *testing.T, name string, src []byte) {
	t.Helper()
	toks, err := scanInto(nil, name, src, new([]Comment))
	if err != nil {
		return
	}
	want, wantErr := parseGrammar(toks)
	got, gotErr := parseTokens(toks, eofPos(toks))
	if gotErr != nil && strings.HasPrefix(gotErr.msg, "nesting deeper") {
		return // the grammar has no depth limit
	}
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("%s: grammar error %v, parser error %v", name, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	clearHandPositions(reflect.ValueOf(want))
	clearHandPositions(reflect.ValueOf(got))
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s: the parsers build different trees", name)
	}
}

// clearHandPositions zeroes, in a tree, every position other than Pos:
// EndPos, which the parsers set differently by design, and the positions
// of names (NamePos, NameEnd, ...), which only the hand-written parser
// sets (TestParse_NamePositions checks them).
func clearHandPositions(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearHandPositions(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			clearHandPositions(v.Index(i))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Name != "Pos" && f.Type == reflect.TypeOf(lexer.Position{}) {
				v.Field(i).Set(reflect.Zero(f.Type))
				continue
			}
			if f.IsExported() {
				clearHandPositions(v.Field(i))
			}
		}
	}
}

func FuzzParser(f *testing.F) {
	for _, src := range conformanceInputs(f) {
		f.Add(string(src))
	}
	f.Fuzz(func(t *testing.T, src string) {
		compareParsers(t, "fuzz.evc", []byte(src))
	})
}

func TestParse_EndPosIsEndOfLastToken(t *testing.T) {
	f, errs := Parse("e.evc", []byte("record R {\n  a: int ;\n}\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	fl := f.Decls[0].Record.Members[0].Field
	if fl.Type.EndPos.Line != 2 || fl.Type.EndPos.Column != 9 {
		t.Errorf("type ends at %v, want 2:9 (after \"int\", not at \";\")", fl.Type.EndPos)
	}
}

func TestParse_DeepNestingIsAnError(t *testing.T) {
	src := "record R { a: " + strings.Repeat("array<", 500) + "int" + strings.Repeat(">", 500) + "; }"
	_, errs := Parse("deep.evc", []byte(src))
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "nesting deeper than") {
		t.Fatalf("errs = %v", errs)
	}
}

func TestParse_ReportsEverySyntaxErrorOfAFile(t *testing.T) {
	src := "namespace x;\nrecord A { a int; }\nrecord B { b: int; }\nenum C { x y }\n@foo record D { d: ; }\nrecord E { e: int }\n"
	_, errs := Parse("t.evc", []byte(src))
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`t.evc:2:14: syntax error: unexpected "int", expected ":"`,
		`t.evc:4:12: syntax error: unexpected "y", expected "}"`,
		`t.evc:5:20: syntax error: unexpected ";", expected a type`,
		`t.evc:6:19: syntax error: unexpected "}", expected ";"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParse_LeadingZero(t *testing.T) {
	for _, src := range []string{"record R { a: int = 01; }", "fixed F(016);", "record R { a: int = -007; }"} {
		_, errs := Parse("z.evc", []byte(src))
		if len(errs) != 1 || !strings.Contains(errs[0].Message, "cannot start with 0") {
			t.Errorf("%s: errs = %v", src, errs)
		}
	}
	if _, errs := Parse("z.evc", []byte("record R { a: int = 0; b: double = 0.5; c: long = -0; }")); len(errs) > 0 {
		t.Errorf("valid zeros rejected: %v", errs)
	}
}
