package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVersion: evc version and evc --version print the same line.
func TestVersion(t *testing.T) {
	var want string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		var out, errw bytes.Buffer
		if code := run(args, nil, &out, &errw); code != 0 || errw.Len() > 0 {
			t.Fatalf("evc %v: exit %d, stderr %q", args, code, errw.String())
		}
		if !strings.HasPrefix(out.String(), "evc ") || !strings.HasSuffix(out.String(), "\n") || strings.Count(out.String(), "\n") != 1 {
			t.Errorf("evc %v printed %q, want one line \"evc VERSION\"", args, out.String())
		}
		if want == "" {
			want = out.String()
		} else if out.String() != want {
			t.Errorf("evc %v printed %q, evc version %q", args, out.String(), want)
		}
	}
}
