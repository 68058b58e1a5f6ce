package bench

import (
	"os"
	"strings"
	"testing"

	"github.com/evc-dev/evc/internal/driver"
	"github.com/evc-dev/evc/internal/evolved"
	"github.com/evc-dev/evc/internal/golden"
)

// TestWriters_Fresh checks that internal/writers holds internal/evolved's
// writer schemas, and the Go bindings evc generates for them now.
func TestWriters_Fresh(t *testing.T) {
	t.Chdir("internal/writers")
	for _, w := range []struct{ name, schema, namespace string }{
		{"squarebot-older", evolved.SquarebotOlder, "squarebot"},
		{"squarebot-newer", evolved.SquarebotNewer, "squarebot"},
		{"openedx-older", evolved.OpenedxOlder, "org.openedx.learning"},
		{"openedx-newer", evolved.OpenedxNewer, "org.openedx.learning"},
	} {
		golden.Check(t, w.name+".avsc", []byte(w.schema+"\n"))
		pkg := strings.ReplaceAll(w.name, "-", "")
		_, outs, err := driver.Run([]string{w.name + ".avsc"}, driver.Options{
			GoOut: ".", GoModule: "github.com/evc-dev/evc/bench/internal/writers",
			GoPackages: map[string]string{w.namespace: "github.com/evc-dev/evc/bench/internal/writers/" + pkg},
		})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range outs {
			for _, f := range o.Files {
				golden.Check(t, o.Dir+"/"+f.Path, f.Data)
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d files generated, want 1", w.name, n)
		}
	}
	if _, err := os.Stat("squarebotnewer/squarebot_newer.evc.go"); err != nil {
		t.Error(err)
	}
}
