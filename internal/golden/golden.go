// Package golden compares test output with golden files under testdata/,
// and rewrites them when asked: with the -update flag in packages that import
// golden, or with EVC_UPDATE=1 in the environment (which also works for
// `go test ./...`, where packages without the flag would reject -update).
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Updating reports whether golden files are being rewritten.
func Updating() bool { return *update || os.Getenv("EVC_UPDATE") == "1" }

// Check compares got with the golden file at path. When updating, it writes
// got there instead. A missing golden file is a failure.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file %s (run with EVC_UPDATE=1 to create it): %v", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff returns a line diff of want and got, lines prefixed "-" and "+".
func Diff(want, got string) string {
	a := strings.SplitAfter(want, "\n")
	b := strings.SplitAfter(got, "\n")
	if len(a) > 0 && a[len(a)-1] == "" {
		a = a[:len(a)-1]
	}
	if len(b) > 0 && b[len(b)-1] == "" {
		b = b[:len(b)-1]
	}
	// Longest common subsequence on lines: fine for golden-file sizes.
	n, m := len(a), len(b)
	if n*m > 4_000_000 {
		return "-" + want + "\n+" + got
	}
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	line := func(prefix, s string) {
		out.WriteString(prefix)
		out.WriteString(strings.TrimSuffix(s, "\n"))
		out.WriteByte('\n')
	}
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			line(" ", a[i])
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			line("-", a[i])
			i++
		default:
			line("+", b[j])
			j++
		}
	}
	return out.String()
}
