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
	// SkipDirs are directories (and files) not to read when a directory is
	// given as input: the output directories, whose generated .avsc files
	// would otherwise be read back as sources, and the workspace file's
	// excludes.
	SkipDirs []string
	// TopicNameSubjects says that services register schemas with
	// TopicNameStrategy (subjects "<topic>-key" and "<topic>-value")
	// rather than the runtime's default RecordNameStrategy. A topic with
	// several value types is then warned about: they would share one
	// subject.
	TopicNameSubjects bool
	// Parsed, when set, keeps parsed .evc files between compilations, so
	// that a compile after an edit parses only what changed.
	Parsed *ParseCache
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

// Err returns the diagnostics as an error when any of them is an error.
func (r *Result) Err() error { return r.Diags.Err() }

// Compile loads the .evc and .avsc files named by paths (directories are
// searched recursively for both), with their imports, and compiles them:
// load, then declare every named type, then resolve every type reference,
// then check defaults and the rest. Each phase reports what it finds and goes
// on, so one run reports every error it can.
func Compile(paths []string, opts Options) *Result {
	c := newCompilation(opts)
	for _, d := range opts.SkipDirs {
		c.skip[cleanPath(d)] = true
	}
	c.load(paths)
	c.declare()
	c.resolve()
	c.checkCopies()
	c.checkGoNames()
	c.build()
	c.res.Diags.Sort()
	return c.res
}
