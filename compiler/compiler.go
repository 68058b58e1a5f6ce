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
	// Cache, when set, keeps parsed and compiled files between
	// compilations, so that a compile after an edit parses and compiles
	// only what changed and what depends on it.
	Cache *Cache
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
//
// With a Cache, the result is the same as without, but the IR of the files
// it reuses is shared with earlier results, and changed in place (linked to
// the types of files compiled again): after a compilation, only its result
// is current, and earlier ones are not to be read any more.
func Compile(paths []string, opts Options) *Result {
	if opts.Cache != nil {
		opts.Cache.compiling.Lock()
		defer opts.Cache.compiling.Unlock()
	}
	res, ok := compile(paths, opts, true)
	if !ok {
		res, _ = compile(paths, opts, false)
		opts.Cache.stats.fellBack = true
	}
	return res
}

// compile is one compilation; with reuse, it may reuse the cache's compiled
// files, and reports false when one of them turned out not to fit.
func compile(paths []string, opts Options, reuse bool) (*Result, bool) {
	c := newCompilation(opts)
	c.reuse = reuse && c.cache != nil
	for _, d := range opts.SkipDirs {
		c.skip[cleanPath(d)] = true
	}
	c.load(paths)
	c.plan()
	c.declare()
	c.resolve()
	if c.fallback {
		return nil, false
	}
	c.checkCopies()
	c.checkGoNames()
	c.build()
	c.res.Diags.Merge(&c.lookupDiags)
	for _, u := range c.order {
		c.res.Diags.Merge(&u.local)
	}
	c.res.Diags.Sort()
	c.keep()
	return c.res, true
}

// into sends what the compilation reports (to c.res.Diags) to u's own list
// until the returned func is called. Calls nest: resolving one file's type
// may resolve another's.
func (c *compilation) into(u *unit) (done func()) {
	prev := c.sink
	if prev == u {
		return func() {}
	}
	c.park()
	c.res.Diags, c.sink = u.local, u
	return func() {
		c.park()
		c.sink = prev
		if prev == nil {
			c.res.Diags = c.own
		} else {
			c.res.Diags = prev.local
		}
	}
}

// park puts the list being added to back where it belongs.
func (c *compilation) park() {
	if c.sink == nil {
		c.own = c.res.Diags
	} else {
		c.sink.local = c.res.Diags
	}
}
