package diagcoverage

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// checked are the packages (folders, from the module root) whose
// diagnostics must all be asserted.
var checked = []string{"idl", "compiler", "compiler/avsc", "compiler/defaults", "internal/driver"}

// notYetAsserted are the message formats no test asserts yet: debt, to be
// paid by adding a row to the phase's table (compiler/diagnostics_test.go,
// idl/diagnostics_test.go) or a golden case. The test fails when a format
// is missing from both the tests and this list, and when one on this list
// has become asserted (then delete it here), so the list only shrinks.
var notYetAsserted = map[string]bool{
	"a union may hold one branch of each unnamed type: %s": true,
	"the schema nests more than %d levels deep":            true,
	"type name %q is not a valid Avro name: %s":            true,
}

// TestEveryDiagnosticIsAsserted finds the message formats of every
// diagnostic reported in the checked packages (the format argument of
// Errorf and Warnf on a diagnostics list, and the Message of a
// diag.Diagnostic literal), and looks for each, as a pattern, in the text
// that tests assert: the string literals of every _test.go file and every
// file under a testdata folder.
func TestEveryDiagnosticIsAsserted(t *testing.T) {
	root := "../.."
	formats := map[string]string{} // format -> where
	for _, dir := range checked {
		for f, where := range messageFormats(t, filepath.Join(root, dir)) {
			formats[f] = where
		}
	}
	if len(formats) < 50 {
		t.Fatalf("found only %d message formats: the scan is broken", len(formats))
	}
	asserted := assertedText(t, root)
	var missing, paid []string
	for f, where := range formats {
		ok := pattern(f).MatchString(asserted)
		switch {
		case !ok && !notYetAsserted[f]:
			missing = append(missing, where+": "+strconv.Quote(f))
		case ok && notYetAsserted[f]:
			paid = append(paid, strconv.Quote(f))
		}
	}
	for f := range notYetAsserted {
		if _, ok := formats[f]; !ok {
			paid = append(paid, strconv.Quote(f)+" (no longer in the source)")
		}
	}
	sort.Strings(missing)
	sort.Strings(paid)
	if len(missing) > 0 {
		t.Errorf("%d diagnostic messages that no test asserts: add a table row or a golden case for each\n%s", len(missing), strings.Join(missing, "\n"))
	}
	if len(paid) > 0 {
		t.Errorf("remove from notYetAsserted, now that tests assert them or they are gone:\n%s", strings.Join(paid, "\n"))
	}
	t.Logf("%d message formats, %d not yet asserted", len(formats), len(notYetAsserted))
}

// messageFormats returns the diagnostic message formats written in the
// non-test Go files of dir, with the position of each.
func messageFormats(t *testing.T, dir string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		add := func(lit ast.Expr) {
			b, ok := lit.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(b.Value)
			if err != nil {
				return
			}
			out[s] = fset.Position(b.Pos()).String()
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				// l.Errorf(span, "format", ...), l.Warnf(span, ...)
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Errorf" || sel.Sel.Name == "Warnf") && len(n.Args) >= 2 {
					if _, isLit := n.Args[0].(*ast.BasicLit); !isLit {
						add(n.Args[1])
					}
				}
			case *ast.CompositeLit:
				// diag.Diagnostic{Message: "..."} or Message: fmt.Sprintf("...", ...)
				if !isDiagnostic(n.Type) {
					return true
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if id, isID := kv.Key.(*ast.Ident); !ok || !isID || id.Name != "Message" {
						continue
					}
					switch v := kv.Value.(type) {
					case *ast.BasicLit:
						add(v)
					case *ast.CallExpr:
						if sel, ok := v.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(v.Args) > 0 {
							add(v.Args[0])
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// isDiagnostic reports whether a composite literal's type is
// diag.Diagnostic.
func isDiagnostic(typ ast.Expr) bool {
	switch x := typ.(type) {
	case *ast.SelectorExpr:
		return x.Sel.Name == "Diagnostic"
	case *ast.Ident:
		return x.Name == "Diagnostic"
	}
	return false
}

// assertedText is what tests can assert: the string literals of every test
// file, and every file under a testdata folder, one per line.
func assertedText(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(p, "_test.go") && filepath.Base(filepath.Dir(p)) != "diagcoverage":
			// (This file's own list of formats asserts nothing.)
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						b.WriteString(s)
						b.WriteByte('\n')
					}
				}
				return true
			})
		case strings.Contains(filepath.ToSlash(p), "/testdata/") && !strings.HasSuffix(p, ".go"):
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.Write(data)
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// verb matches a fmt verb with its flags.
var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// pattern turns a message format into a regular expression that matches
// the messages it makes: a %q is a quoted string, a %d a number, any other
// verb any text on one line.
func pattern(format string) *regexp.Regexp {
	var b strings.Builder
	last := 0
	for _, m := range verb.FindAllStringIndex(format, -1) {
		b.WriteString(regexp.QuoteMeta(format[last:m[0]]))
		switch v := format[m[0]:m[1]]; v[len(v)-1] {
		case '%':
			b.WriteString("%")
		case 'q':
			b.WriteString(`"(?:[^"\\\n]|\\.)*"`)
		case 'd':
			b.WriteString(`-?[0-9]+`)
		default:
			b.WriteString(`[^\n]*?`)
		}
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	return regexp.MustCompile(b.String())
}
