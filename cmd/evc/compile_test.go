package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/internal/driver"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/internal/pyavro"
)

// compileCases is where the end-to-end cases of evc compile live, one folder
// each, as sqlc lays them out:
//
//	in/            the .evc and .avsc inputs
//	args           the arguments after "compile", one a line
//	setup          optional: the arguments of a compile run before that
//	               one, which must succeed (to test --check on fresh output)
//	stdout.golden  the expected standard output
//	stderr.golden  the expected standard error
//	exit.golden    the expected exit code
//	avro/          the expected .avsc tree, when the run writes to $AVRO
//
// The compat cases (testdata/compat) have the same layout: args, and the
// three goldens.
//
// In args, $AVRO is a fresh temporary directory, $GO a fresh directory
// inside this module (so that the generated Go can be vetted and built) and
// $GOMOD its Go import path; $AVRO and $GO are written back as such in
// stderr. The run happens inside
// the case folder, so paths in diagnostics are relative to it.
const compileCases = "testdata/compile"

// compileTmp is where --go-out writes, inside the module so that generated
// packages can import the runtime; it is removed after the test.
const compileTmp = "testdata/tmp"

func TestCompile_Cases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(compileCases, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no cases under " + compileCases)
	}
	goTmp, err := filepath.Abs(compileTmp)
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(goTmp) // left over from an interrupted run
	t.Cleanup(func() { os.RemoveAll(goTmp) })
	avroTmp := t.TempDir()
	var emitted []string // every .avsc written, for the python3-avro check
	var goDirs []string  // every --go-out directory, for go build
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(dir)
		avroOut := filepath.Join(avroTmp, name)
		goOut := filepath.Join(goTmp, name)
		goMod, err := driver.ModulePath(goOut)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			usesAvro, usesGo := false, false
			readArgs := func(file string, def []string) []string {
				args := def
				if raw, err := os.ReadFile(filepath.Join(abs, file)); err == nil {
					args = nil
					for _, a := range strings.Split(string(raw), "\n") {
						if a != "" {
							args = append(args, a)
						}
					}
				}
				for i, a := range args {
					usesAvro = usesAvro || strings.Contains(a, "$AVRO")
					usesGo = usesGo || strings.Contains(a, "$GO")
					a = strings.ReplaceAll(a, "$AVRO", avroOut)
					a = strings.ReplaceAll(a, "$GOMOD", goMod)
					args[i] = strings.ReplaceAll(a, "$GO", goOut)
				}
				return args
			}
			t.Chdir(abs)
			var stdout, stderr bytes.Buffer
			if setup := readArgs("setup", nil); setup != nil {
				if code := run(append([]string{"compile"}, setup...), strings.NewReader(""), &stdout, &stderr); code != exitOK {
					t.Fatalf("setup: exit %d\n%s", code, stderr.String())
				}
				stdout.Reset()
				stderr.Reset()
			}
			if _, err := os.Stat("args"); err != nil {
				t.Fatalf("the case has no args file (an empty one means no arguments): %v", err)
			}
			args := readArgs("args", nil)
			code := run(append([]string{"compile"}, args...), strings.NewReader(""), &stdout, &stderr)
			errText := strings.ReplaceAll(stderr.String(), avroOut, "$AVRO")
			errText = strings.ReplaceAll(errText, goOut, "$GO")
			golden.Check(t, "stdout.golden", stdout.Bytes())
			golden.Check(t, "stderr.golden", []byte(errText))
			golden.Check(t, "exit.golden", []byte(strconv.Itoa(code)+"\n"))
			if usesAvro {
				emitted = append(emitted, checkTree(t, avroOut, "avro")...)
			} else if _, err := os.Stat("avro"); err == nil && !golden.Updating() {
				t.Errorf("avro/ is there, but the case writes no .avsc")
			}
			if usesGo && code == exitOK {
				goDirs = append(goDirs, goOut)
			}
		})
	}
	t.Run("python3-avro", func(t *testing.T) { pythonParses(t, emitted) })
	t.Run("go build", func(t *testing.T) { goBuilds(t, goDirs) })
}

