// Package backend holds what every backend shares: the File a backend
// produces and the writing of files to an output directory.
package backend

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// File is one generated file: a path relative to the output directory, with
// forward slashes, and its content.
type File struct {
	Path string
	Data []byte
}

// Write writes files under dir, creating directories as needed. A file whose
// content is already what it would write is left untouched, so timestamps
// and build caches stay valid. Files are compared and written by a few
// goroutines at once, since each costs a round trip to the file system.
func Write(dir string, files []File) error {
	dirs := map[string]bool{}
	for _, f := range files {
		d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if !dirs[d] {
			dirs[d] = true
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("evc: %w", err)
			}
		}
	}
	const workers = 8
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = writeFile(filepath.Join(dir, filepath.FromSlash(files[i].Path)), files[i].Data)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// writeFile writes data to p unless p already holds exactly data.
func writeFile(p string, data []byte) error {
	if st, err := os.Stat(p); err == nil && st.Size() == int64(len(data)) {
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			return nil
		}
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("evc: %w", err)
	}
	return nil
}
