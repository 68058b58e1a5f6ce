package lsp

import (
	"bytes"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/config"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// document is a file the editor has open: its text may differ from disk.
type document struct {
	path    string
	version int
	text    []byte
}

// overlay is the file system the compiler reads: the editor's open
// documents over the operating system's files, by absolute slash path.
type overlay struct {
	docs map[string]*document
	disk *diskCache
}

func (o overlay) Open(name string) (fs.File, error) {
	if d, ok := o.docs[name]; ok {
		return newMemFile(name, d.text), nil
	}
	if o.disk != nil {
		if text, ok := o.disk.read(name); ok {
			return newMemFile(name, text), nil
		}
	}
	return os.Open(filepath.FromSlash(name))
}

// Stat answers without opening the file (fs.StatFS).
func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if d, ok := o.docs[name]; ok {
		return memInfo{path.Base(name), int64(len(d.text))}, nil
	}
	return os.Stat(filepath.FromSlash(name))
}

// diskCache keeps the text of the files read from disk, with the size and
// modification time they had, so that compiling on every keystroke reads
// again only the files that changed on disk: one stat for each of the
// others, instead of an open, a stat, reads and a close.
type diskCache struct {
	mu    sync.Mutex
	files map[string]diskFile
}

type diskFile struct {
	size int64
	mod  time.Time
	text []byte
}

// read returns the text of the regular file name, false when it is not
// one or cannot be read (Open then says why).
func (c *diskCache) read(name string) ([]byte, bool) {
	p := filepath.FromSlash(name)
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	c.mu.Lock()
	f, ok := c.files[name]
	c.mu.Unlock()
	if ok && f.size == st.Size() && f.mod.Equal(st.ModTime()) {
		return f.text, true
	}
	// Stat first, then read: a change in between has a later time, which
	// the next stat sees.
	text, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	// A file changed a moment ago may change again within the clock's
	// granularity, keeping its time (and its size): such a file is read
	// again until its time is safely past, as git does with its index.
	if time.Since(st.ModTime()) > racyWindow {
		c.mu.Lock()
		c.files[name] = diskFile{size: st.Size(), mod: st.ModTime(), text: text}
		c.mu.Unlock()
	}
	return text, true
}

// racyWindow is how old a file's modification time must be for its text
// to be kept.
const racyWindow = 2 * time.Second

func newMemFile(name string, text []byte) *memFile {
	return &memFile{name: path.Base(name), r: bytes.NewReader(text), size: int64(len(text))}
}

// memFile is an open document read as a file.
type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.size}, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

var _ io.Reader = (*memFile)(nil)

// snapshot is one compilation of the workspace and what was worked out
// from it.
type snapshot struct {
	res *compiler.Result
	// diags are the compiler's diagnostics then the compatibility
	// findings, by file.
	diags map[string][]diag.Diagnostic
	index *index
	// texts are the texts the spans point into, by path.
	texts map[string][]byte
	lines map[string]*lines
	utf8  bool
}

// idx returns the snapshot's index, built on the first request after an
// edit: typing publishes diagnostics without paying for it.
func (s *snapshot) idx() *index {
	if s.index == nil {
		s.index = buildIndex(s.res.Schema)
	}
	return s.index
}

func (s *snapshot) linesOf(p string) *lines {
	if l, ok := s.lines[p]; ok {
		return l
	}
	text, ok := s.texts[p]
	if !ok {
		text, _ = os.ReadFile(filepath.FromSlash(p))
	}
	l := newLines(text, s.utf8)
	s.lines[p] = l
	return l
}

// baseline is what the compatibility checks compare against: the earlier
// versions the workspace file names, read once.
type baseline struct {
	earlier *compat.Earlier
	rules   compat.ModeRules
	// label names the source in messages ("git:HEAD").
	label string
	// dir is the baseline's folder (a history folder, or a folder of
	// earlier schemas), which the workspace's compile must not read as
	// sources; "" for git.
	dir string
	// skip are the workspace file's excludes and compile outputs, which are
	// not sources either.
	skip []string
}

// loadBaseline reads the workspace file at root, if any, and the earlier
// versions it names ("compat": {"against": ...}). A registry is not asked:
// the editor has no credentials to give, and a network call per keystroke
// is not wanted. Problems leave the checks off.
func loadBaseline(root string, against string) *baseline {
	b := &baseline{}
	cfgPath := filepath.Join(root, config.Name)
	if src, err := os.ReadFile(cfgPath); err == nil {
		var l diag.List
		if cfg := config.Parse(filepath.ToSlash(cfgPath), src, &l); cfg != nil {
			b.skip = cfg.Skip()
			b.rules.Default, b.rules.Types = cfg.Compat.Mode, cfg.Compat.Types
			if against == "" {
				against = cfg.Compat.Against // config resolves it from the file's folder
			}
		}
	}
	if against == "" || strings.HasPrefix(against, "registry") {
		return b
	}
	var l diag.List
	old, err := source.Load(against, source.Options{Paths: []string{root}, Dir: root, Skip: b.skip}, &l)
	if err != nil || l.HasErrors() || old == nil {
		return b
	}
	b.earlier, b.label = old, against
	if !strings.HasPrefix(against, "git:") {
		b.dir = filepath.ToSlash(strings.TrimPrefix(against, "history:"))
	}
	return b
}

// compatDiags checks the new schema against the baseline and returns the
// findings as diagnostics: warnings in the editor, whatever their severity
// in evc compat, since the edit is not yet a release.
func (b *baseline) compatDiags(s *ir.Schema) []diag.Diagnostic {
	if b == nil || b.earlier == nil || s == nil {
		return nil
	}
	roots := compat.Roots(s)
	subjects, removed := compat.Match(roots, s, b.earlier, b.rules, nil)
	rep := compat.Check(subjects, removed, compat.Options{})
	var out []diag.Diagnostic
	for _, d := range rep.Diags {
		if d.Rule == compat.RuleSummary || d.Rule == compat.RuleUpgradeOrder || !d.Span.IsValid() {
			continue
		}
		if d.Severity == diag.Error {
			d.Severity = diag.Warning
		}
		out = append(out, d)
	}
	return out
}

// uriToPath turns a file:// URI into an absolute slash path.
func uriToPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return path.Clean(u.Path)
}

// pathToURI turns an absolute slash path into a file:// URI.
func pathToURI(p string) string {
	return (&url.URL{Scheme: "file", Path: p}).String()
}
