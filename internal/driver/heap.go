package driver

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/internal/hugeheap"
)

// hugeInput is how many bytes of source make a pipeline prepare its heap
// for huge pages: a compile allocates some 50 times its input, and below
// about this much the preparation costs more than the page faults it saves.
const hugeInput = 64 << 10

// prepareHeap asks for huge pages (hugeheap.Reserve) before a compile,
// compat or doc run over more than hugeInput bytes of source.
func prepareHeap(paths []string) {
	if inputOver(paths, hugeInput) {
		hugeheap.Reserve()
	}
}

// inputOver reports whether the .evc and .avsc files under paths hold more
// than limit bytes; it stops looking as soon as they do. Like the compiler,
// it does not look into hidden folders (.git).
func inputOver(paths []string, limit int64) bool {
	var total int64
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if err != nil || d.IsDir() || !compiler.IsSource(path) {
				return nil
			}
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
			if total > limit {
				return filepath.SkipAll
			}
			return nil
		})
		if total > limit {
			return true
		}
	}
	return false
}
