package compiler

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/ir"
)

// unit is one source file in a compilation.
type unit struct {
	path     string // cleaned, forward slashes
	src      []byte
	ast      *idl.File // .evc only; nil for .avsc or a file that did not parse
	avsc     bool
	file     *ir.File
	imported bool
	// walked is set for a file found by searching a directory given as
	// input (not named itself, nor imported): only such a file may be
	// recognised as evc's own output and left out.
	walked  bool
	imports []*importEdge
	// diags collects what this unit reports while it is processed alone
	// (parsing runs concurrently).
	diags diag.List

	// decls are the types the unit declares, in order.
	decls []*decl
	// local collects what declaring and resolving the unit's own types
	// report: it depends on the unit and what it imports, and is kept with
	// them for later compilations.
	local diag.List
	// lookups are the names the unit's types use, with what they were
	// found to be.
	lookups []lookupRec
	// key stands for everything other files can see of the unit (see
	// Cache); reused says its compiled state comes from an earlier
	// compilation, with prev, the lookups that state was built from.
	key    [32]byte
	reused bool
	prev   []lookupRec
}

// importEdge is one import statement.
type importEdge struct {
	target *unit
	span   diag.Span
}

// compilation is the state of one Compile call.
type compilation struct {
	fsys    fs.FS
	res     *Result
	units   map[string]*unit
	order   []*unit
	scope   *scope
	decls   []*decl
	pending []pendingDefault
	topics  map[string]*ir.Topic
	skip    map[string]bool
	cache   *Cache
	// reuse says that the cache's compiled files may be reused; fallback
	// is set when one turns out not to be, and the compilation starts
	// again without.
	reuse, fallback bool
	// collided says that two declarations have a name in common (an
	// error, or an .avsc type repeated): then which one a name finds
	// depends on the order of all files, not only on those it sees.
	collided bool
	// cycle says that the imports go round in a cycle: nothing is kept.
	cycle bool
	// recording says that lookups are noted in their unit (while the
	// units' own types are resolved; not topics); lookupDiags are what
	// lookups report, worked out again every time.
	recording   bool
	lookupDiags diag.List
	// sink is the unit whose list c.res.Diags is (see into), nil for the
	// compilation's own, which is then kept in own.
	sink *unit
	own  diag.List
	// repeats are .avsc definitions identical to an earlier one; the schema
	// lists only the first.
	repeats map[*ir.Named]bool
	// copies are .avsc definitions of .evc types, with the .evc one first:
	// repeats when they agree (checkCopies).
	copies [][2]*decl
	// topicSubjects: warn about topics whose value types would share a
	// subject (Options.TopicNameSubjects).
	topicSubjects bool
}

func newCompilation(opts Options) *compilation {
	fsys := opts.FS
	if fsys == nil {
		fsys = osFS{}
	}
	return &compilation{
		fsys:    fsys,
		res:     &Result{Schema: &ir.Schema{}, Sources: diag.Sources{}},
		units:   map[string]*unit{},
		topics:  map[string]*ir.Topic{},
		skip:    map[string]bool{},
		cache:   opts.Cache,
		repeats: map[*ir.Named]bool{},

		recording: true,

		topicSubjects: opts.TopicNameSubjects,
	}
}

// osFS reads the operating system's files with paths as given (absolute, or
// relative to the working directory, ".." allowed), unlike os.DirFS.
type osFS struct{}

func (osFS) Open(name string) (fs.File, error) { return os.Open(filepath.FromSlash(name)) }

// cleanPath normalizes a path as diagnostics and the IR show it.
func cleanPath(p string) string { return path.Clean(filepath.ToSlash(p)) }

// IsSource reports whether a file name is an evc or Avro schema source: what
// Compile reads from a directory.
func IsSource(name string) bool {
	return strings.HasSuffix(name, ".evc") || strings.HasSuffix(name, ".avsc")
}

// load expands the inputs, reads and parses them and everything they import.
func (c *compilation) load(paths []string) {
	var inputs []string
	walked, named := map[string]bool{}, map[string]bool{}
	for _, p := range paths {
		p = cleanPath(p)
		st, err := fs.Stat(c.fsys, p)
		if err != nil {
			c.res.Diags.Errorf(diag.At(diag.Pos{File: p}), "cannot read %s: %s", p, pathErr(err))
			continue
		}
		if !st.IsDir() {
			inputs = append(inputs, p)
			named[p] = true
			continue
		}
		var found []string
		err = fs.WalkDir(c.fsys, p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && q != p && (strings.HasPrefix(d.Name(), ".") || c.skip[cleanPath(q)]) {
				return fs.SkipDir
			}
			if !d.IsDir() && IsSource(d.Name()) && !c.skip[cleanPath(q)] {
				found = append(found, cleanPath(q))
				walked[cleanPath(q)] = true
			}
			return nil
		})
		if err != nil {
			c.res.Diags.Errorf(diag.At(diag.Pos{File: p}), "cannot read %s: %s", p, pathErr(err))
		}
		sort.Strings(found)
		inputs = append(inputs, found...)
	}
	var batch []*unit
	for _, p := range inputs {
		if c.units[p] == nil {
			u := &unit{path: p, walked: walked[p] && !named[p]}
			c.units[p] = u
			c.order = append(c.order, u)
			batch = append(batch, u)
		}
	}
	// Parse level by level: the inputs, then what they import, and so on.
	for len(batch) > 0 {
		c.parseAll(batch)
		var next []*unit
		for _, u := range batch {
			for _, e := range c.importsOf(u) {
				if c.units[e.path] == nil {
					t := &unit{path: e.path, imported: true}
					c.units[e.path] = t
					c.order = append(c.order, t)
					next = append(next, t)
				}
				u.imports = append(u.imports, &importEdge{target: c.units[e.path], span: e.span})
			}
		}
		batch = next
	}
	for _, u := range c.order {
		c.res.Diags.Merge(&u.diags)
	}
	c.checkCycles()
}

