package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVersion: evc version, evc --version and evc -v print the same line,
// the one cobra prints for them when run builds the whole command tree
// (runCommand): run answers them first, without building it.
func TestVersion(t *testing.T) {
	var want string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		if !versionOnly(args) {
			t.Errorf("evc %v does not take the version's short path", args)
		}
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
		var cout, cerr bytes.Buffer
		if code := runCommand(args, nil, &cout, &cerr); code != 0 || cerr.Len() > 0 || cout.String() != out.String() {
			t.Errorf("evc %v through cobra: exit %d, stdout %q, stderr %q; the short path printed %q", args, code, cout.String(), cerr.String(), out.String())
		}
	}
	// Anything more goes to cobra, which refuses arguments to version and
	// knows the other commands.
	for _, args := range [][]string{{"version", "x"}, {"version", "--help"}, {"--help"}, {"compile", "--version"}} {
		if versionOnly(args) {
			t.Errorf("evc %v takes the version's short path", args)
		}
	}
	var out, errw bytes.Buffer
	if code := run([]string{"version", "x"}, nil, &out, &errw); code != exitUsage || !strings.Contains(errw.String(), `unknown command "x" for "evc version"`) {
		t.Errorf("evc version x: exit %d, stderr %q", code, errw.String())
	}
}

// TestCommands: evc --help lists every command, version's short path
// notwithstanding.
func TestCommands(t *testing.T) {
	var out, errw bytes.Buffer
	if code := run([]string{"--help"}, nil, &out, &errw); code != 0 {
		t.Fatalf("evc --help: exit %d, stderr %q", code, errw.String())
	}
	for _, name := range []string{"compat", "compile", "completion", "doc", "fmt", "help", "import", "lsp", "version"} {
		if !strings.Contains(out.String(), "\n  "+name+" ") {
			t.Errorf("evc --help does not list %s:\n%s", name, out.String())
		}
	}
}
