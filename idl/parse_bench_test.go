package idl

import (
	"os"
	"testing"

	"github.com/evc-dev/evc/internal/workspace"
)

// BenchmarkParse parses the 50 files of the compile benchmark's workspace
// (500 records of 20 fields), one after the other.
func BenchmarkParse(b *testing.B) {
	dir := b.TempDir()
	files, _, err := workspace.Write(dir, workspace.Default)
	if err != nil {
		b.Fatal(err)
	}
	srcs := make([][]byte, len(files))
	size := 0
	for i, f := range files {
		if srcs[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
		size += len(srcs[i])
	}
	b.Run("handwritten", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for i, src := range srcs {
				if _, errs := Parse(files[i], src); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		}
	})
	// participle is the grammar in ast.go run by participle on the same
	// tokens: what Parse would cost without the hand-written parser.
	b.Run("participle", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for i, src := range srcs {
				toks, err := scanInto(nil, files[i], src, new([]Comment))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := parseGrammar(toks); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