// checkTree compares every file under got with the file of the same path
// under want, and reports files missing on either side. When updating, it
// makes want a copy of got. It returns the paths of the files under got.
func checkTree(t *testing.T, got, want string) []string {
	t.Helper()
	gotFiles := treeFiles(t, got)
	if golden.Updating() {
		os.RemoveAll(want)
	}
	for _, rel := range gotFiles {
		data, err := os.ReadFile(filepath.Join(got, rel))
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join(want, rel), data)
	}
	if !golden.Updating() {
		have := map[string]bool{}
		for _, rel := range gotFiles {
			have[rel] = true
		}
		for _, rel := range treeFiles(t, want) {
			if !have[rel] {
				t.Errorf("%s/%s expected, but compile did not write it", want, rel)
			}
		}
	}
	var out []string
	for _, rel := range gotFiles {
		out = append(out, filepath.Join(got, rel))
	}
	return out
}

// treeFiles lists the files under dir, relative to it, sorted; a missing dir
// has none.
func treeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// requirePython skips the test when python3-avro is missing, unless CI=true,
// where it fails.
func requirePython(t *testing.T) { pyavro.Require(t, "avro.schema") }

// pythonParses parses every file with Apache Avro's reference Python
// implementation, in one process, and with twmb/avro.
func pythonParses(t *testing.T, files []string) {
	if len(files) == 0 {
		t.Fatal("no .avsc was written")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := avro.Parse(string(data)); err != nil {
			t.Errorf("twmb/avro rejects %s: %v", f, err)
		}
	}
	requirePython(t)
	const script = `
import sys, warnings, avro.schema
warnings.simplefilter("ignore")  # unknown logical types are kept as their underlying type
for path in sys.stdin.read().split("\n"):
    try:
        with open(path) as f:
            avro.schema.parse(f.read())
    except Exception as e:
        print("%s: %s" % (path, e))
`
	cmd := exec.Command(pyavro.Python, "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(files, "\n"))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, errb.String())
	}
	if len(out) > 0 {
		t.Errorf("python3-avro rejects:\n%s", out)
	}
	t.Logf("%d .avsc files parse with python3-avro and twmb/avro", len(files))
}

// goBuilds builds and vets the Go packages written under dirs.
func goBuilds(t *testing.T, dirs []string) {
	if len(dirs) == 0 {
		t.Fatal("no case writes Go")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go not in PATH: %v", err)
	}
	for _, d := range dirs {
		for _, verb := range []string{"build", "vet"} {
			cmd := exec.Command(goTool, verb, "./...")
			cmd.Dir = d
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("go %s in %s: %v\n%s", verb, d, err, out)
			}
		}
	}
}

// TestCompile_HugeFile compiles one file of 2,000 records of 20 fields, then
// the same file with an error in every record: all are reported, each once,
// and the output grows linearly.
func TestCompile_HugeFile(t *testing.T) {
	const records, fields = 2000, 20
	gen := func(bad bool) string {
		var b strings.Builder
		b.WriteString("namespace huge;\n\n")
		for i := range records {
			fmt.Fprintf(&b, "/// Record %d.\nrecord R%d {\n", i, i)
			for j := range fields {
				typ := []string{"long", "string?", "array<int>", "map<double>", "timestamp-micros"}[j%5]
				fmt.Fprintf(&b, "  f%d: %s;\n", j, typ)
			}
			if i > 0 {
				b.WriteString("  first: R0?;\n") // a chain would make every self-contained .avsc hold all the others
			}
			if bad {
				fmt.Fprintf(&b, "  oops: int = \"x%d\";\n", i)
			}
			b.WriteString("}\n\n")
		}
		return b.String()
	}
	dir := t.TempDir()
	for _, bad := range []bool{false, true} {
		src := gen(bad)
		path := filepath.Join(dir, "huge.evc")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, fmt.Sprintf("out-%v", bad))
		start := time.Now()
		code, stdout, stderr := runEvc(t, "", "compile", "--avro-out", out, path)
		t.Logf("%d bytes, bad=%v: %v, %d bytes of diagnostics", len(src), bad, time.Since(start), len(stderr))
		if !bad {
			if code != exitOK || stdout != "" || stderr != "" {
				t.Fatalf("code %d stderr %.500s", code, stderr)
			}
			if n := len(treeFiles(t, out)); n != records {
				t.Errorf("%d .avsc written, want %d", n, records)
			}
			continue
		}
		if code != exitSchema {
			t.Errorf("code %d, want %d", code, exitSchema)
		}
		if n := strings.Count(stderr, `has default "x`); n != records {
			t.Errorf("%d errors reported, want %d", n, records)
		}
		if max := records * 400; len(stderr) > max {
			t.Errorf("%d bytes of diagnostics for %d errors; want at most %d", len(stderr), records, max)
		}
	}
}
