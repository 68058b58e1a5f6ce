package golang

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// readAvsc reads one .avsc document into a schema of its own and returns
// its top-level named type.
func readAvsc(path string, src []byte) (*ir.Schema, *ir.Named, error) {
	var l diag.List
	f := avsc.Read(path, src, &l, nil)
	if err := l.Err(); err != nil {
		return nil, nil, err
	}
	if f.Root == nil || f.Root.Named == nil {
		return nil, nil, fmt.Errorf("%s: top-level schema is not named", path)
	}
	s := &ir.Schema{Files: []*ir.File{f}, Types: f.Types}
	s.Index()
	return s, f.Root.Named, nil
}

// wrapSchema wraps a schema that is not a record in a one-field record,
// whose encoding is the field's.
func wrapSchema(schema json.RawMessage) string {
	var obj map[string]any
	if json.Unmarshal(schema, &obj) == nil && obj["type"] == "record" {
		return string(schema)
	}
	return `{"type":"record","name":"Wrap","fields":[{"name":"v","type":` + string(schema) + `}]}`
}

// harnessCase is one case of the harness program: kind vector, random or
// resolve, and the Go type to decode into.
type harnessCase struct {
	kind, name     string
	hex            string // vector
	schema         string // vector, random: the record's schema
	writer, reader string // resolve
	goType         GoIdent
}

// harness generates Go for cases into one temporary package tree inside the
// module, vets it, and builds and runs the harness program once; it returns
// the result of every case by name.
type harness struct {
	t      *testing.T
	dir    string
	module string
	cases  []harnessCase
	n      int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	if testing.Short() {
		t.Skip("builds generated code; skipped with -short")
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "tmp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if os.Getenv("EVC_KEEP") == "" {
			os.RemoveAll(dir)
		}
	})
	return &harness{t: t, dir: dir, module: "github.com/evc-dev/evc/backend/golang/" + filepath.ToSlash(dir)}
}

// add generates the Go package of s (under its own directory, so that
// equal names in different cases do not meet) and returns the Go type of
// root.
func (h *harness) add(s *ir.Schema, root *ir.Named) (GoIdent, error) {
	h.n++
	sub := fmt.Sprintf("c%03d", h.n)
	files, g, err := generate(s, Options{Module: h.module + "/" + sub})
	if err != nil {
		return GoIdent{}, err
	}
	if err := backend.Write(filepath.Join(h.dir, sub), files); err != nil {
		return GoIdent{}, err
	}
	return g.named[root].ident, nil
}

type harnessResult struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

func (h *harness) run() map[string]harnessResult {
	t := h.t
	t.Helper()
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	imports := map[string]string{}
	for _, c := range h.cases {
		if _, ok := imports[c.goType.ImportPath]; !ok {
			imports[c.goType.ImportPath] = fmt.Sprintf("p%d", len(imports))
			fmt.Fprintf(&b, "\t%s %q\n", imports[c.goType.ImportPath], c.goType.ImportPath)
		}
	}
	b.WriteString(")\n\n")
	for _, kind := range []string{"vector", "random", "resolve"} {
		fmt.Fprintf(&b, "var %sCases = []%sCase{\n", kind, kind)
		for _, c := range h.cases {
			if c.kind != kind {
				continue
			}
			ctor := fmt.Sprintf("func() message { return new(%s.%s) }", imports[c.goType.ImportPath], c.goType.Name)
			switch kind {
			case "vector":
				fmt.Fprintf(&b, "\t{%q, %q, %q, %s},\n", c.name, c.hex, c.schema, ctor)
			case "random":
				fmt.Fprintf(&b, "\t{%q, %q, %s},\n", c.name, c.schema, ctor)
			case "resolve":
				fmt.Fprintf(&b, "\t{%q, %q, %q, %s},\n", c.name, c.writer, c.reader, ctor)
			}
		}
		b.WriteString("}\n\n")
	}
	if err := os.WriteFile(filepath.Join(h.dir, "cases.go"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/harness/harness.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "harness.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs := "./" + filepath.ToSlash(h.dir) + "/..."
	if out, err := exec.Command("go", "vet", pkgs).CombinedOutput(); err != nil {
		t.Fatalf("go vet of the generated code: %v\n%s", err, out)
	}
	bin := filepath.Join(h.dir, "harness.bin")
	if out, err := exec.Command("go", "build", "-o", bin, "./"+filepath.ToSlash(h.dir)).CombinedOutput(); err != nil {
		t.Fatalf("go build of the harness: %v\n%s", err, out)
	}
	cmd := exec.Command("./" + bin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("harness: %v\n%s", err, stderr.String())
	}
	results := map[string]harnessResult{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r harnessResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("harness output %q: %v", sc.Text(), err)
		}
		results[r.Name] = r
	}
	return results
}
