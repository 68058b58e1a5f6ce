// Package backend holds what every backend shares: the File a backend
// produces and the writing of files to an output directory.
package backend

import (
	"errors"
	"sync"

	"github.com/evc-dev/evc/internal/safefile"
)

// File is one generated file: a path relative to the output directory, with
// forward slashes, and its content.
type File struct {
	Path string
	Data []byte
}

// Write writes files under dir, creating directories as needed. Every file
// stays inside dir (a path that would leave it is an error, and no symbolic
// link is written through) and is written atomically. A file whose content
// is already what it would write is left untouched, so timestamps and build
// caches stay valid. Files are compared and written by a few goroutines at
// once, since each costs a round trip to the file system.
func Write(dir string, files []File) error {
	out, err := safefile.OpenDir(dir)
	if err != nil {
		return err
	}
	defer out.Close()
	// Check every path before writing any.
	for _, f := range files {
		if err := out.Check(f.Path); err != nil {
			return err
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
				_, errs[i] = out.Write(files[i].Path, files[i].Data)
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
