package bench

import (
	"testing"

	"github.com/evc-dev/evc/bench/internal/writers/writerspec"
	"github.com/evc-dev/evc/internal/golden"
)

// TestWriters_Fresh checks that internal/writers holds internal/evolved's
// writer schemas, and the Go bindings evc generates for them now. When a
// generator change leaves the old bindings unable to compile, so that this
// test cannot run, go run ./internal/writers/regen rewrites them.
func TestWriters_Fresh(t *testing.T) {
	t.Chdir("internal/writers")
	for _, w := range writerspec.Writers {
		name, data := writerspec.Avsc(w.Name, w.Schema)
		golden.Check(t, name, data)
	}
	files, err := writerspec.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(writerspec.Writers) {
		t.Errorf("%d Go files generated, want one per writer", len(files))
	}
	for name, data := range files {
		golden.Check(t, name, data)
	}
}
