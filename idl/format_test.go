package idl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/internal/golden"
)

// formatInputs returns the golden inputs: testdata/format/*.evc.
func formatInputs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "format", "*.evc"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no inputs in testdata/format: %v", err)
	}
	return paths
}

func TestFormat_Golden(t *testing.T) {
	for _, path := range formatInputs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, errs := Format(path, src)
			if len(errs) > 0 {
				t.Fatalf("Format: %v", errs)
			}
			golden.Check(t, path+".golden", got)
		})
	}
}

// TestFormat_Properties checks, on every golden input and output, that
// formatting keeps the AST and every comment, and is idempotent.
func TestFormat_Properties(t *testing.T) {
	paths := formatInputs(t)
	goldens, _ := filepath.Glob(filepath.Join("testdata", "format", "*.evc.golden"))
	for _, path := range append(paths, goldens...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fmtCheck(t, path, src)
		})
	}
}

// fmtCheck asserts that Format of src parses to the same AST (positions
// aside) with the same comments, and that formatting again changes nothing.
func fmtCheck(t testing.TB, path string, src []byte) {
	t.Helper()
	f1, errs := Parse(path, src)
	if len(errs) > 0 {
		t.Fatalf("parse input: %v", errs)
	}
	out, errs := Format(path, src)
	if len(errs) > 0 {
		t.Fatalf("Format: %v", errs)
	}
	f2, errs := Parse(path, out)
	if len(errs) > 0 {
		t.Fatalf("formatted output does not parse: %v\n%s", errs, out)
	}
	if a, b := fmtDumpAST(f1), fmtDumpAST(f2); a != b {
		t.Fatalf("formatting changed the AST (-input +output):\n%s\noutput:\n%s", golden.Diff(a, b), out)
	}
	again, errs := Format(path, out)
	if len(errs) > 0 {
		t.Fatalf("Format of output: %v", errs)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("not idempotent (-first +second):\n%s", golden.Diff(string(out), string(again)))
	}
}

var fmtPositionType = reflect.TypeOf(lexer.Position{})

// fmtDumpAST renders a File without positions, one node a line, with
// comments as their text (line comments without trailing blanks), so that
// two parses can be compared.
func fmtDumpAST(f *File) string {
	var b strings.Builder
	fmtDumpValue(&b, reflect.ValueOf(f), "")
	return b.String()
}

func fmtDumpValue(b *strings.Builder, v reflect.Value, indent string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		fmtDumpValue(b, v.Elem(), indent)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Comment{}) {
			c := v.Interface().(Comment)
			text := c.Text
			if strings.HasPrefix(text, "//") {
				text = strings.TrimRight(text, " \t\r")
			}
			fmt.Fprintf(b, "comment doc=%v %q\n", c.Doc, text)
			return
		}
		b.WriteString(v.Type().Name() + "\n")
		for i := 0; i < v.NumField(); i++ {
			fv, ft := v.Field(i), v.Type().Field(i)
			if ft.Type == fmtPositionType {
				continue
			}
			if fmtIsEmpty(fv) {
				continue
			}
			b.WriteString(indent + "  " + ft.Name + ": ")
			fmtDumpValue(b, fv, indent+"  ")
		}
	case reflect.Slice:
		b.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			b.WriteString(indent + "  - ")
			fmtDumpValue(b, v.Index(i), indent+"  ")
		}
		b.WriteString(indent + "]\n")
	default:
		fmt.Fprintf(b, "%#v\n", v.Interface())
	}
}

// isEmpty treats nil and empty slices, nil pointers and zero values alike.
func fmtIsEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice:
		return v.Len() == 0
	default:
		return v.IsZero()
	}
}

func TestFormat_SyntaxError(t *testing.T) {
	out, errs := Format("bad.evc", []byte("namespace x;\nrecord R {\n  a string;\n}\n"))
	if out != nil || len(errs) != 1 {
		t.Fatalf("out %q errs %v", out, errs)
	}
	if got, want := errs[0].Error(), "bad.evc:3:5: "; !strings.HasPrefix(got, want) {
		t.Errorf("error %q, want prefix %q", got, want)
	}
}

