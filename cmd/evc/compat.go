package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/config"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/driver"
)

func init() { register(newCompatCmd) }

// compatFlags are the flags of evc compat.
type compatFlags struct {
	mode            string
	against         string
	format          string
	strict          bool
	ack             string
	subjectSuffix   string
	subjectStrategy string
	recordHistory   string
	config          string
	allowEmpty      bool

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
		Long: `compat checks the schemas in PATH (.evc or .avsc files or folders; default:
the config file's "roots", else .) against their earlier versions in SOURCE, by Apache Avro's schema resolution
rules (as Avro Java's SchemaCompatibility, which Confluent Schema Registry
uses), and reports every incompatibility at the new schema's source line.

SOURCE is one of:
  DIR or FILE      .evc or .avsc files: one earlier version of each type
  history:DIR      a history folder, DIR/<full.name>/v<N>.avsc (a folder laid
                   out so is recognized without the prefix)
  git:REF          the same PATHs as they were at git revision REF
  registry:URL     the subjects of the new types in a Schema Registry, named
                   by --subject-strategy (default <full.name>) plus
                   --subject-suffix, with the schemas they reference
                   (registry alone: the URL of the config file)

MODE is BACKWARD (new schemas read old data), FORWARD (old schemas read new
data; the default), FULL (both), their _TRANSITIVE forms (against every
earlier version, not just the latest) or NONE. From the most to the least
specific: --mode, a type's @compat, the config file's "types", a file's
option compat, the config file's "mode", FORWARD.

The config file is evc.json in the current directory (or --config FILE), the
workspace file that evc compile reads too; "exclude" and compile's outputs are
not read as sources, and evc's own output (a <full.name>.avsc of a .evc type,
history files) never is:
  {"roots": ["schemas"], "exclude": ["schemas/legacy"],
   "compile": {"avro_out": "gen/avro"},
   "compat": {"mode": "FULL", "types": {"acme.Audit": "NONE"},
              "against": "git:origin/main", "ack_file": "evc-compat-ack.json",
              "registry": {"url": "https://registry:8081", "subject_suffix": "-value",
                           "subject_strategy": "RecordNameStrategy"}}}

Registry credentials come from EVC_REGISTRY_USER and EVC_REGISTRY_PASSWORD,
or EVC_REGISTRY_TOKEN (or the --registry-* flags, which override them); they
are never printed.

Deliberate breaks are listed in evc-compat-ack.json (or --ack FILE) with a
rule, a target and a reason; they are reported but do not fail.

A SOURCE that holds no schema at all is a usage error (a wrong --against or
path is likelier than a first release): pass --allow-empty-baseline when
these are the first versions of the schemas.

--record-history DIR appends the current version of every top-level type to
the history folder DIR (at release time) and checks nothing.

Exit status: 0 compatible, 1 incompatible, 2 usage or input errors.`,
		Example: `  evc compat --against git:origin/main events/
  evc compat --mode FULL_TRANSITIVE --against history:schemas/history events/
  evc compat --against registry:https://registry:8081 --subject-suffix -value events/
  evc compat --against registry:https://registry:8081 --subject-strategy TopicNameStrategy events/
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
	f.StringVar(&fl.config, "config", "", "config `FILE` (default: "+config.Name+" when it exists)")
	f.StringVar(&fl.subjectStrategy, "subject-strategy", "", "how registry subjects are named: RecordNameStrategy (<full.name>, the default), TopicNameStrategy (<topic>-value and <topic>-key, from the IDL's topics) or TopicRecordNameStrategy (<topic>-<full.name>)")
	f.StringVar(&fl.subjectSuffix, "subject-suffix", "", "append `SUFFIX` to every registry subject")
	f.StringVar(&fl.registryUser, "registry-user", "", "registry basic auth user (default $"+envRegistryUser+")")
	f.StringVar(&fl.registryPassword, "registry-password", "", "registry basic auth password (default $"+envRegistryPassword+"; prefer the variable)")
	f.StringVar(&fl.registryToken, "registry-token", "", "registry bearer token (default $"+envRegistryToken+"; prefer the variable)")
	f.StringVar(&fl.registryCA, "registry-ca", "", "PEM `FILE` of the authorities to trust for the registry")
	f.StringVar(&fl.registryCert, "registry-cert", "", "PEM `FILE` of a client certificate for the registry")
	f.StringVar(&fl.registryKey, "registry-key", "", "PEM `FILE` of the client certificate's key")
	f.DurationVar(&fl.registryTimeout, "registry-timeout", 60*time.Second, "bound on all registry requests")
	f.BoolVar(&fl.allowEmpty, "allow-empty-baseline", false, "accept a SOURCE that holds no schema at all: these are the first versions")
	f.StringVar(&fl.recordHistory, "record-history", "", "append the current version of every type to the history folder `DIR`, and check nothing")
	return cmd
}

// registryAuth gathers the registry credentials from the flags, else the
// environment, and the TLS files from the flags (the driver takes the
// config's when the flags give none).
func registryAuth(fl compatFlags) source.RegistryAuth {
	pick := func(flag, env string) string {
		if flag != "" {
			return flag
		}
		return os.Getenv(env)
	}
	auth := source.RegistryAuth{
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
	return auth
}

// compatUsage prints a problem that stops evc compat before it checks,
// with --format json as a diagnostic of rule USAGE, and exits 2.
func compatUsage(a *app, format, msg string) error {
	if format == "json" {
		_ = diag.WriteJSON(a.stderr, []diag.Diagnostic{{Severity: diag.Error, Rule: driver.RuleUsage, Message: msg}})
	} else {
		fmt.Fprintln(a.stderr, msg)
	}
	return fail(exitUsage)
}

func runCompat(a *app, fl compatFlags, args []string) error {
	if err := validFormat(fl.format); err != nil {
		fmt.Fprintf(a.stderr, "evc compat: %v\n", err)
		return fail(exitUsage)
	}
	set := fl.set
	if set == nil {
		set = func(string) bool { return false }
	}
	res, err := driver.Compat(driver.CompatOptions{
		Paths: args, Mode: fl.mode, Against: fl.against,
		SubjectSuffix: fl.subjectSuffix, SubjectSuffixSet: set("subject-suffix"), SubjectStrategy: fl.subjectStrategy,
		Ack: fl.ack, Config: fl.config, Strict: fl.strict, RecordHistory: fl.recordHistory,
		AllowEmptyBaseline: fl.allowEmpty,
		Registry:           registryAuth(fl), RegistryTimeout: fl.registryTimeout,
	})
	for _, b := range res.Diags {
		if werr := writeDiags(a, fl.format, ghPaths(fl.format, b.Diags), b.Sources); werr != nil {
			return werr
		}
	}
	wrote := 0
	for _, h := range res.History {
		switch {
		case h.Skipped:
			fmt.Fprintf(a.stderr, "evc compat: %s: an unnamed schema has no history; skipped\n", h.Name)
		case h.File != "":
			wrote++
			fmt.Fprintf(a.stdout, "recorded %s\n", h.File)
		}
	}
	var ue *driver.UsageError
	switch {
	case errors.As(err, &ue):
		return compatUsage(a, fl.format, "evc compat: "+ue.Msg)
	case errors.Is(err, driver.ErrInvalid):
		return fail(exitUsage)
	case err != nil:
		return compatUsage(a, fl.format, err.Error())
	}
	if fl.recordHistory != "" {
		if wrote == 0 {
			fmt.Fprintln(a.stdout, "history is up to date")
		}
		return nil
	}
	rep := res.Report
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
