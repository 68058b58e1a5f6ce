// Command regen rewrites the bindings in bench/internal/writers from
// internal/evolved's schemas, as EVC_UPDATE=1 go test -run TestWriters_Fresh
// does, for when a generator change leaves the old bindings unable to
// compile, and so bench's tests unable to run. From bench/:
//
//	go run ./internal/writers/regen
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/evc-dev/evc/bench/internal/writers/writerspec"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
}

func run() error {
	if err := os.Chdir("internal/writers"); err != nil {
		return err
	}
	for _, w := range writerspec.Writers {
		name, data := writerspec.Avsc(w.Name, w.Schema)
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
	}
	files, err := writerspec.Generate()
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
