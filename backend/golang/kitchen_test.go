package golang

import (
	"testing"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/golden"
	"strings"
)

// TestGenerate_Kitchen regenerates the packages under internal/ from their
// schemas in testdata (kitchen: every kind of field; amp: the shapes hostile
// input aims at) and fails when the checked-in code is stale (EVC_UPDATE=1
// rewrites it). The packages are real code: go build and go vet check them
// with the module, and their own tests exercise them.
func TestGenerate_Kitchen(t *testing.T) {
	for _, name := range []string{"kitchen", "amp"} {
		res := compiler.Compile([]string{"testdata/" + name}, compiler.Options{})
		if res.Diags.Len() > 0 {
			var b strings.Builder
			_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
			t.Fatalf("the %s schema has diagnostics:\n%s", name, b.String())
		}
		files, err := Generate(res.Schema, Options{Module: "github.com/evc-dev/evc/backend/golang/internal/" + name})
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatal("no files generated")
		}
		for _, f := range files {
			golden.Check(t, "internal/"+name+"/"+f.Path, f.Data)
		}
	}
}

// TestGenerate_Deterministic generates the kitchen sink twice and compares.
func TestGenerate_Deterministic(t *testing.T) {
	gen := func() string {
		res := compiler.Compile([]string{"testdata/kitchen"}, compiler.Options{})
		files, err := Generate(res.Schema, Options{Module: "example.com/m", Packages: map[string]string{"evc.kitchen": "example.com/m/k", "evc.kitchen.other": "example.com/m/k/o"}})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, f := range files {
			b.WriteString(f.Path + "\n" + string(f.Data))
		}
		return b.String()
	}
	if a, b := gen(), gen(); a != b {
		t.Errorf("two runs differ:\n%s", golden.Diff(a, b))
	}
}
