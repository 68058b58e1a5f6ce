package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFmt_WriteFailureKeepsTheSource is the fmt-enospc reproducer: a write
// that fails half-way (here the file size limit, as a full disk would) must
// leave the source whole. evc runs in a child process, the only one with
// the limit.
func TestFmt_WriteFailureKeepsTheSource(t *testing.T) {
	if file := os.Getenv("EVC_TEST_FSIZE_CHILD"); file != "" {
		lim := &syscall.Rlimit{Cur: 4096, Max: 4096}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, lim); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(run([]string{"fmt", "-w", file}, strings.NewReader(""), os.Stdout, os.Stderr))
	}
	var b strings.Builder
	b.WriteString("namespace t;\n")
	for i := range 130 {
		fmt.Fprintf(&b, "record R%d{a%d:string;b:int;}\n", i, i)
	}
	src := b.String()
	if len(src) >= 4096 {
		t.Fatalf("the source (%d bytes) must fit the limit", len(src))
	}
	file := filepath.Join(t.TempDir(), "src.evc")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFmt_WriteFailureKeepsTheSource$")
	cmd.Env = append(os.Environ(), "EVC_TEST_FSIZE_CHILD="+file)
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitUsage {
		t.Fatalf("evc fmt -w: %v, want exit %d\n%s", err, exitUsage, out)
	}
	if want := "evc: " + filepath.ToSlash(file) + ": file too large\n"; string(out) != want {
		t.Errorf("stderr %q, want %q", out, want)
	}
	if got, _ := os.ReadFile(file); string(got) != src {
		t.Errorf("the source changed: %d bytes, want %d", len(got), len(src))
	}
	if ents, _ := os.ReadDir(filepath.Dir(file)); len(ents) != 1 {
		t.Errorf("files left beside the source: %v", ents)
	}
}
