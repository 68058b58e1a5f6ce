package driver

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/backend/asyncapi"
	"github.com/evc-dev/evc/backend/catalog"
	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/config"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Doc formats: a static site, or an AsyncAPI document.
const (
	DocHTML     = "html"
	DocAsyncAPI = "asyncapi"
)

// DocOptions are the settings of one evc doc run.
type DocOptions struct {
	// Paths are the schemas; none means ".".
	Paths []string
	// Out is the site's folder (html) or the document's file (asyncapi;
	// "-" is standard output, a folder gets asyncapi.json).
	Out string
	// Format is DocHTML (the default) or DocAsyncAPI.
	Format string
	// Title heads the site or the document.
	Title string
	// Version is the AsyncAPI document's info.version.
	Version string
	// History are sources of earlier versions, oldest first: history
	// folders, git:REF or folders of schemas (as evc compat --against).
	// None means the workspace file's compat "against", unless it is a
	// registry.
	History []string
	// Mode overrides every type's compatibility mode.
	Mode string
	// Config is the workspace file; "" means evc.json when it exists.
	Config string
}

// DocResult is what Doc did.
type DocResult struct {
	// Diags are the diagnostics to show.
	Diags []Batch
	// Files are the files written (site) or the document (asyncapi), by
	// path relative to Out.
	Files []backend.File
	// SchemaErrors says the schemas themselves have errors (exit 1), as
	// opposed to the options or the earlier versions (exit 2).
	SchemaErrors bool
}

