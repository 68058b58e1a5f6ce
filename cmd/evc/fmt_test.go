package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const fmtMessy = "namespace x;\nrecord R{a:int;b : string?;}\n"

const fmtClean = `namespace x;

record R {
  a: int;
  b: string?;
}
`

// runEvc runs the CLI in-process with stdin and returns exit code, stdout
// and stderr.
func runEvc(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// fmtTree writes files (relative path -> content) under a temporary
// directory and returns it.
func fmtTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFmt_PrintsFormatted(t *testing.T) {
	dir := fmtTree(t, map[string]string{"a.evc": fmtMessy})
	code, out, errs := runEvc(t, "", "fmt", filepath.Join(dir, "a.evc"))
	if code != 0 || errs != "" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	if out != fmtClean {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, fmtClean)
	}
	// The file is left alone without -w.
	if b, _ := os.ReadFile(filepath.Join(dir, "a.evc")); string(b) != fmtMessy {
		t.Errorf("file changed without -w")
	}
}

func TestFmt_Stdin(t *testing.T) {
	code, out, errs := runEvc(t, fmtMessy, "fmt")
	if code != 0 || out != fmtClean || errs != "" {
		t.Errorf("code %d stdout %q stderr %q", code, out, errs)
	}
	code, _, errs = runEvc(t, fmtMessy, "fmt", "-w")
	if code != exitUsage || !strings.Contains(errs, "cannot use -w with standard input") {
		t.Errorf("-w on stdin: code %d stderr %q", code, errs)
	}
}

func TestFmt_ListWriteDirectories(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"a.evc":            fmtMessy,
		"clean.evc":        fmtClean,
		"sub/deep/b.evc":   fmtMessy,
		"sub/notes.txt":    "record not evc",
		".hidden/c.evc":    fmtMessy,
		"sub/.git/d.evc":   fmtMessy,
		"sub/deep/ok2.evc": fmtClean,
	})
	want := filepath.Join(dir, "a.evc") + "\n" + filepath.Join(dir, "sub", "deep", "b.evc") + "\n"
	code, out, errs := runEvc(t, "", "fmt", "-l", dir)
	if code != 0 || errs != "" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	if out != want {
		t.Errorf("-l listed:\n%s\nwant:\n%s", out, want)
	}
	code, out, errs = runEvc(t, "", "fmt", "-l", "-w", dir)
	if code != 0 || errs != "" || out != want {
		t.Fatalf("-l -w: code %d stdout %q stderr %q", code, out, errs)
	}
	for _, name := range []string{"a.evc", "sub/deep/b.evc"} {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if string(b) != fmtClean {
			t.Errorf("%s after -w:\n%s", name, b)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".hidden", "c.evc")); string(b) != fmtMessy {
		t.Errorf("a file in a hidden directory was rewritten")
	}
	code, out, _ = runEvc(t, "", "fmt", "-l", dir)
	if code != 0 || out != "" {
		t.Errorf("after -w, -l lists %q (code %d)", out, code)
	}
}

func TestFmt_Diff(t *testing.T) {
	dir := fmtTree(t, map[string]string{"a.evc": fmtMessy})
	path := filepath.Join(dir, "a.evc")
	code, out, errs := runEvc(t, "", "fmt", "-d", path)
	if code != 0 || errs != "" {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	want := "--- " + path + ".orig\n+++ " + path + "\n" +
		"@@ -1,2 +1,6 @@\n" +
		" namespace x;\n" +
		"-record R{a:int;b : string?;}\n" +
		"+\n" +
		"+record R {\n" +
		"+  a: int;\n" +
		"+  b: string?;\n" +
		"+}\n"
	if out != want {
		t.Errorf("diff:\n%s\nwant:\n%s", out, want)
	}
}

func TestFmt_SyntaxErrorExit1(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"bad.evc":  "namespace x;\nrecord R {\n  a string;\n}\n",
		"good.evc": fmtMessy,
	})
	bad := filepath.Join(dir, "bad.evc")
	code, out, errs := runEvc(t, "", "fmt", "-l", dir)
	if code != exitSchema {
		t.Errorf("code %d, want %d", code, exitSchema)
	}
	if !strings.HasPrefix(errs, bad+":3:5: syntax error: ") || !strings.Contains(errs, "  a string;\n") || !strings.Contains(errs, "^") {
		t.Errorf("stderr:\n%s", errs)
	}
	// The other file is still handled.
	if out != filepath.Join(dir, "good.evc")+"\n" {
		t.Errorf("stdout %q", out)
	}
}

func TestFmt_UsageErrors(t *testing.T) {
	dir := fmtTree(t, map[string]string{"a.evc": fmtClean})
	for name, args := range map[string][]string{
		"missing file": {"fmt", filepath.Join(dir, "nope.evc")},
		"bad flag":     {"fmt", "--nope", dir},
		"bad format":   {"fmt", "--format", "xml", dir},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errs := runEvc(t, "", args...)
			if code != exitUsage || errs == "" {
				t.Errorf("code %d stderr %q", code, errs)
			}
		})
	}
}

func TestFmt_Help(t *testing.T) {
	code, out, _ := runEvc(t, "", "fmt", "--help")
	if code != 0 || !strings.Contains(out, "-w, --write") || !strings.Contains(out, "canonical layout") {
		t.Errorf("code %d help:\n%s", code, out)
	}
}

// TestUnifiedDiff_Applies checks on random edits that applying the diff to
// the old text gives the new one.
func TestUnifiedDiff_Applies(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"a\n", "b\n", "c\n", "d\n", "e"}
	gen := func() string {
		var b strings.Builder
		for i, n := 0, rng.Intn(30); i < n; i++ {
			b.WriteString(words[rng.Intn(len(words)-1)])
		}
		if rng.Intn(4) == 0 {
			b.WriteString(words[len(words)-1])
		}
		return b.String()
	}
	for i := 0; i < 2000; i++ {
		a, b := gen(), gen()
		d := unifiedDiff("a", "b", a, b)
		if a == b {
			if d != "" {
				t.Fatalf("diff of equal texts: %q", d)
			}
			continue
		}
		got, err := applyUnified(a, d)
		if err != nil || got != b {
			t.Fatalf("a=%q b=%q\ndiff:\n%s\napplied: %q, %v", a, b, d, got, err)
		}
	}
}

// applyUnified applies a unified diff made by unifiedDiff to a.
func applyUnified(a, d string) (string, error) {
	src := splitLines(a)
	lines := strings.SplitAfter(d, "\n")
	var out []string
	next := 0 // next line of src to copy
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "@@ -") {
			return "", fmt.Errorf("expected a hunk header, got %q", l)
		}
		r := strings.Fields(l)[1][1:]
		startS, lenS, _ := strings.Cut(r, ",")
		start, err := strconv.Atoi(startS)
		if err != nil {
			return "", err
		}
		if lenS != "0" {
			start-- // a non-empty range counts from 1
		}
		if start < next || start > len(src) {
			return "", fmt.Errorf("hunk at %d, at %d already", start, next)
		}
		out = append(out, src[next:start]...)
		next = start
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@") {
			i++
			l := lines[i]
			if strings.HasPrefix(l, `\ No newline`) {
				continue
			}
			text := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
				text = strings.TrimSuffix(text, "\n")
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(src) || src[next] != text {
					return "", fmt.Errorf("line %d is %q, diff says %q", next, src[min(next, len(src)-1)], text)
				}
				if l[0] == ' ' {
					out = append(out, text)
				}
				next++
			case '+':
				out = append(out, text)
			}
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, ""), nil
}
