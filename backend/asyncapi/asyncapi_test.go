package asyncapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/ir"
)

func compileDir(t *testing.T, dir string) *ir.Schema {
	t.Helper()
	res := compiler.Compile([]string{dir}, compiler.Options{})
	if res.Diags.HasErrors() {
		t.Fatalf("%s: %v", dir, res.Diags.Items())
	}
	return res.Schema
}

func TestGenerate_Golden(t *testing.T) {
	doc, err := Generate(compileDir(t, "testdata/ws"), Options{Title: "Edge cases"})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/edge.asyncapi.json", doc)
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	again, _ := Generate(compileDir(t, "testdata/ws"), Options{Title: "Edge cases"})
	if !bytes.Equal(doc, again) {
		t.Error("two runs gave different documents")
	}
}

// validation is what testdata/node/validate.mjs prints of one document.
type validation struct {
	File        string
	Parsed      bool
	Diagnostics []struct {
		Severity int
		Code     string
		Path     string
		Message  string
	}
	Channels   []string
	Messages   []string
	Operations int
}

// validate runs the AsyncAPI project's own parser (@asyncapi/parser with
// its Avro schema parser) on files. Without node and the npm packages the
// test skips, except under CI, where it fails: .ci/run installs them.
func validate(t *testing.T, files ...string) []validation {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat("testdata/node/node_modules/@asyncapi/parser")
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AsyncAPI parser is not installed (npm ci --prefix backend/asyncapi/testdata/node): %v", err)
		}
		t.Skipf("the AsyncAPI parser is not installed (npm ci --prefix backend/asyncapi/testdata/node): %v", err)
	}
	abs := make([]string, len(files))
	for i, f := range files {
		abs[i], _ = filepath.Abs(f)
	}
	cmd := exec.Command(node, append([]string{"validate.mjs"}, abs...)...)
	cmd.Dir = "testdata/node"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("validate.mjs: %v\n%s", err, stderr.String())
	}
	var vs []validation
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v validation
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("validate.mjs printed %q: %v", sc.Text(), err)
		}
		vs = append(vs, v)
	}
	if len(vs) != len(files) {
		t.Fatalf("validate.mjs judged %d documents of %d:\n%s", len(vs), len(files), out)
	}
	return vs
}

// TestGenerate_ParserAccepts holds the examples' documents and the edge
// cases to the AsyncAPI parser (one run of node for all, as it is slow to
// start): parsed, with no error and no warning (an information or a hint,
// such as "3.1.0 exists", is allowed), holding what evc wrote.
func TestGenerate_ParserAccepts(t *testing.T) {
	files := []string{
		"testdata/edge.asyncapi.json",
		"../../examples/squarebot/asyncapi.json",
		"../../examples/openedx/asyncapi.json",
	}
	vs := validate(t, files...)
	for _, v := range vs {
		if !v.Parsed {
			t.Errorf("%s: the parser gave no document", v.File)
		}
		for _, d := range v.Diagnostics {
			// Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
			if d.Severity <= 1 {
				t.Errorf("%s: %s at %s: %s", v.File, d.Code, d.Path, d.Message)
			}
		}
	}

	edge := vs[0]
	if want := []string{"clicks.by-session", "clicks.by-user", "pages"}; !slices.Equal(edge.Channels, want) {
		t.Errorf("channels %v, want %v", edge.Channels, want)
	}
	// Click is carried with two keys, so it is two messages; a primitive
	// value is a message too.
	if want := []string{"edge.Click_on_clicks.by-session", "edge.Click_on_clicks.by-user", "edge.View", "string"}; !slices.Equal(edge.Messages, want) {
		t.Errorf("messages %v, want %v", edge.Messages, want)
	}
	if edge.Operations != 3 {
		t.Errorf("%d operations, want one per topic", edge.Operations)
	}
	if want := []string{"squarebot.messages"}; !slices.Equal(vs[1].Channels, want) {
		t.Errorf("squarebot: channels %v, want %v", vs[1].Channels, want)
	}
}
