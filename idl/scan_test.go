package idl

import (
	"reflect"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

var scanInputs = []string{
	squarebot,
	"namespace a.b; record R { x: timestamp-millis = -1.5e3; y: `record`; } // end",
	"/* block\n * comment */ enum E { a, b } default a;",
	"x: \"esc \\\" \\u00e9 é\" 0 -0 01 1.x -x @x-pii(true)",
	"ünïcode: \"ü\"",
	"\"unterminated",
	"a-b-c a- -b 3e 3e+ 3.",
}

// TestScan_MatchesRegexpLexer holds the hand-written scanner to the
// regular-expression rules that define the tokens.
func TestScan_MatchesRegexpLexer(t *testing.T) {
	for _, in := range scanInputs {
		compareLexers(t, in)
	}
}

func compareLexers(t *testing.T, in string) {
	t.Helper()
	want, wantErr := lexAll("f.evc", []byte(in))
	got, gotErr := scan("f.evc", []byte(in))
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("%q: regexp lexer error %v, scanner error %v", in, wantErr, gotErr)
	}
	if wantErr != nil {
		// The scanner names only the offending character; the position
		// must be the same.
		we, _ := wantErr.(*lexer.Error)
		ge, _ := gotErr.(*lexer.Error)
		if we == nil || ge == nil || we.Pos != ge.Pos {
			t.Errorf("%q: error %v, want one at the position of %v", in, gotErr, wantErr)
		}
		return
	}
	if n := len(want); n > 0 && want[n-1].EOF() {
		want = want[:n-1]
	}
	// No tokens are no tokens, nil or empty (the seed 5838cdfae7b16cde).
	if (len(want) != 0 || len(got) != 0) && !reflect.DeepEqual(want, got) {
		t.Errorf("%q:\n got %v\nwant %v", in, got, want)
	}
}

func FuzzScan(f *testing.F) {
	for _, in := range scanInputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		compareLexers(t, in)
	})
}
