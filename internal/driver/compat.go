package driver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/config"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// CompatOptions are the settings of one evc compat run, as its flags give
// them; what they leave unset comes from the workspace file.
type CompatOptions struct {
	// Paths are the new schemas; none means ".".
	Paths []string
	// Mode overrides every type's mode when set.
	Mode string
	// Against is the SOURCE of the earlier versions.
	Against string
	// SubjectSuffix is the registry subject suffix; SubjectSuffixSet says
	// the flag was given (an empty suffix then wins over the config's).
	SubjectSuffix    string
	SubjectSuffixSet bool
	// SubjectStrategy names registry subjects, as Confluent spells the
	// strategies; "" means the config's, else RecordNameStrategy.
	SubjectStrategy string
	// Ack is the file of acknowledged breaks.
	Ack string
	// Config is the workspace file; "" means evc.json when it exists.
	Config string
	// Strict fails on changes Avro allows but that change meaning.
	Strict bool
	// RecordHistory, when set, records every top-level type in that
	// history folder and checks nothing.
	RecordHistory string
	// AllowEmptyBaseline accepts a source of earlier versions that holds
	// no schema at all: these are the first versions. Without it such a
	// source is a usage error, since it more often means a wrong
	// --against or path than a first release.
	AllowEmptyBaseline bool
	// Registry holds the credentials and TLS files given on the command
	// line or in the environment; the config's TLS files fill the gaps.
	Registry source.RegistryAuth
	// RegistryTimeout bounds all registry requests; 0 means none.
	RegistryTimeout time.Duration
}

// The rules of the diagnostics evc compat gives before it checks, so that
// every diagnostic of --format json names its rule, as the report's do.
const (
	// RuleUsage: evc compat was called wrongly (a flag, a source that
	// holds nothing); exit status 2.
	RuleUsage = "USAGE"
	// RuleConfig: the config file is not valid.
	RuleConfig = "CONFIG"
	// RuleSchema: a problem in the new schemas.
	RuleSchema = "SCHEMA"
	// RuleEarlierSchema: a problem in the earlier versions.
	RuleEarlierSchema = "EARLIER_SCHEMA"
	// RuleUnknownMode: a compatibility mode in the IDL that is not one.
	RuleUnknownMode = "UNKNOWN_MODE"
	// RuleUnusedTypeMode: the config file sets a mode for a type that is
	// not a top-level type.
	RuleUnusedTypeMode = "UNUSED_TYPE_MODE"
	// RuleAckFile: the file of acknowledged breaks is not valid.
	RuleAckFile = "ACK_FILE"
	// RuleNoSubject: a top-level type that the subject strategy gives no
	// registry subject, so that nothing in the registry is checked for it.
	RuleNoSubject = "NO_SUBJECT"
)

// tag gives rule to the diagnostics that have none.
func tag(ds []diag.Diagnostic, rule string) []diag.Diagnostic {
	for i := range ds {
		if ds[i].Rule == "" {
			ds[i].Rule = rule
		}
	}
	return ds
}

// Batch is diagnostics to show together, with the texts they point into.
type Batch struct {
	Diags   []diag.Diagnostic
	Sources diag.Sources
}

// HistoryEntry is what --record-history did for one top-level type: wrote
// File, or Skipped it (an unnamed schema has no history).
type HistoryEntry struct {
	Name    string
	File    string
	Skipped bool
}

// CompatResult is what a compat run has to show.
type CompatResult struct {
	// Diags are the problems found along the way, in order.
	Diags []Batch
	// Report is the verdict; nil when the run stopped before checking, or
	// recorded history instead.
	Report *compat.Report
	// Sources are the texts the report points into.
	Sources diag.Sources
	// History is what --record-history did.
	History []HistoryEntry
}

// UsageError is a problem with how evc compat was called.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ErrInvalid is returned when the run stopped on the diagnostics in the
// result: they say what is wrong.
var ErrInvalid = errors.New("evc: invalid input")

