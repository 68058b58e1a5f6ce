package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/lazyregexp"
	"github.com/evc-dev/evc/internal/safefile"
	"github.com/evc-dev/evc/ir"
	"github.com/twmb/franz-go/pkg/sr"
)

// Options configure Load.
type Options struct {
	// Paths are the new schemas' paths; git:REF reads the same paths at REF.
	Paths []string
	// Skip are folders and files under Paths that are not sources (the
	// workspace file's excludes and compile outputs); git:REF skips them too.
	Skip []string
	// Dir is the directory git runs in; "" is the current directory.
	Dir string
	// Names are the full names (and aliases) of the new top-level types: a
	// registry is asked for exactly these subjects.
	Names []string
	// Strategy names the registry subjects of the new types.
	Strategy Strategy
	// Topics are the new schemas' topic declarations, which name the
	// subjects of the topic strategies.
	Topics []*ir.Topic
	// SubjectSuffix is appended to every registry subject, such as "-value"
	// after a full name, or ".test".
	SubjectSuffix string
	// Transitive asks a registry for every version rather than the latest.
	Transitive bool
	// Context bounds registry requests; nil means context.Background().
	Context context.Context
	// Registry holds the credentials and TLS files for registry:URL.
	Registry RegistryAuth
	// RegistryOpts are extra options for the registry client.
	RegistryOpts []sr.ClientOpt
	// Namespaces are the namespaces of the new top-level types. A registry
	// source lists the subjects of these namespaces too, to report the
	// types that are gone; nil reports none.
	Namespaces []string
}

// ErrSource is wrapped by the errors Load returns for a source it
// cannot read (as opposed to diagnostics in the schemas it reads).
var ErrSource = errors.New("evc: cannot read the earlier versions")

// Load reads the earlier versions named by spec:
//
//   - git:REF: the .evc and .avsc files under the git working directory as
//     they were at REF, compiled from the same Paths;
//   - registry:URL: the subjects of the new types in a Confluent-compatible
//     Schema Registry (named by Strategy, plus SubjectSuffix), and the
//     schemas they reference;
//   - history:DIR, or a folder laid out as DIR/<full.name>/v<N>.avsc: every
//     recorded version of each type;
//   - any other folder or file of .evc or .avsc: one version of each type.
//
// Problems in the schemas read are reported to l; an error means the source
// could not be read at all.
func Load(spec string, opts Options, l *diag.List) (*compat.Earlier, error) {
	switch {
	case strings.HasPrefix(spec, "git:"):
		return loadGit(strings.TrimPrefix(spec, "git:"), opts, l)
	case strings.HasPrefix(spec, "registry:"):
		return loadRegistry(strings.TrimPrefix(spec, "registry:"), opts, l)
	case strings.HasPrefix(spec, "history:"):
		return LoadHistory(strings.TrimPrefix(spec, "history:"), l)
	}
	st, err := os.Stat(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	if st.IsDir() && IsHistory(spec) {
		return LoadHistory(spec, l)
	}
	res := compiler.Compile([]string{spec}, compiler.Options{})
	l.Merge(&res.Diags)
	e := compat.NewEarlier(spec)
	e.Sources = res.Sources
	if res.Schema != nil {
		e.AddSchema(res.Schema, spec)
	}
	return e, nil
}

var versionFile = lazyregexp.New(`^v([0-9]+)\.avsc$`)

// IsHistory reports whether dir is laid out as a history folder: every
// .evc or .avsc file in it is <full.name>/v<N>.avsc, and there is one.
func IsHistory(dir string) bool {
	found := false
	bad := false
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		ext := filepath.Ext(p)
		if ext != ".avsc" && ext != ".evc" {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 2 || !versionFile().MatchString(parts[1]) {
			bad = true
			return filepath.SkipAll
		}
		found = true
		return nil
	})
	return found && !bad
}

// LoadHistory reads a history folder: dir/<full.name>/v<N>.avsc, each file
// one self-contained version of the type, numbered from 1. Versions are
// labelled "v<N>".
func LoadHistory(dir string, l *diag.List) (*compat.Earlier, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	e := compat.NewEarlier(dir)
	for _, ent := range ents {
		if !ent.IsDir() {
			continue
		}
		name := ent.Name()
		files, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSource, err)
		}
		type ver struct {
			n    int
			file string
		}
		var vs []ver
		for _, f := range files {
			m := versionFile().FindStringSubmatch(f.Name())
			if m == nil || f.IsDir() {
				continue
			}
			n, err := strconv.Atoi(m[1])
			if err != nil {
				continue
			}
			vs = append(vs, ver{n, f.Name()})
		}
		sort.Slice(vs, func(i, j int) bool { return vs[i].n < vs[j].n })
		for _, v := range vs {
			p := filepath.ToSlash(filepath.Join(dir, name, v.file))
			src, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrSource, err)
			}
			e.Sources[p] = src
			f := avsc.Read(p, src, l, nil)
			if f == nil || f.Root == nil {
				continue
			}
			if f.Root.Named != nil && f.Root.Named.FullName() != name {
				l.Errorf(diag.Span{Start: diag.Pos{File: p}}, "history file holds %q, but its folder says %q", f.Root.Named.FullName(), name).Help = "the layout is <dir>/<full.name>/v<N>.avsc"
				continue
			}
			e.Add(name, compat.Version{Label: "v" + strconv.Itoa(v.n), Type: f.Root})
			e.Roots[name] = compat.Root{Name: name, Type: f.Root, Named: f.Root.Named, File: f}
			if v == vs[len(vs)-1] {
				for _, n := range f.Types {
					e.All[n.FullName()] = n
				}
			}
		}
	}
	return e, nil
}