// Doc compiles the schemas and writes their catalog or AsyncAPI document.
// A UsageError or ErrInvalid (after the diagnostics in the result) means
// nothing was written.
func Doc(opts DocOptions) (*DocResult, error) {
	prepareHeap(opts.Paths)
	res := &DocResult{}
	if opts.Format == "" {
		opts.Format = DocHTML
	}
	if opts.Format != DocHTML && opts.Format != DocAsyncAPI {
		return res, usage("--format is html or asyncapi, not %q", opts.Format)
	}
	if opts.Out == "" {
		return res, usage("doc needs -o: the site's folder, or the AsyncAPI document's file")
	}
	if opts.Format == DocAsyncAPI && len(opts.History) > 0 {
		return res, usage("--history applies to the html catalog, not to --format asyncapi")
	}
	rules, cfg, err := docModeRules(res, opts)
	if err != nil {
		return res, err
	}
	paths := opts.Paths
	if len(paths) == 0 && cfg != nil {
		paths = cfg.Roots
	}
	// With no --history, the site shows the versions evc compat checks
	// against: the workspace file's baseline (a history folder, git:REF or
	// a folder; a registry needs credentials a site build should not hold).
	if len(opts.History) == 0 && opts.Format == DocHTML && cfg != nil {
		if a := cfg.Compat.Against; a != "" && !strings.HasPrefix(a, "registry") {
			opts.History = []string{a}
		}
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	skip := cfg.Skip()
	if opts.Format == DocHTML {
		skip = append(skip, opts.Out)
	}
	cres := compiler.Compile(paths, compiler.Options{SkipDirs: skip})
	if cres.Diags.Len() > 0 {
		res.Diags = append(res.Diags, Batch{cres.Diags.Items(), cres.Sources})
	}
	if cres.Diags.HasErrors() || cres.Schema == nil {
		res.SchemaErrors = true
		return res, ErrInvalid
	}

	if opts.Format == DocAsyncAPI {
		data, err := asyncapi.Generate(cres.Schema, asyncapi.Options{Title: opts.Title, Version: opts.Version})
		if err != nil {
			return res, err
		}
		out := opts.Out
		if out == "-" {
			res.Files = []backend.File{{Path: "-", Data: data}}
			return res, nil
		}
		dir, name := filepath.Split(out)
		if st, err := os.Stat(out); err == nil && st.IsDir() {
			dir, name = out, "asyncapi.json"
		}
		if dir == "" {
			dir = "."
		}
		res.Files = []backend.File{{Path: name, Data: data}}
		return res, backend.Write(dir, res.Files)
	}

	modeOf := func(n *ir.Named) string {
		return string(rules.Of(compat.Root{Name: n.FullName(), Type: compat.NamedType(n), Named: n, File: n.File}, nil))
	}
	copts := catalog.Options{Title: opts.Title, Mode: modeOf}
	if len(opts.History) > 0 {
		hist, err := docHistory(res, opts.History, paths)
		if err != nil {
			return res, err
		}
		copts.History = hist
		copts.Verdict = func(name string, older, newer catalog.Version) catalog.Verdict {
			// Every step is judged in the mode the type has now.
			mode := rules.Override
			if n := cres.Schema.Lookup(name); n != nil {
				mode = compat.Mode(modeOf(n))
			} else if newer.Type.Named != nil {
				mode = compat.Mode(modeOf(newer.Type.Named))
			}
			if mode == "" {
				mode = compat.DefaultMode
			}
			return verdict(name, mode, older, newer)
		}
	}
	files, err := catalog.Generate(cres.Schema, copts)
	if err != nil {
		return res, err
	}
	res.Files = files
	return res, backend.Write(opts.Out, files)
}

// docModeRules reads the compatibility modes of the workspace file and the
// --mode flag.
func docModeRules(res *DocResult, opts DocOptions) (compat.ModeRules, *config.Config, error) {
	var rules compat.ModeRules
	if opts.Mode != "" {
		m, err := compat.ParseMode(opts.Mode)
		if err != nil {
			return rules, nil, usage("--mode: %v", strings.TrimPrefix(err.Error(), "evc: "))
		}
		rules.Override = m
	}
	cr := &CompatResult{}
	cfg, _, err := loadConfig(cr, CompatOptions{Config: opts.Config})
	res.Diags = append(res.Diags, cr.Diags...)
	if err != nil {
		return rules, nil, err
	}
	if cfg != nil {
		rules.Default, rules.Types = cfg.Compat.Mode, cfg.Compat.Types
	}
	return rules, cfg, nil
}

// docHistory reads every source of earlier versions and gathers each type's
// versions, oldest source first.
func docHistory(res *DocResult, sources, paths []string) ([]catalog.History, error) {
	byName := map[string]*catalog.History{}
	var order []string
	for _, spec := range sources {
		var l diag.List
		old, err := source.Load(spec, source.Options{Paths: paths, Context: context.Background()}, &l)
		if err != nil {
			return nil, err
		}
		if l.Len() > 0 {
			l.Sort()
			res.Diags = append(res.Diags, Batch{l.Items(), old.Sources})
		}
		if l.HasErrors() {
			return nil, ErrInvalid
		}
		for _, name := range old.Order {
			h := byName[name]
			if h == nil {
				h = &catalog.History{Name: name}
				byName[name] = h
				order = append(order, name)
			}
			for _, v := range old.Versions[name] {
				h.Versions = append(h.Versions, catalog.Version{Label: v.Label, Type: v.Type})
			}
		}
	}
	out := make([]catalog.History, 0, len(order))
	for _, name := range order {
		out = append(out, *byName[name])
	}
	return out, nil
}

// verdict checks one step of a type's history as evc compat would: older
// is the earlier version, newer the later one.
func verdict(name string, mode compat.Mode, older, newer catalog.Version) catalog.Verdict {
	rep := compat.Check([]compat.Subject{{Name: name, New: newer.Type, Mode: mode, Versions: []compat.Version{{Label: older.Label, Type: older.Type}}}}, nil, compat.Options{})
	v := catalog.Verdict{Mode: string(mode), Compatible: !rep.Failed()}
	for _, f := range rep.Findings {
		sev := "warning"
		if f.Severity == diag.Error {
			sev = "error"
		}
		v.Findings = append(v.Findings, catalog.Finding{Severity: sev, Rule: f.Rule, Direction: f.Direction, Path: f.Path, Message: f.Message})
	}
	return v
}
