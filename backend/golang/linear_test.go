package golang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/compiler"
)

// diamond returns n records, each holding the next one twice (and in a map
// and an array), the last with a default: the shape that made the output of
// NewD0 double with each record when constructors inlined nested defaults.
func diamond(n int) string {
	out := []string{"namespace dia;"}
	for i := range n - 1 {
		out = append(out, fmt.Sprintf("record D%d { l: D%d; r: D%d; m: map<D%d>?; u: array<D%d> = []; }", i, i+1, i+1, i+1, i+1))
	}
	out = append(out, fmt.Sprintf("record D%d { x: string = \"leaf\"; }", n-1))
	return strings.Join(out, "\n") + "\n"
}

// chain returns n records, each holding the next one as an optional field:
// the shape whose self-contained schemas hold every record below them.
func chain(n int) string {
	out := []string{"namespace chain;"}
	for i := range n {
		next := fmt.Sprintf("R%d?", i+1)
		if i == n-1 {
			next = "string"
		}
		out = append(out, fmt.Sprintf("record R%d { a%d: %s; }", i, i, next))
	}
	return strings.Join(out, "\n") + "\n"
}

// goSize returns the size of the Go code generated for src.
func goSize(t *testing.T, src string, check func(files map[string]string)) int {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.evc"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := compiler.Compile([]string{dir}, compiler.Options{})
	if res.Diags.Len() > 0 {
		t.Fatalf("diagnostics: %v", res.Diags.Items())
	}
	files, err := Generate(res.Schema, Options{Module: "example.com/m"})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	byPath := map[string]string{}
	for _, f := range files {
		total += len(f.Data)
		byPath[f.Path] = string(f.Data)
	}
	if check != nil {
		check(byPath)
	}
	return total
}

// TestGenerate_Linear: the Go output grows linearly with chains and diamonds
// of nested records. Constructors call the nested constructors (inlining
// nested defaults doubled NewD0 with each record of a diamond), and each
// descriptor holds its own definition only (whole self-contained schemas
// grew with the square of the nesting: 1.9 MB of Go for a diamond of 80).
func TestGenerate_Linear(t *testing.T) {
	goSize(t, diamond(3), func(files map[string]string) {
		for _, data := range files {
			if !strings.Contains(data, "L: *NewD2(),") {
				t.Errorf("NewD1 does not call NewD2:\n%s", data)
			}
			if !strings.Contains(data, "Uses: []runtime.Named{(*D2)(nil)},") {
				t.Errorf("the descriptor of D1 does not use D2's:\n%s", data)
			}
		}
	})
	for _, c := range []struct {
		name string
		src  func(int) string
	}{{"diamond", diamond}, {"chain", chain}} {
		small, large := goSize(t, c.src(40), nil), goSize(t, c.src(80), nil)
		if float64(large)/float64(small) > 2.3 {
			t.Errorf("Go output for a %s of 40 records: %d bytes, of 80: %d bytes; it should grow linearly", c.name, small, large)
		}
	}
}