// parseAll reads and parses a batch of units concurrently.
func (c *compilation) parseAll(batch []*unit) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, u := range batch {
		wg.Add(1)
		sem <- struct{}{}
		go func(u *unit) {
			defer func() { <-sem; wg.Done() }()
			c.parseUnit(u)
		}(u)
	}
	wg.Wait()
	for _, u := range batch {
		if u.src != nil {
			c.res.Sources[u.path] = u.src
		}
	}
}

func (c *compilation) parseUnit(u *unit) {
	src, err := fs.ReadFile(c.fsys, u.path)
	if err != nil {
		// A missing import was reported at the import statement and never
		// gets here; an import that exists but cannot be read (permissions)
		// does.
		u.diags.Errorf(diag.At(diag.Pos{File: u.path}), "cannot read %s: %s", u.path, pathErr(err))
		return
	}
	// A byte order mark, as some editors write, is not part of the text.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	u.src = src
	switch {
	case strings.HasSuffix(u.path, ".avsc"):
		u.avsc = true
		// Named types the .avsc references from elsewhere are not supported:
		// an .avsc file must be self-contained, as the Avro tools expect.
		u.file = avsc.Read(u.path, src, &u.diags, nil)
		if u.file != nil {
			u.file.Imported = u.imported
		}
	case strings.HasSuffix(u.path, ".evc"):
		f, errs := c.cache.parse(u.path, src)
		for _, d := range errs {
			u.diags.Add(d)
		}
		u.ast = f
	default:
		u.diags.Errorf(diag.At(diag.Pos{File: u.path}), "%s is not an .evc or .avsc file", u.path)
	}
}

type importRef struct {
	path string
	span diag.Span
}

// importsOf returns the files u imports, resolved relative to u, and reports
// import statements that are malformed or name missing files.
func (c *compilation) importsOf(u *unit) []importRef {
	if u.ast == nil {
		return nil
	}
	var out []importRef
	seen := map[string]bool{}
	for _, d := range u.ast.Decls {
		if d.Import == nil {
			continue
		}
		sp := idl.Span(u.path, d.Import.PathPos, d.Import.PathEnd)
		rel, err := idl.Unquote(d.Import.Path)
		if err != nil {
			u.diags.Errorf(sp, "%v", err)
			continue
		}
		if !IsSource(rel) {
			u.diags.Errorf(sp, "import %q is not an .evc or .avsc file", rel)
			continue
		}
		target := cleanPath(path.Join(path.Dir(u.path), rel))
		if path.IsAbs(rel) {
			target = cleanPath(rel)
		}
		if target == u.path {
			u.diags.Errorf(sp, "file imports itself")
			continue
		}
		if seen[target] {
			u.diags.Errorf(sp, "%q is imported twice", rel)
			continue
		}
		seen[target] = true
		st, err := fs.Stat(c.fsys, target)
		if err != nil {
			d := u.diags.Errorf(sp, "import %q: cannot read %s: %s", rel, target, pathErr(err))
			d.Help = "import paths are relative to the importing file"
			continue
		}
		if st.IsDir() {
			u.diags.Errorf(sp, "import %q: %s is a directory; import a file", rel, target)
			continue
		}
		out = append(out, importRef{path: target, span: sp})
	}
	return out
}

// checkCycles reports every import cycle once, at the import that closes it,
// and notes in c.cycle that there is one.
func (c *compilation) checkCycles() {
	const (
		white = iota
		grey
		black
	)
	color := map[*unit]int{}
	var stack []*unit
	var visit func(u *unit)
	visit = func(u *unit) {
		color[u] = grey
		stack = append(stack, u)
		for _, e := range u.imports {
			switch color[e.target] {
			case white:
				visit(e.target)
			case grey:
				var names []string
				start := 0
				for i, s := range stack {
					if s == e.target {
						start = i
					}
				}
				for _, s := range stack[start:] {
					names = append(names, s.path)
				}
				names = append(names, e.target.path)
				c.res.Diags.Errorf(e.span, "import cycle: %s", strings.Join(names, " -> "))
				c.cycle = true
			}
		}
		stack = stack[:len(stack)-1]
		color[u] = black
	}
	for _, u := range c.order {
		if color[u] == white {
			visit(u)
		}
	}
}

// pathErr shortens an fs error to its cause.
func pathErr(err error) string {
	var pe *fs.PathError
	if ok := asPathErr(err, &pe); ok {
		if os.IsNotExist(pe.Err) {
			return "no such file or directory"
		}
		return pe.Err.Error()
	}
	return fmt.Sprint(err)
}

func asPathErr(err error, target **fs.PathError) bool {
	pe, ok := err.(*fs.PathError)
	if ok {
		*target = pe
	}
	return ok
}