func usage(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// LoadConfig reads the workspace file named file, else evc.json in the
// current directory when there is one; nil when there is none. Problems in
// the file come back as a Batch with ErrInvalid.
func LoadConfig(file string) (*config.Config, []byte, *Batch, error) {
	if file == "" {
		if !fileExists(config.Name) {
			return nil, nil, nil, nil
		}
		file = config.Name
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, nil, usage("--config: %v", err)
	}
	file = filepath.ToSlash(file)
	var l diag.List
	cfg := config.Parse(file, src, &l)
	if l.HasErrors() {
		return nil, nil, &Batch{tag(l.Items(), RuleConfig), diag.Sources{file: src}}, ErrInvalid
	}
	return cfg, src, nil, nil
}

func loadConfig(res *CompatResult, opts CompatOptions) (*config.Config, []byte, error) {
	cfg, src, b, err := LoadConfig(opts.Config)
	if b != nil {
		res.Diags = append(res.Diags, *b)
	}
	return cfg, src, err
}

// Compat checks the new schemas against their earlier versions, or records
// them as history. A UsageError or ErrInvalid (after the diagnostics in
// the result) means the run could not check; other errors are about
// reading or writing files.
func Compat(opts CompatOptions) (*CompatResult, error) {
	prepareHeap(opts.Paths)
	res := &CompatResult{}
	var rules compat.ModeRules
	if opts.Mode != "" {
		m, err := compat.ParseMode(opts.Mode)
		if err != nil {
			return res, usage("--mode: %v", strings.TrimPrefix(err.Error(), "evc: "))
		}
		rules.Override = m
	}
	cfg, cfgSrc, err := loadConfig(res, opts)
	if err != nil {
		return res, err
	}
	against, suffix, ackFile := opts.Against, opts.SubjectSuffix, opts.Ack
	strategyName := opts.SubjectStrategy
	auth := opts.Registry
	if cfg != nil {
		c := &cfg.Compat
		rules.Default, rules.Types = c.Mode, c.Types
		if against == "" {
			against = c.Against
		}
		if !opts.SubjectSuffixSet {
			suffix = c.Registry.SubjectSuffix
		}
		if strategyName == "" {
			strategyName = c.Registry.SubjectStrategy
		}
		if ackFile == "" {
			ackFile = c.AckFile
		}
		if auth.CAFile == "" {
			auth.CAFile = c.Registry.CAFile
		}
		if auth.CertFile == "" && auth.KeyFile == "" {
			auth.CertFile, auth.KeyFile = c.Registry.CertFile, c.Registry.KeyFile
		}
	}
	if against == "registry" || against == "registry:" {
		if cfg == nil || cfg.Compat.Registry.URL == "" {
			return res, usage("--against registry needs a URL: registry:URL, or \"url\" under \"registry\" in %s", config.Name)
		}
		against = "registry:" + cfg.Compat.Registry.URL
	}
	strategy := source.RecordNameStrategy
	if strategyName != "" {
		strategy, err = source.ParseStrategy(strategyName)
		if err != nil {
			return res, usage("--subject-strategy: %v", err)
		}
	}
	if opts.RecordHistory == "" && against == "" {
		return res, usage("--against is required (a folder, history:DIR, git:REF or registry:URL), or \"against\" in %s", config.Name)
	}
	paths := opts.Paths
	if len(paths) == 0 && cfg != nil {
		paths = cfg.Roots
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}

	// The new schemas.
	cres := compiler.Compile(paths, compiler.Options{SkipDirs: cfg.Skip()})
	if cres.Diags.Len() > 0 {
		res.Diags = append(res.Diags, Batch{tag(cres.Diags.Items(), RuleSchema), cres.Sources})
	}
	if cres.Diags.HasErrors() || cres.Schema == nil {
		return res, ErrInvalid
	}
	roots := compat.Roots(cres.Schema)

	if opts.RecordHistory != "" {
		res.History, err = recordHistory(opts.RecordHistory, roots)
		return res, err
	}

	// The earlier versions.
	var names, namespaces []string
	transitive := rules.Override.Transitive()
	var modeDiags diag.List
	for _, r := range roots {
		names = append(names, r.Name)
		if r.Named != nil {
			names = append(names, r.Named.Aliases...)
			if !slices.Contains(namespaces, r.Named.Namespace) {
				namespaces = append(namespaces, r.Named.Namespace)
			}
		}
		if rules.Of(r, &modeDiags).Transitive() {
			transitive = true
		}
	}
	if cfg != nil && cfg.Compat.Registry.NamespacesSet {
		namespaces = cfg.Compat.Registry.Namespaces
	}
	if modeDiags.HasErrors() {
		modeDiags.Sort()
		res.Diags = append(res.Diags, Batch{tag(modeDiags.Items(), RuleUnknownMode), cres.Sources})
		return res, ErrInvalid
	}
	ctx := context.Background()
	if opts.RegistryTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.RegistryTimeout)
		defer cancel()
	}
	if strings.HasPrefix(against, "registry:") && strategy != source.RecordNameStrategy {
		if ds := noSubject(roots, cres.Schema.Topics, strategy); len(ds) > 0 {
			res.Diags = append(res.Diags, Batch{ds, cres.Sources})
		}
	}
	var srcDiags diag.List
	old, err := source.Load(against, source.Options{
		Paths: paths, Skip: cfg.Skip(), Names: names, Strategy: strategy, Topics: cres.Schema.Topics, SubjectSuffix: suffix, Transitive: transitive,
		Context: ctx, Registry: auth, Namespaces: namespaces,
	}, &srcDiags)
	if err != nil {
		return res, err
	}
	if srcDiags.Len() > 0 {
		srcDiags.Sort()
		res.Diags = append(res.Diags, Batch{tag(srcDiags.Items(), RuleEarlierSchema), old.Sources})
	}
	if srcDiags.HasErrors() {
		return res, ErrInvalid
	}
	if len(old.Order) == 0 && len(old.All) == 0 && !opts.AllowEmptyBaseline {
		return res, usage("%s; if these are the first versions of the schemas, pass --allow-empty-baseline", emptySource(against, paths, old.Label))
	}

	var subjects []compat.Subject
	var removed []compat.Removed
	if single, ok := singleAvscPair(against, paths, cres.Schema, old); ok {
		// One .avsc against one .avsc: compared directly, whatever their
		// names.
		r := roots[0]
		subjects = []compat.Subject{{Name: r.Name, File: r.File.Path, New: r.Type, Mode: rules.Of(r, nil), Versions: []compat.Version{single}}}
	} else {
		subjects, removed = compat.Match(roots, cres.Schema, old, rules, nil)
	}
	if cfg != nil {
		if ds := unusedTypeModes(&cfg.Compat, cres.Schema, subjects, removed); len(ds) > 0 {
			res.Diags = append(res.Diags, Batch{tag(ds, RuleUnusedTypeMode), diag.Sources{cfg.File: cfgSrc}})
		}
	}

	// Acknowledged breaks.
	if ackFile == "" && fileExists(compat.DefaultAckFile) {
		ackFile = compat.DefaultAckFile
	}
	var acks []*compat.Ack
	if ackFile != "" {
		src, err := os.ReadFile(ackFile)
		if err != nil {
			return res, usage("acknowledged breaks: %v", err)
		}
		var l diag.List
		acks = compat.ParseAcks(filepath.ToSlash(ackFile), src, &l)
		if l.HasErrors() {
			res.Diags = append(res.Diags, Batch{tag(l.Items(), RuleAckFile), diag.Sources{filepath.ToSlash(ackFile): src}})
			return res, ErrInvalid
		}
		cres.Sources[filepath.ToSlash(ackFile)] = src
	}

	// Findings about what the new schemas no longer have may point into
	// the earlier files, when they are files on disk that the new schemas
	// do not also have.
	var earlier diag.Sources
	if !strings.HasPrefix(against, "git:") && !strings.HasPrefix(against, "registry:") {
		earlier = diag.Sources{}
		for f, src := range old.Sources {
			if _, clash := cres.Sources[f]; !clash {
				earlier[f] = src
				cres.Sources[f] = src
			}
		}
	}

	res.Report = compat.Check(subjects, removed, compat.Options{
		Strict: opts.Strict, Acks: acks, AckFile: ackFile, EarlierSources: earlier,
		EarlierLabel: old.Label, EarlierNames: slices.Clone(old.Order), Homes: compat.Homes(cres.Schema),
	})
	res.Sources = cres.Sources
	return res, nil
}

