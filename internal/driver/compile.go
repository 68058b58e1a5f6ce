// Package driver runs evc's pipelines for the CLI and for tests, so that
// cmd/evc is flags, exit codes and output only. Compile: compile the
// sources, then run the Avro and Go backends, returning the files each would
// write (tests use it to keep checked-in generated files fresh). Compat:
// read the workspace file, compile the new schemas, load the earlier
// versions from their source and check them.
package driver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/backend/golang"
	"github.com/evc-dev/evc/backend/golang/gotypes"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Options say which backends run and where their files go.
type Options struct {
	// AvroOut is the directory for .avsc files, or "" for none.
	AvroOut string
	// GoOut is the directory for Go files, or "" for none.
	GoOut string
	// GoModule is the import path of GoOut; "" means: work it out from the
	// go.mod file above GoOut.
	GoModule string
	// GoPackages maps namespaces to Go import paths.
	GoPackages map[string]string
	// Skip are folders and files under the inputs that are not sources
	// (the workspace file's excludes); the output folders are skipped too.
	Skip []string
	// TopicNameSubjects says that services register schemas with
	// TopicNameStrategy; see compiler.Options.
	TopicNameSubjects bool
}

// Output is a directory and the files a backend writes in it.
type Output struct {
	Dir   string
	Files []backend.File
}

// Run compiles paths and, when there are no errors, runs the backends. The
// returned error is about the backends or the options (a schema error is in
// the result's diagnostics instead); it is a *UsageError when the Go import
// path of the output cannot be worked out. Schema errors come first: the
// import path is looked for only when the schemas compile.
func Run(paths []string, opts Options) (*compiler.Result, []Output, error) {
	prepareHeap(paths)
	skip := append([]string(nil), opts.Skip...)
	for _, d := range []string{opts.AvroOut, opts.GoOut} {
		if d != "" {
			skip = append(skip, d)
		}
	}
	res := compiler.Compile(paths, compiler.Options{SkipDirs: skip, TopicNameSubjects: opts.TopicNameSubjects})
	if res.Diags.HasErrors() {
		return res, nil, nil
	}
	mod := opts.GoModule
	var convert map[string]bool
	if opts.GoOut != "" {
		if mod == "" {
			m, err := ModulePath(opts.GoOut)
			if err != nil {
				return res, nil, &UsageError{Msg: err.Error()}
			}
			mod = m
		}
		checkGoPackages(res, mod, opts.GoModule != "", opts.GoPackages)
		convert = gotypes.Check(existingDir(opts.GoOut), res.Schema, &res.Diags)
		res.Diags.Sort()
		if res.Diags.HasErrors() {
			return res, nil, nil
		}
	}
	var outs []Output
	if opts.AvroOut != "" {
		files, err := avro.Generate(res.Schema)
		if err != nil {
			return res, nil, err
		}
		outs = append(outs, Output{Dir: opts.AvroOut, Files: files})
	}
	if opts.GoOut != "" {
		files, err := golang.Generate(res.Schema, golang.Options{Module: mod, Packages: opts.GoPackages, Convert: convert})
		if err != nil {
			return res, nil, err
		}
		outs = append(outs, Output{Dir: opts.GoOut, Files: files})
	}
	return res, outs, nil
}

// existingDir returns dir or its nearest ancestor that exists: the go
// command loads custom types' packages from there, in --go-out's module,
// before compile has created --go-out.
func existingDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() || filepath.Dir(d) == d {
			return d
		}
	}
}

// checkGoPackages reports, at the option, a go_package that is not the
// import path of --go-out or below it: the Go backend writes every package
// under --go-out, so it could not write that one. fromFlag says whether
// outPath came from --go-module rather than from a go.mod file. A
// namespace that --go-package places elsewhere does not use its
// go_package.
func checkGoPackages(res *compiler.Result, outPath string, fromFlag bool, packages map[string]string) {
	reported := map[*ir.File]bool{}
	for _, n := range res.Schema.Types {
		f := n.File
		if f == nil || f.GoPackage == "" || reported[f] || packages[n.Namespace] != "" {
			continue
		}
		if p := f.GoPackage; p == outPath || strings.HasPrefix(p, outPath+"/") {
			continue
		}
		reported[f] = true
		how := "the go.mod above it"
		if fromFlag {
			how = "--go-module"
		}
		res.Diags.Add(diag.Diagnostic{
			Span:    f.GoPackageSpan,
			Message: fmt.Sprintf("go_package %q is not inside %q, the Go import path of --go-out (from %s)", f.GoPackage, outPath, how),
			Help:    fmt.Sprintf("evc writes Go packages under --go-out: use %q or a path below it, or --go-package %s=PATH", outPath, n.Namespace),
		})
	}
	res.Diags.Sort()
}

// Write writes every output.
func Write(outs []Output) error {
	for _, o := range outs {
		if err := backend.Write(o.Dir, o.Files); err != nil {
			return err
		}
	}
	return nil
}

// Stale returns the paths of the files that writing outs would create or
// change, so that a check can fail when checked-in output is out of date.
func Stale(outs []Output) []string {
	var stale []string
	for _, o := range outs {
		for _, f := range o.Files {
			p := filepath.Join(o.Dir, filepath.FromSlash(f.Path))
			old, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(old, f.Data) {
				stale = append(stale, filepath.ToSlash(p))
			}
		}
	}
	return stale
}

// CheckInputs checks that every input exists and is an .evc or .avsc file
// or a directory holding at least one, so that a mistyped path is a usage
// error rather than a schema error.
func CheckInputs(paths []string) error {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			if os.IsNotExist(err) {
				return fmt.Errorf("%s: no such file or directory", p)
			}
			return fmt.Errorf("evc: %w", err)
		}
		if !st.IsDir() {
			if !compiler.IsSource(p) {
				return fmt.Errorf("%s is not an .evc or .avsc file", p)
			}
			continue
		}
		found := false
		_ = filepath.WalkDir(p, func(q string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && compiler.IsSource(q) {
				found = true
				return filepath.SkipAll
			}
			return nil
		})
		if !found {
			return fmt.Errorf("%s holds no .evc or .avsc file", p)
		}
	}
	return nil
}

// Orphans returns the generated-looking files in the output directories
// (.avsc files, and Go files named *.evc.go) that outs no longer writes: a
// type or file that was removed leaves one behind.
func Orphans(outs []Output) []string {
	var orphans []string
	for _, o := range outs {
		want := map[string]bool{}
		suffix := ".avsc"
		for _, f := range o.Files {
			want[filepath.Join(o.Dir, filepath.FromSlash(f.Path))] = true
			if strings.HasSuffix(f.Path, ".go") {
				suffix = ".evc.go"
			}
		}
		_ = filepath.WalkDir(o.Dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, suffix) && !want[p] {
				orphans = append(orphans, filepath.ToSlash(p))
			}
			return nil
		})
	}
	return orphans
}

// ModulePath works out the Go import path of dir from the go.mod file in dir
// or the nearest directory above it.
func ModulePath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("evc: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modulePathOf(data)
			if mod == "" {
				return "", fmt.Errorf("evc: %s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", fmt.Errorf("evc: %w", err)
			}
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("evc: no go.mod found above %s; give the Go import path of the output with --go-module", dir)
		}
	}
}

func modulePathOf(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
