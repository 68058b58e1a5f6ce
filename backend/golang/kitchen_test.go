package golang

import (
	"testing"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/golden"
	"strings"
)

// TestGenerate_Kitchen regenerates the kitchen-sink package
// internal/kitchen from testdata/kitchen and fails when the checked-in code
// is stale (EVC_UPDATE=1 rewrites it). The package is real code: go build
// and go vet check it with the module, and kitchen's tests exercise it.
func TestGenerate_Kitchen(t *testing.T) {
	res := compiler.Compile([]string{"testdata/kitchen"}, compiler.Options{})
	if res.Diags.Len() > 0 {
		var b strings.Builder
		_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
		t.Fatalf("the kitchen schema has diagnostics:\n%s", b.String())
	}
	files, err := Generate(res.Schema, Options{Module: "github.com/evc-dev/evc/backend/golang/internal/kitchen"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no files generated")
	}
	for _, f := range files {
		golden.Check(t, "internal/kitchen/"+f.Path, f.Data)
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
