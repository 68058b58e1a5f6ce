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

func TestGenerate_LinearConstructors(t *testing.T) {
	size := func(n int) int {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "d.evc"), []byte(diamond(n)), 0o644); err != nil {
			t.Fatal(err)
		}
		res := compiler.Compile([]string{dir}, compiler.Options{})
		if res.Diags.Len() > 0 {
			t.Fatalf("diamond(%d) has diagnostics: %v", n, res.Diags.Items())
		}
		files, err := Generate(res.Schema, Options{Module: "example.com/m"})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, f := range files {
			// Each record's descriptor holds its self-contained schema,
			// which holds every record below it: that part grows with the
			// square of the chain, as self-contained .avsc files do.
			for _, line := range strings.SplitAfter(string(f.Data), "\n") {
				if l := strings.TrimSpace(line); !strings.HasPrefix(l, "Schema:") && !strings.HasPrefix(l, "Canonical:") {
					total += len(line)
				}
			}
			if n == 3 && !strings.Contains(string(f.Data), "L: *NewD2(),") {
				t.Errorf("NewD1 does not call NewD2:\n%s", f.Data)
			}
		}
		return total
	}
	size(3)
	// Each record adds about the same amount of code; doubling made it 2^20
	// times larger at 30 records than at 10.
	small, large := size(10), size(30)
	if per10, per30 := small/10, large/30; per30 > per10*11/10 {
		t.Errorf("Go output for 10 records: %d bytes, for 30: %d bytes; it should grow linearly", small, large)
	}
}