// emptySource says that a source of earlier versions holds no schema.
func emptySource(against string, paths []string, label string) string {
	switch {
	case strings.HasPrefix(against, "git:"):
		return fmt.Sprintf("revision %s has no schema under %s", strings.TrimPrefix(against, "git:"), strings.Join(paths, " "))
	case strings.HasPrefix(against, "registry:"):
		// The label is the URL without its credentials.
		return fmt.Sprintf("the registry %s has none of the subjects of the new types", label)
	}
	return fmt.Sprintf("%s holds no schema to check against", against)
}

// noSubject warns about the top-level types that no topic declaration
// carries: a topic strategy gives them no registry subject, so they are
// checked against nothing.
func noSubject(roots []compat.Root, topics []*ir.Topic, strategy source.Strategy) []diag.Diagnostic {
	on := map[*ir.Named]bool{}
	for _, t := range topics {
		for _, typ := range append([]*ir.Type{t.Key}, t.Values...) {
			if typ != nil && typ.Named != nil {
				on[typ.Named] = true
			}
		}
	}
	var l diag.List
	for _, r := range roots {
		if r.Named == nil || on[r.Named] {
			continue
		}
		d := l.Warnf(r.Named.NameSpan, "%s is on no topic, so %v gives it no registry subject: it is not checked", r.Name, strategy)
		d.Help = "declare the topic that carries it (topic \"name\" { value: " + r.Named.Name + "; }), or use --subject-strategy RecordNameStrategy"
		d.Rule = RuleNoSubject
	}
	return l.Items()
}