// NextHistoryVersion returns the path RecordHistory would write for the
// type called name, and whether its latest recorded version already has
// the content data (then there is nothing to write).
func NextHistoryVersion(dir, name string, data []byte) (file string, same bool, err error) {
	sub := filepath.Join(dir, name)
	files, err := os.ReadDir(sub)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("evc: %w", err)
	}
	latest, latestFile := 0, ""
	for _, f := range files {
		if m := versionFile().FindStringSubmatch(f.Name()); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > latest {
				latest, latestFile = n, f.Name()
			}
		}
	}
	if latestFile != "" {
		old, err := os.ReadFile(filepath.Join(sub, latestFile))
		if err != nil {
			return "", false, fmt.Errorf("evc: %w", err)
		}
		if bytes.Equal(bytes.TrimSpace(old), bytes.TrimSpace(data)) {
			return filepath.Join(sub, latestFile), true, nil
		}
	}
	return filepath.Join(sub, "v"+strconv.Itoa(latest+1)+".avsc"), false, nil
}

// RecordHistory appends data as the next version of the type called name in
// the history folder dir, unless the latest version already is data. It
// returns the file it wrote, or "" when there was nothing to write.
func RecordHistory(dir, name string, data []byte) (string, error) {
	file, same, err := NextHistoryVersion(dir, name, data)
	if err != nil || same {
		return "", err
	}
	out, err := safefile.OpenDir(dir)
	if err != nil {
		return "", err
	}
	defer out.Close()
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		return "", fmt.Errorf("evc: %w", err)
	}
	if _, err := out.Write(filepath.ToSlash(rel), data); err != nil {
		return "", err
	}
	return file, nil
}

// git runs git in dir and returns its standard output.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%w: git %s: %s", ErrSource, strings.Join(args, " "), msg)
	}
	return out.Bytes(), nil
}

// loadGit reads every .evc and .avsc file under the working directory as
// it was at ref into memory and compiles the same paths from there.
func loadGit(ref string, opts Options, l *diag.List) (*compat.Earlier, error) {
	if ref == "" {
		return nil, fmt.Errorf("%w: git: needs a revision, as in git:origin/main", ErrSource)
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("%w: git: unknown revision %q", ErrSource, ref)
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var rel []string
	for _, p := range paths {
		p = filepath.ToSlash(filepath.Clean(p))
		if filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
			return nil, fmt.Errorf("%w: git: path %q must be inside the working directory", ErrSource, p)
		}
		rel = append(rel, p)
	}
	out, err := git(dir, "ls-tree", "-r", "-z", "--name-only", ref, "--", ".")
	if err != nil {
		return nil, err
	}
	mfs := memFS{}
	for _, name := range strings.Split(string(out), "\x00") {
		if ext := path.Ext(name); name == "" || (ext != ".evc" && ext != ".avsc") {
			continue
		}
		data, err := git(dir, "cat-file", "blob", ref+":./"+name)
		if err != nil {
			return nil, err
		}
		mfs[name] = data
	}
	// The given paths that did not exist at ref are new: leave them out.
	var existing []string
	for _, p := range rel {
		if p == "." {
			existing = append(existing, p)
			continue
		}
		if _, err := fs.Stat(mfs, p); err == nil {
			existing = append(existing, p)
		}
	}
	e := compat.NewEarlier(ref)
	if len(existing) == 0 {
		return e, nil
	}
	res := compiler.Compile(existing, compiler.Options{FS: mfs, SkipDirs: opts.Skip})
	for _, d := range res.Diags.Items() {
		d.Message = "at " + ref + ": " + d.Message
		l.Add(d)
	}
	// The texts at ref are not the working tree's: keep them apart so that
	// diagnostics on the new files show the new lines.
	e.Sources = diag.Sources{}
	if res.Schema != nil {
		e.AddSchema(res.Schema, ref)
	}
	return e, nil
}
