// Package writerspec says what bench/internal/writers holds: the .avsc copy
// of each of internal/evolved's writer schemas and the Go bindings evc
// generates for it, for TestWriters_Fresh to check and for regen to write.
// It does not import the bindings, so that it builds when they do not.
package writerspec

import (
	"fmt"
	"path"
	"strings"

	"github.com/evc-dev/evc/internal/driver"
	"github.com/evc-dev/evc/internal/evolved"
)

// Writers are the writer schemas, by the name of their .avsc file (without
// the extension), with the namespace that their package binds.
var Writers = []struct{ Name, Schema, Namespace string }{
	{"squarebot-older", evolved.SquarebotOlder, "squarebot"},
	{"squarebot-newer", evolved.SquarebotNewer, "squarebot"},
	{"openedx-older", evolved.OpenedxOlder, "org.openedx.learning"},
	{"openedx-newer", evolved.OpenedxNewer, "org.openedx.learning"},
}

// Avsc returns the path and content of the .avsc copy of a writer's schema.
func Avsc(name, schema string) (path string, data []byte) {
	return name + ".avsc", []byte(schema + "\n")
}

// Generate returns the Go files that evc generates for the .avsc copies in
// the current folder, which must be bench/internal/writers, by their path
// in it. The copies must be current (Avsc).
func Generate() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, w := range Writers {
		avsc, _ := Avsc(w.Name, w.Schema)
		pkg := strings.ReplaceAll(w.Name, "-", "")
		_, outs, err := driver.Run([]string{avsc}, driver.Options{
			GoOut: ".", GoModule: "github.com/evc-dev/evc/bench/internal/writers",
			GoPackages: map[string]string{w.Namespace: "github.com/evc-dev/evc/bench/internal/writers/" + pkg},
		})
		if err != nil {
			return nil, err
		}
		n := 0
		for _, o := range outs {
			for _, f := range o.Files {
				files[path.Join(o.Dir, f.Path)] = f.Data
				n++
			}
		}
		if n != 1 {
			return nil, fmt.Errorf("%s: %d files generated, want 1", w.Name, n)
		}
	}
	return files, nil
}