// unusedTypeModes warns about per-type modes of the config file that name
// no top-level type, new or removed: a typo, or a nested type, which is
// checked through the types that use it.
func unusedTypeModes(cfg *config.Compat, s *ir.Schema, subjects []compat.Subject, removed []compat.Removed) []diag.Diagnostic {
	known := map[string]bool{}
	for _, sub := range subjects {
		// A nested type checked on its own takes its users' mode, not
		// one of "types".
		if !sub.Nested {
			known[sub.Name] = true
		}
	}
	for _, r := range removed {
		known[r.Name] = true
	}
	var l diag.List
	for _, name := range cfg.TypeNames() {
		if known[name] {
			continue
		}
		msg := fmt.Sprintf("\"types\" sets a mode for %q, which is not a type of the new schemas", name)
		help := "list top-level types by their full names"
		if s.Lookup(name) != nil {
			msg = fmt.Sprintf("\"types\" sets a mode for %q, which is not a top-level type", name)
			help = "a type used by another is checked through it, in that type's mode"
		}
		l.Add(diag.Diagnostic{Severity: diag.Warning, Span: cfg.TypeSpans[name], Message: msg, Help: help})
	}
	l.Sort()
	return l.Items()
}

// singleAvscPair reports whether the source and the only path are each one
// .avsc file, and returns the earlier version to compare with directly.
func singleAvscPair(against string, paths []string, s *ir.Schema, old *compat.Earlier) (compat.Version, bool) {
	if len(paths) != 1 || filepath.Ext(paths[0]) != ".avsc" || filepath.Ext(against) != ".avsc" {
		return compat.Version{}, false
	}
	if !fileExists(against) || !fileExists(paths[0]) || len(old.Order) != 1 {
		return compat.Version{}, false
	}
	var newRoots int
	for _, f := range s.Files {
		if !f.Imported && f.Root != nil {
			newRoots++
		}
	}
	vs := old.Versions[old.Order[0]]
	if newRoots != 1 || len(vs) != 1 {
		return compat.Version{}, false
	}
	return vs[0], true
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// recordHistory appends every named top-level type to the history folder.
func recordHistory(dir string, roots []compat.Root) ([]HistoryEntry, error) {
	var out []HistoryEntry
	for _, r := range roots {
		if r.Named == nil {
			out = append(out, HistoryEntry{Name: r.Name, Skipped: true})
			continue
		}
		data := append(avro.SchemaJSON(r.Named, true), '\n')
		file, err := source.RecordHistory(dir, r.Name, data)
		if err != nil {
			return out, err
		}
		out = append(out, HistoryEntry{Name: r.Name, File: filepath.ToSlash(file)})
	}
	return out, nil
}
