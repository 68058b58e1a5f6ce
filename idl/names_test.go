package idl

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// namePositions are the position pairs of the AST that enclose a name and
// the field that holds the name, per node type.
var namePositions = []struct{ pos, end, name string }{
	{"NamePos", "NameEnd", "Name"},
	{"DefaultPos", "DefaultEnd", "Default"},
	{"PathPos", "PathEnd", "Path"},
}

// TestParse_NamePositions checks, on every conformance input, that each
// name position pair encloses exactly the name as written (in backquotes
// or quotes when it was), with lines and columns that match the offsets,
// and that every declared name has its pair.
func TestParse_NamePositions(t *testing.T) {
	inputs := conformanceInputs(t)
	inputs["quoted"] = []byte("record `record` { `a b`: int; }\nenum E { `x`, y } default `x`;\n")
	checked := map[string]int{}
	for name, src := range inputs {
		f, errs := Parse(name, src)
		if len(errs) > 0 {
			continue
		}
		checkNamePositions(t, name, src, reflect.ValueOf(f), checked)
	}
	for _, want := range []string{"Import.PathPos", "Option.NamePos", "Record.NamePos", "Field.NamePos", "Enum.NamePos", "Enum.DefaultPos",
		"Symbol.NamePos", "Fixed.NamePos", "TypeDef.NamePos", "Topic.NamePos", "Arg.NamePos"} {
		if checked[want] == 0 {
			t.Errorf("no input has a %s to check", want)
		}
	}
}

// checkNamePositions checks the name positions of the tree v, counting
// them by node type and field in checked.
func checkNamePositions(t *testing.T, file string, src []byte, v reflect.Value, checked map[string]int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			checkNamePositions(t, file, src, v.Elem(), checked)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			checkNamePositions(t, file, src, v.Index(i), checked)
		}
	case reflect.Struct:
		for _, np := range namePositions {
			pf, ef, nf := v.FieldByName(np.pos), v.FieldByName(np.end), v.FieldByName(np.name)
			if !pf.IsValid() {
				continue
			}
			if !ef.IsValid() || !nf.IsValid() {
				t.Fatalf("%s has %s but no %s or %s", v.Type(), np.pos, np.end, np.name)
			}
			var name string
			switch x := nf.Interface().(type) {
			case Ident:
				name = string(x)
			case *Ident:
				if x == nil {
					if !pf.IsZero() {
						t.Errorf("%s: %s.%s is set with no %s", file, v.Type(), np.pos, np.name)
					}
					continue
				}
				name = string(*x)
			case string:
				name = x // a string literal, quotes included
			default:
				t.Fatalf("%s.%s is a %T", v.Type(), np.name, x)
			}
			pos, end := pf.Interface().(lexer.Position), ef.Interface().(lexer.Position)
			where := file + ": " + v.Type().Name() + "." + np.pos
			if pos.Line == 0 || end.Offset < pos.Offset || end.Offset > len(src) {
				t.Errorf("%s = %v .. %v for %q", where, pos, end, name)
				continue
			}
			written := string(src[pos.Offset:end.Offset])
			if written != name && written != "`"+name+"`" {
				t.Errorf("%s encloses %q, want %q", where, written, name)
			}
			for _, p := range []lexer.Position{pos, end} {
				before := string(src[:p.Offset])
				line := strings.Count(before, "\n") + 1
				col := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
				if p.Line != line || p.Column != col {
					t.Errorf("%s: offset %d is at %d:%d, not %d:%d", where, p.Offset, line, col, p.Line, p.Column)
				}
			}
			checked[v.Type().Name()+"."+np.pos]++
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				checkNamePositions(t, file, src, v.Field(i), checked)
			}
		}
	}
}
