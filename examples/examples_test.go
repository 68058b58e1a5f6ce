// Package examples_test keeps the examples' checked-in output honest: it
// regenerates the .avsc files and Go bindings of every example and fails when
// anything on disk differs (EVC_UPDATE=1 rewrites them).
package examples_test

import (
	"os"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend/asyncapi"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/driver"
	"github.com/evc-dev/evc/internal/golden"
)

// examples mirrors the Makefile's examples target.
var examples = []struct {
	dir    string
	module string
}{
	{"squarebot", "github.com/evc-dev/evc/examples/squarebot/gen"},
	{"openedx", "github.com/evc-dev/evc/examples/openedx/gen"},
}

func TestExamples_GeneratedFilesAreFresh(t *testing.T) {
	// Generate from the repository's root, as the Makefile does, so that
	// the "source:" lines match.
	t.Chdir("..")
	for _, ex := range examples {
		t.Run(ex.dir, func(t *testing.T) {
			dir := "examples/" + ex.dir
			res, outs, err := driver.Run([]string{dir}, driver.Options{
				AvroOut: dir + "/avro", GoOut: dir + "/gen", GoModule: ex.module,
			})
			if res.Diags.Len() > 0 {
				var b strings.Builder
				_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
				t.Fatalf("the example has diagnostics:\n%s", b.String())
			}
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, o := range outs {
				for _, f := range o.Files {
					n++
					golden.Check(t, o.Dir+"/"+f.Path, f.Data)
				}
			}
			if n == 0 {
				t.Fatal("the example generated no files")
			}
			for _, o := range outs {
				// Every checked-in generated file must still be generated.
				checkNoOrphans(t, o)
			}
		})
	}
}

// checkNoOrphans fails on files in an output directory that the backend no
// longer writes.
func checkNoOrphans(t *testing.T, o driver.Output) {
	t.Helper()
	want := map[string]bool{}
	for _, f := range o.Files {
		want[o.Dir+"/"+f.Path] = true
	}
	err := walk(o.Dir, func(p string) {
		if !want[p] && (strings.HasSuffix(p, ".avsc") || strings.HasSuffix(p, ".evc.go")) {
			t.Errorf("%s is no longer generated; delete it", p)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func walk(dir string, f func(string)) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			if err := walk(p, f); err != nil {
				return err
			}
			continue
		}
		f(p)
	}
	return nil
}

// TestExamples_AsyncAPIIsFresh regenerates each example's AsyncAPI
// document (make docs) and fails when the checked-in one differs; the
// asyncapi package's tests validate them with the AsyncAPI parser.
func TestExamples_AsyncAPIIsFresh(t *testing.T) {
	t.Chdir("..")
	for _, ex := range examples {
		t.Run(ex.dir, func(t *testing.T) {
			dir := "examples/" + ex.dir
			res := compiler.Compile([]string{dir}, compiler.Options{SkipDirs: []string{dir + "/avro", dir + "/gen", dir + "/catalog"}})
			if res.Diags.HasErrors() {
				t.Fatalf("the example has errors: %v", res.Diags.Items())
			}
			doc, err := asyncapi.Generate(res.Schema, asyncapi.Options{Title: exampleTitles[ex.dir]})
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, dir+"/asyncapi.json", doc)
		})
	}
}

// exampleTitles mirror the Makefile's docs target.
var exampleTitles = map[string]string{
	"squarebot": "Squarebot events",
	"openedx":   "Open edX learning events",
}