func TestFormatFile_MismatchedSource(t *testing.T) {
	f, errs := Parse("a.evc", []byte("record A { x: int; }"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := FormatFile(f, []byte("record A { x: int; y: int; }")); err == nil || !strings.HasPrefix(err.Error(), "evc: ") {
		t.Errorf("err = %v, want an evc: error", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for name, want := range map[string]string{
		"a":                "a",
		"record":           "record",
		"timestamp-millis": "timestamp-millis",
		"a b":              "`a b`",
		"1a":               "`1a`",
		"-a":               "`-a`",
		"a-":               "`a-`",
		"a--b":             "`a--b`",
		"a-b-c_9":          "a-b-c_9",
		"_":                "_",
		"é":                "`é`",
		"":                 "``",
	} {
		if got := QuoteIdent(name); got != want {
			t.Errorf("QuoteIdent(%q) = %q, want %q", name, got, want)
		}
	}
}

// fmtFuzzSeeds are the golden inputs and a few fragments that stress comments
// and optional punctuation.
func fmtFuzzSeeds(f *testing.F) {
	for _, path := range formatInputs(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"",
		"record R{a:int;}",
		"enum E{a,b,;}default a;",
		"record R { a: union<int,/*x*/ string,>; }",
		"@a(b=1,)@c()record R{}",
		"record R {a:int=[{\"x\":`y`},]; // c\n}",
		"/// d\nrecord R {} /// e\nrecord S {}",
		"enum E { ; reserved a; }",
		"namespace a.b; /* x */ /* y */ // z",
		"record R { a: int; /// doc\n}",
	} {
		f.Add([]byte(s))
	}
}

func FuzzParse(f *testing.F) {
	fmtFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file, errs := Parse("fuzz.evc", src)
		if (file == nil) == (len(errs) == 0) {
			t.Fatalf("Parse returned file %v and %d errors", file != nil, len(errs))
		}
		for _, e := range errs {
			if e.Message == "" || strings.Contains(e.Message, "internal error") {
				t.Fatalf("bad diagnostic: %v", e)
			}
		}
	})
}

func FuzzFormat(f *testing.F) {
	fmtFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, errs := Parse("fuzz.evc", src); len(errs) > 0 {
			if out, ferrs := Format("fuzz.evc", src); out != nil || len(ferrs) == 0 {
				t.Fatalf("Format of unparsable input gave %q, %v", out, ferrs)
			}
			return
		}
		fmtCheck(t, "fuzz.evc", src)
	})
}

// TestLanguageDoc_Grammar keeps the grammar in docs/language.md in step with
// the parser (EVC_UPDATE=1 rewrites it).
func TestLanguageDoc_Grammar(t *testing.T) {
	const path = "../docs/language.md"
	const begin, end = "<!-- grammar:begin -->\n", "<!-- grammar:end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no grammar markers", path)
	}
	want := "```ebnf\n" + parser.String() + "\n```\n"
	got := s[i+len(begin) : j]
	if got == want {
		return
	}
	if golden.Updating() {
		if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the grammar in %s is stale (-doc +parser):\n%s", path, golden.Diff(got, want))
}

// TestLanguageDoc_ExamplesParse parses every evc example of
// docs/language.md.
func TestLanguageDoc_ExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```evc\n")[1:]
	if len(blocks) < 10 {
		t.Fatalf("found %d evc examples", len(blocks))
	}
	for i, b := range blocks {
		src, _, _ := strings.Cut(b, "```")
		if _, errs := Parse(fmt.Sprintf("example%d.evc", i+1), []byte(src)); len(errs) > 0 {
			t.Errorf("example %d does not parse: %v\n%s", i+1, errs, src)
		}
	}
}

func TestFormat_DropsByteOrderMark(t *testing.T) {
	out, errs := Format("bom.evc", []byte("\ufeffnamespace x;\r\nrecord R { a: int; }\r\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if want := "namespace x;\n\nrecord R {\n  a: int;\n}\n"; string(out) != want {
		t.Errorf("Format = %q, want %q", out, want)
	}
}
