package interop_test

import (
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/driver"
	"github.com/evc-dev/evc/internal/golden"
)

// TestGeneratedFilesAreFresh regenerates the Go bindings of the two
// versions of EveryType (testdata/v1, testdata/v2) into gen/ and fails when
// the checked-in files differ (EVC_UPDATE=1 rewrites them).
func TestGeneratedFilesAreFresh(t *testing.T) {
	// From the repository's root, so that the "source:" lines read as evc
	// compile writes them there.
	t.Chdir("..")
	for _, v := range []string{"v1", "v2"} {
		t.Run(v, func(t *testing.T) {
			res, outs, err := driver.Run([]string{"interop/testdata/" + v}, driver.Options{
				GoOut: "interop/gen", GoModule: "github.com/evc-dev/evc/interop/gen",
			})
			if res.Diags.Len() > 0 {
				var b strings.Builder
				_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
				t.Fatalf("the schema has diagnostics:\n%s", b.String())
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
			if n != 1 {
				t.Errorf("%d files generated, want 1", n)
			}
		})
	}
}
