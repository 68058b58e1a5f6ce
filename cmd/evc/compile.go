package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/driver"
)

func init() { register(newCompileCmd) }

func newCompileCmd(a *app) *cobra.Command {
	var (
		opts     driver.Options
		packages []string
		check    bool
		format   string
		cfgFile  string
		strategy string
	)
	cmd := &cobra.Command{
		Use:   "compile [flags] PATH...",
		Short: "Check schemas and generate .avsc files and Go bindings",
		Long: `compile checks .evc and .avsc files (directories are searched recursively)
with everything they import, reports every error at once, and when there is
none writes one self-contained .avsc per named type (--avro-out) and Go
bindings with generated encoders and decoders (--go-out).

The workspace file, evc.json in the current directory (or --config FILE),
gives the default PATHs ("roots"), folders that are not sources ("exclude")
and the outputs ("compile": {"avro_out", "go_out", "go_module"}); flags win.
evc's own output found in a searched folder is never read back as a source.

Exit status: 0 on success, 1 on schema errors (or stale files with --check),
2 on usage errors.`,
		Example: `  evc compile --avro-out gen/avro --go-out gen/go events/
  evc compile --check --avro-out gen/avro events/   # in CI: fail if gen/avro is stale`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, _, bad, err := driver.LoadConfig(cfgFile)
			if bad != nil {
				if werr := writeDiags(a, format, bad.Diags, bad.Sources); werr != nil {
					return werr
				}
				return fail(exitUsage)
			}
			if err != nil {
				return err
			}
			if cfg != nil {
				if len(args) == 0 {
					args = cfg.Roots
				}
				for _, d := range []struct {
					flag string
					opt  *string
					val  string
				}{{"avro-out", &opts.AvroOut, cfg.Compile.AvroOut}, {"go-out", &opts.GoOut, cfg.Compile.GoOut}, {"go-module", &opts.GoModule, cfg.Compile.GoModule}} {
					if !cmd.Flags().Changed(d.flag) {
						*d.opt = d.val
					}
				}
				opts.Skip = cfg.Exclude
			}
			if len(args) == 0 {
				return fmt.Errorf("compile needs at least one .evc or .avsc file, or a directory of them")
			}
			if err := driver.CheckInputs(args); err != nil {
				return err
			}
			if opts.AvroOut == "" && opts.GoOut == "" && check {
				return fmt.Errorf("--check needs --avro-out or --go-out")
			}
			if err := validFormat(format); err != nil {
				return err
			}
			if cfg != nil && strategy == "" {
				strategy = cfg.Compat.Registry.SubjectStrategy
			}
			switch strategy {
			case "", "RecordNameStrategy", "TopicRecordNameStrategy":
			case "TopicNameStrategy":
				opts.TopicNameSubjects = true
			default:
				return fmt.Errorf("--subject-strategy is RecordNameStrategy, TopicNameStrategy or TopicRecordNameStrategy, not %q", strategy)
			}
			if opts.GoOut == "" && (opts.GoModule != "" || len(packages) > 0) {
				return fmt.Errorf("--go-module and --go-package need --go-out")
			}
			for _, p := range packages {
				ns, path, ok := strings.Cut(p, "=")
				if !ok || !compiler.ValidImportPath(path) {
					return fmt.Errorf("--go-package takes namespace=import/path, not %q", p)
				}
				if opts.GoPackages == nil {
					opts.GoPackages = map[string]string{}
				}
				opts.GoPackages[ns] = path
			}
			res, outs, err := driver.Run(args, opts)
			if res.Diags.Len() > 0 {
				if werr := writeDiags(a, format, res.Diags.Items(), res.Sources); werr != nil {
					return werr
				}
			}
			if res.Diags.HasErrors() {
				return fail(exitSchema)
			}
			var uerr *driver.UsageError
			if errors.As(err, &uerr) {
				return err // say where the output goes
			}
			if err != nil {
				fmt.Fprintln(a.stderr, err)
				return fail(exitSchema)
			}
			if check {
				stale := driver.Stale(outs)
				for _, p := range stale {
					fmt.Fprintf(a.stderr, "%s: out of date; run evc compile to regenerate it\n", p)
				}
				orphans := driver.Orphans(outs)
				for _, p := range orphans {
					fmt.Fprintf(a.stderr, "%s: no longer generated; delete it\n", p)
				}
				if len(stale)+len(orphans) > 0 {
					return fail(exitSchema)
				}
				return nil
			}
			if err := driver.Write(outs); err != nil {
				fmt.Fprintln(a.stderr, err)
				return fail(exitUsage)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.AvroOut, "avro-out", "", "write one .avsc per named type to `DIR`")
	f.StringVar(&opts.GoOut, "go-out", "", "write Go bindings under `DIR`")
	f.StringVar(&opts.GoModule, "go-module", "", "the Go import `PATH` of --go-out (default: from the go.mod above it)")
	f.StringArrayVar(&packages, "go-package", nil, "put `NAMESPACE=IMPORT/PATH` in that Go package (repeatable; wins over the IDL's go_package)")
	f.BoolVar(&check, "check", false, "write nothing; fail if any generated file would change")
	f.StringVar(&format, "format", "text", "diagnostics format: text, json or github")
	f.StringVar(&cfgFile, "config", "", "workspace `FILE` (default: evc.json when it exists)")
	f.StringVar(&strategy, "subject-strategy", "", "how your services name registry subjects (serde.Strategy), as for evc compat: RecordNameStrategy (the default), TopicNameStrategy or TopicRecordNameStrategy; with TopicNameStrategy, warn about topics whose value types would share a subject (default: the workspace file's compat.registry.subject_strategy)")
	return cmd
}

func validFormat(format string) error {
	switch format {
	case "text", "json", "github":
		return nil
	}
	return fmt.Errorf("--format must be text, json or github, not %q", format)
}

// writeDiags writes diagnostics to stderr in the chosen format.
func writeDiags(a *app, format string, ds []diag.Diagnostic, src diag.Sources) error {
	switch format {
	case "json":
		return diag.WriteJSON(a.stderr, ds)
	case "github":
		return diag.WriteGitHub(a.stderr, ds)
	default:
		return diag.WriteText(a.stderr, ds, src)
	}
}
