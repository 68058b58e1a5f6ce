package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

func init() { register(newCompatCmd) }

// compatFlags are the flags of evc compat.
type compatFlags struct {
	mode          string
	against       string
	format        string
	strict        bool
	ack           string
	subjectSuffix string
	recordHistory string
	config        string

	registryUser     string
	registryPassword string
	registryToken    string
	registryCA       string
	registryCert     string
	registryKey      string
	registryTimeout  time.Duration

	set func(name string) bool // whether a flag was given
}

// Environment variables for registry credentials, so that they stay out of
// the command line (and of process listings and CI logs).
const (
	envRegistryUser     = "EVC_REGISTRY_USER"
	envRegistryPassword = "EVC_REGISTRY_PASSWORD"
	envRegistryToken    = "EVC_REGISTRY_TOKEN"
)

func newCompatCmd(a *app) *cobra.Command {
	var fl compatFlags
	cmd := &cobra.Command{
		Use:   "compat [flags] --against SOURCE [PATH...]",
		Short: "Check that new schemas are compatible with earlier versions",
		Long: `compat checks the schemas in PATH (.evc or .avsc files or folders; default .)
against their earlier versions in SOURCE, by Apache Avro's schema resolution
rules (as Avro Java's SchemaCompatibility, which Confluent Schema Registry
uses), and reports every incompatibility at the new schema's source line.

SOURCE is one of:
  DIR or FILE      .evc or .avsc files: one earlier version of each type
  history:DIR      a history folder, DIR/<full.name>/v<N>.avsc (a folder laid
                   out so is recognized without the prefix)
  git:REF          the same PATHs as they were at git revision REF
  registry:URL     the subjects <full.name><suffix> in a Schema Registry
                   (registry alone: the URL of the config file)

MODE is BACKWARD (new schemas read old data), FORWARD (old schemas read new
data; the default), FULL (both), their _TRANSITIVE forms (against every
earlier version, not just the latest) or NONE. From the most to the least
specific: --mode, a type's @compat, the config file's "types", a file's
option compat, the config file's "mode", FORWARD.

The config file is evc.json in the current directory (or --config FILE):
  {"compat": {"mode": "FULL", "types": {"acme.Audit": "NONE"},
              "against": "git:origin/main", "ack_file": "evc-compat-ack.json",
              "registry": {"url": "https://registry:8081", "subject_suffix": "-value"}}}

Registry credentials come from EVC_REGISTRY_USER and EVC_REGISTRY_PASSWORD,
or EVC_REGISTRY_TOKEN (or the --registry-* flags, which override them); they
are never printed.

Deliberate breaks are listed in evc-compat-ack.json (or --ack FILE) with a
rule, a target and a reason; they are reported but do not fail.

--record-history DIR appends the current version of every top-level type to
the history folder DIR (at release time) and checks nothing.

Exit status: 0 compatible, 1 incompatible, 2 usage or input errors.`,
		Example: `  evc compat --against git:origin/main events/
  evc compat --mode FULL_TRANSITIVE --against history:schemas/history events/
  evc compat --against registry:https://registry:8081 --subject-suffix -value events/
  EVC_REGISTRY_TOKEN=... evc compat --against registry --registry-ca ca.pem events/
  evc compat --format github --against git:origin/main .
  evc compat --record-history schemas/history events/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.set = func(name string) bool { return cmd.Flags().Changed(name) }
			return runCompat(a, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.mode, "mode", "", "compatibility `MODE` for every type (default: the IDL's or the config's, else FORWARD)")
	f.StringVar(&fl.against, "against", "", "the earlier versions: DIR, FILE, history:DIR, git:REF or registry:URL (default: the config's)")
	f.StringVar(&fl.format, "format", "text", "report format: text, json or github")
	f.BoolVar(&fl.strict, "strict", false, "fail on changes Avro allows but that change meaning (logical types, decimals, defaults)")
	f.StringVar(&fl.ack, "ack", "", "file of acknowledged breaks (default: the config's, else "+compat.DefaultAckFile+" when it exists)")
	f.StringVar(&fl.config, "config", "", "config `FILE` (default: "+compat.ConfigFile+" when it exists)")
	f.StringVar(&fl.subjectSuffix, "subject-suffix", "", "registry subjects are <full.name>`SUFFIX` (RecordNameStrategy)")
	f.StringVar(&fl.registryUser, "registry-user", "", "registry basic auth user (default $"+envRegistryUser+")")
	f.StringVar(&fl.registryPassword, "registry-password", "", "registry basic auth password (default $"+envRegistryPassword+"; prefer the variable)")
	f.StringVar(&fl.registryToken, "registry-token", "", "registry bearer token (default $"+envRegistryToken+"; prefer the variable)")
	f.StringVar(&fl.registryCA, "registry-ca", "", "PEM `FILE` of the authorities to trust for the registry")
	f.StringVar(&fl.registryCert, "registry-cert", "", "PEM `FILE` of a client certificate for the registry")
	f.StringVar(&fl.registryKey, "registry-key", "", "PEM `FILE` of the client certificate's key")
	f.DurationVar(&fl.registryTimeout, "registry-timeout", 60*time.Second, "bound on all registry requests")
	f.StringVar(&fl.recordHistory, "record-history", "", "append the current version of every type to the history folder `DIR`, and check nothing")
	return cmd
}

// usageErr prints a usage problem and exits 2.
func usageErr(a *app, format string, args ...any) error {
	fmt.Fprintf(a.stderr, "evc compat: "+format+"\n", args...)
	return fail(exitUsage)
}

// loadConfig reads the config file named by --config, else evc.json in the
// current directory when there is one; nil when there is none.
func loadConfig(a *app, fl compatFlags) (*compat.Config, error) {
	file := fl.config
	if file == "" {
		if !fileExists(compat.ConfigFile) {
			return nil, nil
		}
		file = compat.ConfigFile
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, usageErr(a, "--config: %v", err)
	}
	file = filepath.ToSlash(file)
	var l diag.List
	cfg := compat.ParseConfig(file, src, &l)
	if l.HasErrors() {
		_ = writeDiags(a, fl.format, ghPaths(fl.format, l.Items()), diag.Sources{file: src})
		return nil, fail(exitUsage)
	}
	return cfg, nil
}

// registryAuth gathers the registry credentials from the flags, else the
// environment, and the TLS files from the flags, else the config.
func registryAuth(fl compatFlags, cfg *compat.Config) compat.RegistryAuth {
	pick := func(flag, env string) string {
		if flag != "" {
			return flag
		}
		return os.Getenv(env)
	}
	auth := compat.RegistryAuth{
		User:     pick(fl.registryUser, envRegistryUser),
		Password: pick(fl.registryPassword, envRegistryPassword),
		Token:    pick(fl.registryToken, envRegistryToken),
		CAFile:   fl.registryCA, CertFile: fl.registryCert, KeyFile: fl.registryKey,
	}
	if fl.registryUser != "" || fl.registryPassword != "" {
		auth.Token = fl.registryToken // flags for basic auth win over a token in the environment
	} else if fl.registryToken != "" {
		auth.User, auth.Password = "", ""
	}
	if cfg != nil {
		if auth.CAFile == "" {
			auth.CAFile = cfg.Registry.CAFile
		}
		if auth.CertFile == "" && auth.KeyFile == "" {
			auth.CertFile, auth.KeyFile = cfg.Registry.CertFile, cfg.Registry.KeyFile
		}
	}
	return auth
}

func runCompat(a *app, fl compatFlags, args []string) error {
	if err := validFormat(fl.format); err != nil {
		return usageErr(a, "%v", err)
	}
	if fl.set == nil {
		fl.set = func(string) bool { return false }
	}
	var rules compat.ModeRules
	if fl.mode != "" {
		m, err := compat.ParseMode(fl.mode)
		if err != nil {
			return usageErr(a, "--mode: %v", strings.TrimPrefix(err.Error(), "evc: "))
		}
		rules.Override = m
	}
	cfg, err := loadConfig(a, fl)
	if err != nil {
		return err
	}
	against, suffix, ackFile := fl.against, fl.subjectSuffix, fl.ack
	if cfg != nil {
		rules.Default, rules.Types = cfg.Mode, cfg.Types
		if against == "" {
			against = cfg.Against
		}
		if !fl.set("subject-suffix") {
			suffix = cfg.Registry.SubjectSuffix
		}
		if ackFile == "" {
			ackFile = cfg.AckFile
		}
	}
	if against == "registry" || against == "registry:" {
		if cfg == nil || cfg.Registry.URL == "" {
			return usageErr(a, "--against registry needs a URL: registry:URL, or \"url\" under \"registry\" in %s", compat.ConfigFile)
		}
		against = "registry:" + cfg.Registry.URL
	}
	if fl.recordHistory == "" && against == "" {
		return usageErr(a, "--against is required (a folder, history:DIR, git:REF or registry:URL), or \"against\" in %s", compat.ConfigFile)
	}
	paths := args
	if len(paths) == 0 {
		paths = []string{"."}
	}

	// The new schemas.
	res := compiler.Compile(paths, compiler.Options{})
	if res.Diags.Len() > 0 {
		if err := writeDiags(a, fl.format, ghPaths(fl.format, res.Diags.Items()), res.Sources); err != nil {
			return err
		}
	}
	if res.Diags.HasErrors() || res.Schema == nil {
		return fail(exitUsage)
	}
	roots := compat.Roots(res.Schema)

	if fl.recordHistory != "" {
		return recordHistory(a, fl.recordHistory, roots)
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
	if cfg != nil && cfg.Registry.NamespacesSet {
		namespaces = cfg.Registry.Namespaces
	}
	if modeDiags.HasErrors() {
		modeDiags.Sort()
		_ = writeDiags(a, fl.format, ghPaths(fl.format, modeDiags.Items()), res.Sources)
		return fail(exitUsage)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fl.registryTimeout)
	defer cancel()
	var srcDiags diag.List
	old, err := compat.LoadSource(against, compat.SourceOptions{
		Paths: paths, Names: names, SubjectSuffix: suffix, Transitive: transitive,
		Context: ctx, Registry: registryAuth(fl, cfg), Namespaces: namespaces,
	}, &srcDiags)
	if err != nil {
		fmt.Fprintln(a.stderr, err)
		return fail(exitUsage)
	}
	if srcDiags.Len() > 0 {
		srcDiags.Sort()
		if err := writeDiags(a, fl.format, ghPaths(fl.format, srcDiags.Items()), old.Sources); err != nil {
			return err
		}
	}
	if srcDiags.HasErrors() {
		return fail(exitUsage)
	}

	var subjects []compat.Subject
	var removed []compat.Removed
	if single, ok := singleAvscPair(against, paths, res.Schema, old); ok {
		// One .avsc against one .avsc: compared directly, whatever their
		// names.
		r := roots[0]
		subjects = []compat.Subject{{Name: r.Name, File: r.File.Path, New: r.Type, Mode: rules.Of(r, nil), Versions: []compat.Version{single}}}
	} else {
		subjects, removed = compat.Match(roots, res.Schema, old, rules, nil)
	}
	if cfg != nil {
		if ds := unusedTypeModes(cfg, res.Schema, subjects, removed); len(ds) > 0 {
			_ = writeDiags(a, fl.format, ghPaths(fl.format, ds), diag.Sources{cfg.File: mustRead(cfg.File)})
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
			return usageErr(a, "acknowledged breaks: %v", err)
		}
		var l diag.List
		acks = compat.ParseAcks(filepath.ToSlash(ackFile), src, &l)
		if l.HasErrors() {
			_ = writeDiags(a, fl.format, ghPaths(fl.format, l.Items()), diag.Sources{filepath.ToSlash(ackFile): src})
			return fail(exitUsage)
		}
		res.Sources[filepath.ToSlash(ackFile)] = src
	}

	// Findings about what the new schemas no longer have may point into
	// the earlier files, when they are files on disk that the new schemas
	// do not also have.
	var earlier diag.Sources
	if !strings.HasPrefix(against, "git:") && !strings.HasPrefix(against, "registry:") {
		earlier = diag.Sources{}
		for f, src := range old.Sources {
			if _, clash := res.Sources[f]; !clash {
				earlier[f] = src
				res.Sources[f] = src
			}
		}
	}

	rep := compat.Check(subjects, removed, compat.Options{Strict: fl.strict, Acks: acks, AckFile: ackFile, EarlierSources: earlier})
	var werr error
	switch fl.format {
	case "json":
		werr = rep.WriteJSON(a.stdout)
	case "github":
		werr = diag.WriteGitHub(a.stdout, ghPaths(fl.format, rep.Diags))
	default:
		werr = diag.WriteText(a.stdout, rep.Diags, res.Sources)
	}
	if werr != nil {
		return werr
	}
	if rep.Failed() {
		return fail(exitSchema)
	}
	return nil
}

func mustRead(file string) []byte {
	src, _ := os.ReadFile(file)
	return src
}

// unusedTypeModes warns about per-type modes of the config file that name
// no top-level type, new or removed: a typo, or a nested type, which is
// checked through the types that use it.
func unusedTypeModes(cfg *compat.Config, s *ir.Schema, subjects []compat.Subject, removed []compat.Removed) []diag.Diagnostic {
	known := map[string]bool{}
	for _, sub := range subjects {
		known[sub.Name] = true
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

// ghPaths makes the paths of diagnostics relative to the root of the git
// repository for --format github, since GitHub places annotations by the
// path in the repository; other formats keep them as given.
func ghPaths(format string, ds []diag.Diagnostic) []diag.Diagnostic {
	if format != "github" || len(ds) == 0 {
		return ds
	}
	prefix := repoPrefix()
	if prefix == "" {
		return ds
	}
	fix := func(sp *diag.Span) {
		for _, p := range []*diag.Pos{&sp.Start, &sp.End} {
			if p.File != "" && !path.IsAbs(p.File) && !strings.Contains(p.File, ":") {
				p.File = path.Join(prefix, p.File)
			}
		}
	}
	out := make([]diag.Diagnostic, len(ds))
	for i, d := range ds {
		fix(&d.Span)
		d.Related = slices.Clone(d.Related)
		for j := range d.Related {
			fix(&d.Related[j].Span)
		}
		out[i] = d
	}
	return out
}

// repoPrefix is the current directory's path inside its git repository
// ("svc/" in repo/svc), or "" at the root or outside a repository.
func repoPrefix() string {
	cmd := exec.Command("git", "rev-parse", "--show-prefix")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.TrimSpace(string(out)), "/")
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
func recordHistory(a *app, dir string, roots []compat.Root) error {
	wrote := 0
	for _, r := range roots {
		if r.Named == nil {
			fmt.Fprintf(a.stderr, "evc compat: %s: an unnamed schema has no history; skipped\n", r.Name)
			continue
		}
		data := append(avro.SchemaJSON(r.Named, true), '\n')
		file, err := compat.RecordHistory(dir, r.Name, data)
		if err != nil {
			fmt.Fprintln(a.stderr, err)
			return fail(exitUsage)
		}
		if file != "" {
			wrote++
			fmt.Fprintf(a.stdout, "recorded %s\n", filepath.ToSlash(file))
		}
	}
	if wrote == 0 {
		fmt.Fprintln(a.stdout, "history is up to date")
	}
	return nil
}
