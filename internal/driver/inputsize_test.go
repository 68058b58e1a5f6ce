package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputOver: only .evc and .avsc files count, in folders at any depth
// (not hidden ones) and named directly.
func TestInputOver(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, n int) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.evc", 600)
	write("sub/b.avsc", 300)
	write("sub/c.go", 5000)
	write(".git/d.avsc", 5000)
	for _, tc := range []struct {
		paths []string
		limit int64
		want  bool
	}{
		{[]string{dir}, 899, true},
		{[]string{dir}, 900, false},
		{[]string{a}, 599, true},
		{[]string{a}, 600, false},
		{[]string{a, filepath.Join(dir, "sub")}, 899, true},
		{[]string{filepath.Join(dir, "missing")}, 0, false},
	} {
		if got := inputOver(tc.paths, tc.limit); got != tc.want {
			t.Errorf("inputOver(%v, %d) = %v, want %v", tc.paths, tc.limit, got, tc.want)
		}
	}
}
