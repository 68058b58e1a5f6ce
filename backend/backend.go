// Package backend holds what every backend shares: the File a backend
// produces and the writing of files to an output directory.
package backend

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// File is one generated file: a path relative to the output directory, with
// forward slashes, and its content.
type File struct {
	Path string
	Data []byte
}

// Write writes files under dir, creating directories as needed. A file whose
// content is already what it would write is left untouched, so timestamps
// and build caches stay valid.
func Write(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("evc: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("evc: %w", err)
		}
	}
	return nil
}
