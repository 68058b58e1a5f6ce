package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/internal/safefile"
)

func init() { register(newFmtCmd) }

// fmtOptions are the flags of evc fmt.
type fmtOptions struct {
	write, list, diff bool
	format            string
}

func newFmtCmd(a *app) *cobra.Command {
	var o fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [-w] [-l] [-d] [PATH...]",
		Short: "Format .evc files in the canonical layout",
		Long: `fmt rewrites .evc source in evc's one canonical layout, keeping every comment,
as gofmt does for Go. PATH is a file or a directory, searched recursively for
.evc files (hidden directories are skipped). With no PATH, fmt formats
standard input to standard output.

By default the formatted source is printed to standard output. -l lists the
files whose formatting differs, -d prints a unified diff of the changes, and
-w writes the result back to the file; they combine.

Exit status: 0 on success, 1 on syntax errors, 2 on usage errors (bad flags,
unreadable files).`,
		Example: `  evc fmt -l .          # which files are not formatted?
  evc fmt -d events/    # what would change?
  evc fmt -w events/    # format in place`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validFormat(o.format); err != nil {
				return err
			}
			if len(args) == 0 {
				if o.write {
					return fmt.Errorf("cannot use -w with standard input")
				}
				src, err := io.ReadAll(a.stdin)
				if err != nil {
					return fmt.Errorf("reading standard input: %w", err)
				}
				return fmtExit(a.fmtOne(o, "<stdin>", src, false))
			}
			code := exitOK
			for _, arg := range args {
				files, err := evcFiles(arg)
				if err != nil {
					fmt.Fprintf(a.stderr, "evc: %v\n", err)
					code = max(code, exitUsage)
					continue
				}
				for _, path := range files {
					src, err := os.ReadFile(path)
					if err != nil {
						fmt.Fprintf(a.stderr, "evc: %v\n", err)
						code = max(code, exitUsage)
						continue
					}
					code = max(code, a.fmtOne(o, path, src, true))
				}
			}
			return fmtExit(code)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.write, "write", "w", false, "write the result to the file instead of standard output")
	f.BoolVarP(&o.list, "list", "l", false, "list files whose formatting differs")
	f.BoolVarP(&o.diff, "diff", "d", false, "print a unified diff of the changes")
	f.StringVar(&o.format, "format", "text", "diagnostics format: text, json or github")
	return cmd
}

func fmtExit(code int) error {
	if code == exitOK {
		return nil
	}
	return fail(code)
}

// fmtOne formats one source and reports it as the flags ask; it returns the
// exit code for it.
func (a *app) fmtOne(o fmtOptions, path string, src []byte, isFile bool) int {
	out, errs := idl.Format(path, src)
	if len(errs) > 0 {
		if err := writeDiags(a, o.format, errs, diag.Sources{path: src}); err != nil {
			fmt.Fprintf(a.stderr, "evc: %v\n", err)
		}
		return exitSchema
	}
	changed := !bytes.Equal(src, out)
	if o.list && changed {
		fmt.Fprintln(a.stdout, path)
	}
	if o.diff && changed {
		io.WriteString(a.stdout, unifiedDiff(path+".orig", path, string(src), string(out)))
	}
	if o.write && isFile && changed {
		mode := fs.FileMode(0o644)
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := safefile.Write(path, out, mode); err != nil {
			fmt.Fprintln(a.stderr, err)
			return exitUsage
		}
	}
	if !o.list && !o.diff && !o.write {
		a.stdout.Write(out)
	}
	return exitOK
}

// evcFiles returns path itself when it is a file, and the .evc files under
// it, sorted, when it is a directory. Hidden directories below it are
// skipped.
func evcFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".evc") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// unifiedDiff returns a unified diff (three lines of context) from a to b,
// or "" when they are equal.
func unifiedDiff(nameA, nameB, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	const ctx = 3
	// Group the edit script into hunks: runs of changes with up to 2*ctx
	// equal lines between them.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-ctx, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(end+ctx, run)
				break
			}
			end = run
		}
		aStart, bStart, aLen, bLen := ops[start].a, ops[start].b, 0, 0
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, op := range ops[start:end] {
			out.WriteByte(op.kind)
			out.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

// hunkRange renders a hunk's line range as unified diffs do: start,len with
// start counted from 1 (or the line before an empty range).
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffOp is one line of an edit script: ' ' kept, '-' removed, '+' added;
// a and b are the line indexes in the two inputs where it stands.
type diffOp struct {
	kind byte
	text string
	a, b int
}

// diffLines returns an edit script from x to y, from a longest common
// subsequence of lines (quadratic, which is fine for source files; very
// large inputs get a whole-file replacement).
func diffLines(x, y []string) []diffOp {
	n, m := len(x), len(y)
	var ops []diffOp
	if n*m > 25_000_000 {
		for i, l := range x {
			ops = append(ops, diffOp{'-', l, i, 0})
		}
		for j, l := range y {
			ops = append(ops, diffOp{'+', l, n, j})
		}
		return ops
	}
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, diffOp{' ', x[i], i, j})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] > lcs[i+1][j]):
			ops = append(ops, diffOp{'+', y[j], i, j})
			j++
		default:
			ops = append(ops, diffOp{'-', x[i], i, j})
			i++
		}
	}
	return ops
}
