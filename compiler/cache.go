package compiler

import (
	"bytes"
	"sync"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/ir"
)

// Cache keeps what compilations of one workspace can share, so that a
// program compiling it again after an edit (the language server, on every
// keystroke) redoes only what the edit changed:
//
//   - the parse of each .evc file, by path and text; the compiler never
//     modifies a parsed file, so one AST serves every compilation;
//   - each .evc file's compiled state: its IR file and types, what
//     declaring and resolving them reported, and the names they use with
//     what those were found to be.
//
// A file's compiled state is reused when the file parses to the same AST
// and its key is the same: the key stands for what the file can see of the
// files it imports. That is, from each, the declarations its names could
// find (by their last part), those their names could find in that file, and
// so on through the files they import, each without positions and docs,
// which no other file sees. An edit to a type nothing uses, or to a comment,
// compiles one file again. The reused file's references are looked up
// again; when they find the same declarations, new objects of a file
// compiled again are linked in, and when one does not, the compilation
// starts again without reuse. What involves every file (names defined
// twice, topics, cycles among defaults, records that cannot hold a value,
// import cycles, what a lookup that fails says) is worked out again each
// time.
//
// Safe for concurrent use; compilations that share a cache run one at a
// time.
type Cache struct {
	mu     sync.Mutex // guards parsed
	parsed map[string]*parsedFile
	// compiling is held through a compilation: it reads and updates units,
	// and relinks the IR they hold.
	compiling sync.Mutex
	units     map[string]*unitState
	// collided says that two declarations of the last compilation had a
	// name in common (see compilation.collided).
	collided bool
	// stats count, for tests, the last compilation's reused files and
	// those of them linked to files compiled again, and say whether it
	// had to start again without reuse.
	stats struct {
		reused, relinked int
		fellBack         bool
	}
}

type parsedFile struct {
	src  []byte
	ast  *idl.File
	errs []diag.Diagnostic
	// sum is what other files can see of the AST, worked out on first
	// use.
	sum *fileSummary
}

// unitState is the compiled state of one .evc file.
type unitState struct {
	ast     *idl.File
	key     [32]byte
	file    *ir.File
	decls   []*decl
	local   diag.List
	lookups []lookupRec
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{parsed: map[string]*parsedFile{}} }

// parse returns the parse of src at path: the cached one when the text is
// the same, else a new one, which it keeps.
func (pc *Cache) parse(path string, src []byte) (*idl.File, []diag.Diagnostic) {
	if pc == nil {
		return idl.Parse(path, src)
	}
	pc.mu.Lock()
	p := pc.parsed[path]
	pc.mu.Unlock()
	if p != nil && bytes.Equal(p.src, src) {
		return p.ast, p.errs
	}
	ast, errs := idl.Parse(path, src)
	pc.mu.Lock()
	pc.parsed[path] = &parsedFile{src: bytes.Clone(src), ast: ast, errs: errs}
	pc.mu.Unlock()
	return ast, errs
}

// summary returns the summary of ast, the parse of path.
func (pc *Cache) summary(path string, ast *idl.File) *fileSummary {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p := pc.parsed[path]
	if p == nil || p.ast != ast {
		return summarize(ast)
	}
	if p.sum == nil {
		p.sum = summarize(ast)
	}
	return p.sum
}
