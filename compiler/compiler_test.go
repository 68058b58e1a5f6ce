package compiler

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/ir"
)

// TestCompile_Golden compiles each testdata/<case> folder and compares the
// rendered diagnostics (diagnostics.txt) and a dump of the IR (ir.txt) with
// their golden files.
func TestCompile_Golden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() || filepath.Base(dir) == "fuzz" {
			continue // testdata/fuzz holds the fuzzers' corpus
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var inputs []string
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if IsSource(e.Name()) {
					inputs = append(inputs, filepath.ToSlash(filepath.Join(dir, e.Name())))
				}
			}
			res := Compile(inputs, Options{})
			var b bytes.Buffer
			if err := diag.WriteText(&b, res.Diags.Items(), res.Sources); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join(dir, "diagnostics.txt"), b.Bytes())
			if !res.Diags.HasErrors() {
				golden.Check(t, filepath.Join(dir, "ir.txt"), []byte(dumpSchema(res.Schema)))
			}
			if strings.HasPrefix(filepath.Base(dir), "ok_") && res.Diags.HasErrors() {
				t.Errorf("case %s should compile", dir)
			}
		})
	}
}

// dumpSchema renders the IR as text, for golden tests.
func dumpSchema(s *ir.Schema) string {
	var b strings.Builder
	for _, f := range s.Files {
		fmt.Fprintf(&b, "file %s namespace=%q go_package=%q compat=%q imported=%v avsc=%v\n", f.Path, f.Namespace, f.GoPackage, f.Compat, f.Imported, f.Avsc)
		if f.Doc != "" {
			fmt.Fprintf(&b, "  doc %q\n", f.Doc)
		}
		for _, c := range f.Customs {
			fmt.Fprintf(&b, "  custom %s = %s go=%q doc=%q\n", c.FullName(), c.Wire.Name(), c.GoType, c.Doc)
		}
		for _, n := range f.Types {
			fmt.Fprintf(&b, "  %s %s aliases=%v compat=%q go_name=%q deprecated=%v at %s\n", n.Kind, n.FullName(), n.Aliases, n.Compat, n.GoName, n.Deprecated, n.NameSpan.Start)
			if n.Doc != "" || n.EmptyDoc {
				fmt.Fprintf(&b, "    doc %q\n", n.Doc)
			}
			if n.Error {
				b.WriteString("    error\n")
			}
			if n.Event != nil {
				fmt.Fprintf(&b, "    event type=%q source=%q\n", n.Event.Type, n.Event.Source)
			}
			for _, p := range n.Props {
				fmt.Fprintf(&b, "    prop %s=%s\n", p.Name, p.Value)
			}
			for _, fl := range n.Fields {
				fmt.Fprintf(&b, "    field %s: %s", fl.Name, fl.Type.Name())
				if fl.Default != nil {
					fmt.Fprintf(&b, " = %s", fl.Default.JSON())
				}
				if fl.Order != "" {
					fmt.Fprintf(&b, " order=%s", fl.Order)
				}
				if len(fl.Aliases) > 0 {
					fmt.Fprintf(&b, " aliases=%v", fl.Aliases)
				}
				for _, p := range fl.Props {
					fmt.Fprintf(&b, " prop %s=%s", p.Name, p.Value)
				}
				for _, p := range fl.Type.Props {
					fmt.Fprintf(&b, " typeprop %s=%s", p.Name, p.Value)
				}
				fmt.Fprintf(&b, " at %s\n", fl.NameSpan.Start)
				if fl.Doc != "" || fl.EmptyDoc {
					fmt.Fprintf(&b, "      doc %q\n", fl.Doc)
				}
				if fl.Type.NoScale {
					b.WriteString("      no scale\n")
				}
			}
			for _, sy := range n.Symbols {
				fmt.Fprintf(&b, "    symbol %s doc=%q", sy.Name, sy.Doc)
				if sy.Deprecated {
					fmt.Fprintf(&b, " deprecated=%q", sy.DeprecatedReason)
				}
				b.WriteString("\n")
			}
			if n.HasDefault {
				fmt.Fprintf(&b, "    default %s\n", n.Default)
			}
			if n.Kind == ir.Fixed {
				fmt.Fprintf(&b, "    size %d logical=%s(%d,%d)\n", n.Size, n.Logical, n.Precision, n.Scale)
				if n.NoScale {
					b.WriteString("    no scale\n")
				}
			}
			for _, r := range n.Reserved {
				fmt.Fprintf(&b, "    reserved %s\n", r.Name)
			}
		}
		for _, tp := range f.Topics {
			key := "none"
			if tp.Key != nil {
				key = tp.Key.Name()
			}
			var vals []string
			for _, v := range tp.Values {
				vals = append(vals, v.Name())
			}
			fmt.Fprintf(&b, "  topic %q key=%s values=%v\n", tp.Name, key, vals)
		}
	}
	return b.String()
}

// TestCache_Parses: a compile with a cache reuses the parse of a file whose
// text did not change, and parses a changed one again.
func TestCache_Parses(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.evc")
	b := filepath.Join(dir, "b.evc")
	if err := os.WriteFile(a, []byte("namespace x;\nrecord A { f: int; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("namespace x;\nrecord B { g: Nope; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pc := NewCache()
	first := Compile([]string{dir}, Options{Cache: pc})
	if got := first.Diags.Items(); len(got) != 1 || !strings.Contains(got[0].Message, `unknown type "Nope"`) {
		t.Fatalf("first compile: %v", got)
	}
	astA := pc.parsed[filepath.ToSlash(a)].ast
	if err := os.WriteFile(b, []byte("namespace x;\nimport \"a.evc\";\nrecord B { g: A; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := Compile([]string{dir}, Options{Cache: pc})
	if second.Diags.Len() != 0 {
		t.Fatalf("second compile: %v", second.Diags.Items())
	}
	if pc.parsed[filepath.ToSlash(a)].ast != astA {
		t.Error("a.evc did not change but was parsed again")
	}
	if second.Schema.Lookup("x.B").Fields[0].Type.Named != second.Schema.Lookup("x.A") {
		t.Error("B.g does not resolve to A")
	}
}
