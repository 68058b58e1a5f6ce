package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompile_GoPackageStaysInside is the gopkg-escape reproducer: a
// go_package with ".." is a positioned error, and --go-package cannot lead
// out of --go-out either; nothing is written outside it.
func TestCompile_GoPackageStaysInside(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"work/go.mod": "module example.com/m\n",
		"work/schemas/evil.evc": `namespace evil;
option go_package = "example.com/m/gen/../../escaped";
record Pwn { a: string; }
`,
		"work/flag/ok.evc": "namespace ok;\nrecord Fine { a: string; }\n",
	})
	t.Chdir(filepath.Join(dir, "work"))
	code, _, errs := runEvc(t, "", "compile", "--go-out", "gen", "schemas")
	want := `schemas/evil.evc:2:1: go_package "example.com/m/gen/../../escaped" is not a Go import path
   |
 2 | option go_package = "example.com/m/gen/../../escaped";
   | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  help: an import path is slash-separated elements, none of them empty, "." or ".."
`
	if code != exitSchema || errs != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
	code, _, errs = runEvc(t, "", "compile", "--go-out", "gen", "--go-package", "ok=example.com/m/gen/../../escaped", "flag")
	if want := "evc: --go-package takes namespace=import/path, not \"ok=example.com/m/gen/../../escaped\"\nRun 'evc --help' for usage.\n"; code != exitUsage || errs != want {
		t.Errorf("--go-package: exit %d, stderr %q, want %q", code, errs, want)
	}
	var outside []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".evc.go") {
			outside = append(outside, p)
		}
		return nil
	})
	if len(outside) > 0 {
		t.Errorf("Go files written: %v", outside)
	}
}

// TestCompile_NoWriteThroughSymlink is the symlink reproducer: a link in
// the output folder where an .avsc goes is replaced by the file, and what
// it pointed to is untouched; a linked folder that leads out is refused.
func TestCompile_NoWriteThroughSymlink(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"s/r.evc":    "namespace t;\nrecord R { a: string; }\n",
		"victim.txt": "precious data\n",
	})
	t.Chdir(dir)
	if err := os.Mkdir("out", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../victim.txt", "out/t.R.avsc"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runEvc(t, "", "compile", "--avro-out", "out", "s"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got, _ := os.ReadFile("victim.txt"); string(got) != "precious data\n" {
		t.Errorf("victim.txt = %q", got)
	}
	if st, err := os.Lstat("out/t.R.avsc"); err != nil || !st.Mode().IsRegular() {
		t.Errorf("out/t.R.avsc is not a regular file: %v", err)
	}

	// Go output into a package folder that is a link out of --go-out.
	if err := os.WriteFile("go.mod", []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("gen", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("elsewhere", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../elsewhere", "gen/t"); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runEvc(t, "", "compile", "--go-out", "gen", "s")
	want := "evc: cannot write gen/t/r.evc.go: gen/t is a symbolic link, and evc follows none out of the output folder (nor any absolute one); remove the link\n"
	if code != exitUsage || errs != want {
		t.Errorf("exit %d, stderr %q\nwant %q", code, errs, want)
	}
	if ents, _ := os.ReadDir("elsewhere"); len(ents) != 0 {
		t.Errorf("written through gen/t: %v", ents)
	}
}
