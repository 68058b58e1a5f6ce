package compat

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
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
	"github.com/twmb/franz-go/pkg/sr"
)

// SourceOptions configure LoadSource.
type SourceOptions struct {
	// Paths are the new schemas' paths; git:REF reads the same paths at REF.
	Paths []string
	// Dir is the directory git runs in; "" is the current directory.
	Dir string
	// Names are the full names (and aliases) of the new top-level types: a
	// registry is asked for exactly these subjects.
	Names []string
	// SubjectSuffix is appended to a full name to make a registry subject
	// (RecordNameStrategy, with an optional suffix such as "-value").
	SubjectSuffix string
	// Transitive asks a registry for every version rather than the latest.
	Transitive bool
	// Context bounds registry requests; nil means context.Background().
	Context context.Context
	// RegistryOpts are extra options for the registry client (auth, TLS).
	RegistryOpts []sr.ClientOpt
}

// ErrSource is wrapped by the errors LoadSource returns for a source it
// cannot read (as opposed to diagnostics in the schemas it reads).
var ErrSource = errors.New("evc: cannot read the earlier versions")

// LoadSource reads the earlier versions named by spec:
//
//   - git:REF: the .evc and .avsc files under the git working directory as
//     they were at REF, compiled from the same Paths;
//   - registry:URL: the subjects of the new types in a Confluent-compatible
//     Schema Registry (RecordNameStrategy plus SubjectSuffix);
//   - history:DIR, or a folder laid out as DIR/<full.name>/v<N>.avsc: every
//     recorded version of each type;
//   - any other folder or file of .evc or .avsc: one version of each type.
//
// Problems in the schemas read are reported to l; an error means the source
// could not be read at all.
func LoadSource(spec string, opts SourceOptions, l *diag.List) (*Earlier, error) {
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
	e := NewEarlier(spec)
	e.Sources = res.Sources
	if res.Schema != nil {
		e.AddSchema(res.Schema, spec)
	}
	return e, nil
}

var versionFile = regexp.MustCompile(`^v([0-9]+)\.avsc$`)

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
		if len(parts) != 2 || !versionFile.MatchString(parts[1]) {
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
func LoadHistory(dir string, l *diag.List) (*Earlier, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	e := NewEarlier(dir)
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
			m := versionFile.FindStringSubmatch(f.Name())
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
			e.Add(name, Version{Label: "v" + strconv.Itoa(v.n), Type: f.Root})
			e.Modes[name] = modeOfNamed(f.Root.Named, f)
			if v == vs[len(vs)-1] {
				for _, n := range f.Types {
					e.All[n.FullName()] = n
				}
			}
		}
	}
	return e, nil
}

func modeOfNamed(n *ir.Named, f *ir.File) Mode {
	return ModeOf(Root{Named: n, File: f}, "", nil)
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
		if m := versionFile.FindStringSubmatch(f.Name()); m != nil {
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
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", fmt.Errorf("evc: %w", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return "", fmt.Errorf("evc: %w", err)
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
func loadGit(ref string, opts SourceOptions, l *diag.List) (*Earlier, error) {
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
	mfs := fstest.MapFS{}
	for _, name := range strings.Split(string(out), "\x00") {
		if ext := path.Ext(name); name == "" || (ext != ".evc" && ext != ".avsc") {
			continue
		}
		data, err := git(dir, "cat-file", "blob", ref+":./"+name)
		if err != nil {
			return nil, err
		}
		mfs[name] = &fstest.MapFile{Data: data, Mode: 0o644}
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
	e := NewEarlier(ref)
	if len(existing) == 0 {
		return e, nil
	}
	res := compiler.Compile(existing, compiler.Options{FS: mfs})
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

// loadRegistry reads the subjects of the new types from a Schema Registry.
func loadRegistry(url string, opts SourceOptions, l *diag.List) (*Earlier, error) {
	if url == "" {
		return nil, fmt.Errorf("%w: registry: needs a URL, as in registry:http://localhost:8081", ErrSource)
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cl, err := sr.NewClient(append([]sr.ClientOpt{sr.URLs(url)}, opts.RegistryOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("%w: registry: %w", ErrSource, err)
	}
	e := NewEarlier(url)
	seen := map[string]bool{}
	for _, name := range opts.Names {
		if seen[name] {
			continue
		}
		seen[name] = true
		subject := name + opts.SubjectSuffix
		versions, err := cl.SubjectVersions(ctx, subject)
		if err != nil {
			var re *sr.ResponseError
			if errors.As(err, &re) && re.StatusCode == 404 {
				continue // a new type: nothing registered yet
			}
			return nil, fmt.Errorf("%w: registry %s: subject %q: %w", ErrSource, url, subject, err)
		}
		sort.Ints(versions)
		if !opts.Transitive && len(versions) > 1 {
			versions = versions[len(versions)-1:]
		}
		for _, v := range versions {
			ss, err := cl.SchemaByVersion(ctx, subject, v)
			if err != nil {
				return nil, fmt.Errorf("%w: registry %s: subject %q version %d: %w", ErrSource, url, subject, v, err)
			}
			if ss.Type != sr.TypeAvro {
				return nil, fmt.Errorf("%w: registry %s: subject %q version %d is %s, not Avro", ErrSource, url, subject, v, ss.Type)
			}
			file := "registry:" + subject + "/versions/" + strconv.Itoa(v)
			lookup, err := registryRefs(ctx, cl, ss.References, l, 0)
			if err != nil {
				return nil, fmt.Errorf("%w: registry %s: subject %q version %d: %w", ErrSource, url, subject, v, err)
			}
			f := avsc.Read(file, []byte(ss.Schema.Schema), l, lookup)
			if f == nil || f.Root == nil {
				continue
			}
			e.Add(name, Version{Label: "registry version " + strconv.Itoa(v), Type: f.Root})
			for _, n := range f.Types {
				e.All[n.FullName()] = n
			}
		}
	}
	return e, nil
}

// registryRefs reads the schemas a registered schema references and returns
// a lookup over their named types.
func registryRefs(ctx context.Context, cl *sr.Client, refs []sr.SchemaReference, l *diag.List, depth int) (func(string) *ir.Named, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	if depth > 32 {
		return nil, errors.New("schema references nest too deep")
	}
	types := map[string]*ir.Named{}
	for _, ref := range refs {
		ss, err := cl.SchemaByVersion(ctx, ref.Subject, ref.Version)
		if err != nil {
			return nil, fmt.Errorf("reference %q: %w", ref.Name, err)
		}
		inner, err := registryRefs(ctx, cl, ss.References, l, depth+1)
		if err != nil {
			return nil, err
		}
		lookup := func(n string) *ir.Named {
			if t := types[n]; t != nil {
				return t
			}
			if inner != nil {
				return inner(n)
			}
			return nil
		}
		f := avsc.Read("registry:"+ref.Subject+"/versions/"+strconv.Itoa(ss.Version), []byte(ss.Schema.Schema), l, lookup)
		if f != nil {
			for _, n := range f.Types {
				types[n.FullName()] = n
			}
		}
	}
	return func(n string) *ir.Named { return types[n] }, nil
}
