package compiler

import (
	"bytes"
	"sync"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
)

// ParseCache keeps the parsed .evc files of earlier compilations, by path
// and text, so that a program compiling the same workspace again after an
// edit (the language server, on every keystroke) parses only the files that
// changed. The compiler never modifies a parsed file, so one AST serves
// every compilation. Safe for concurrent use.
type ParseCache struct {
	mu sync.Mutex
	m  map[string]*parsedFile
}

type parsedFile struct {
	src  []byte
	ast  *idl.File
	errs []diag.Diagnostic
}

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache { return &ParseCache{m: map[string]*parsedFile{}} }

// parse returns the parse of src at path: the cached one when the text is
// the same, else a new one, which it keeps.
func (pc *ParseCache) parse(path string, src []byte) (*idl.File, []diag.Diagnostic) {
	if pc == nil {
		return idl.Parse(path, src)
	}
	pc.mu.Lock()
	p := pc.m[path]
	pc.mu.Unlock()
	if p != nil && bytes.Equal(p.src, src) {
		return p.ast, p.errs
	}
	ast, errs := idl.Parse(path, src)
	pc.mu.Lock()
	pc.m[path] = &parsedFile{src: bytes.Clone(src), ast: ast, errs: errs}
	pc.mu.Unlock()
	return ast, errs
}
