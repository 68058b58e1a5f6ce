package compiler

import (
	"io/fs"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Options configure a compilation.
type Options struct {
	// FS is where files are read from; nil means the operating system's
	// file system, with paths used as given. compat reads an earlier git
	// revision through an FS.
	FS fs.FS
}

// Result is what Compile built and found.
type Result struct {
	// Schema is the compiled schema; it is complete only when Diags has no
	// errors, but it always holds what could be built.
	Schema *ir.Schema
	// Diags are every diagnostic of the run, sorted by position.
	Diags diag.List
	// Sources holds the text of every file read, for rendering diagnostics.
	Sources diag.Sources
}

// Compile loads the .evc and .avsc files named by paths (directories are
// searched recursively for both), with their imports, and compiles them.
func Compile(paths []string, opts Options) *Result {
	panic("compiler.Compile: not yet implemented")
}
