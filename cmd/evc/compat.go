package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
}

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

MODE is BACKWARD (new schemas read old data), FORWARD (old schemas read new
data; the default), FULL (both), their _TRANSITIVE forms (against every
earlier version, not just the latest) or NONE. A type's @compat or a file's
option compat sets its mode; --mode overrides them all.

Deliberate breaks are listed in evc-compat-ack.json (or --ack FILE) with a
rule, a target and a reason; they are reported but do not fail.

--record-history DIR appends the current version of every top-level type to
the history folder DIR (at release time) and checks nothing.

Exit status: 0 compatible, 1 incompatible, 2 usage or input errors.`,
		Example: `  evc compat --against git:origin/main events/
  evc compat --mode FULL_TRANSITIVE --against history:schemas/history events/
  evc compat --against registry:http://localhost:8081 --subject-suffix -value events/
  evc compat --format github --against git:origin/main .
  evc compat --record-history schemas/history events/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompat(a, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.mode, "mode", "", "compatibility `MODE` for every type (default: the IDL's, else FORWARD)")
	f.StringVar(&fl.against, "against", "", "the earlier versions: DIR, FILE, history:DIR, git:REF or registry:URL")
	f.StringVar(&fl.format, "format", "text", "report format: text, json or github")
	f.BoolVar(&fl.strict, "strict", false, "fail on changes Avro allows but that change meaning (logical types, decimals, defaults)")
	f.StringVar(&fl.ack, "ack", "", "file of acknowledged breaks (default: "+compat.DefaultAckFile+" when it exists)")
	f.StringVar(&fl.subjectSuffix, "subject-suffix", "", "registry subjects are <full.name>`SUFFIX` (RecordNameStrategy)")
	f.StringVar(&fl.recordHistory, "record-history", "", "append the current version of every type to the history folder `DIR`, and check nothing")
	return cmd
}

// usageErr prints a usage problem and exits 2.
func usageErr(a *app, format string, args ...any) error {
	fmt.Fprintf(a.stderr, "evc compat: "+format+"\n", args...)
	return fail(exitUsage)
}

func runCompat(a *app, fl compatFlags, args []string) error {
	if err := validFormat(fl.format); err != nil {
		return usageErr(a, "%v", err)
	}
	var override compat.Mode
	if fl.mode != "" {
		m, err := compat.ParseMode(fl.mode)
		if err != nil {
			return usageErr(a, "--mode: %v", strings.TrimPrefix(err.Error(), "evc: "))
		}
		override = m
	}
	if fl.recordHistory == "" && fl.against == "" {
		return usageErr(a, "--against is required (a folder, history:DIR, git:REF or registry:URL)")
	}
	paths := args
	if len(paths) == 0 {
		paths = []string{"."}
	}

	// The new schemas.
	res := compiler.Compile(paths, compiler.Options{})
	if res.Diags.Len() > 0 {
		if err := writeDiags(a, fl.format, res.Diags.Items(), res.Sources); err != nil {
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
	var names []string
	transitive := override.Transitive()
	var modeDiags diag.List
	for _, r := range roots {
		names = append(names, r.Name)
		if r.Named != nil {
			names = append(names, r.Named.Aliases...)
		}
		if compat.ModeOf(r, override, &modeDiags).Transitive() {
			transitive = true
		}
	}
	if modeDiags.HasErrors() {
		modeDiags.Sort()
		_ = writeDiags(a, fl.format, modeDiags.Items(), res.Sources)
		return fail(exitUsage)
	}
	var srcDiags diag.List
	old, err := compat.LoadSource(fl.against, compat.SourceOptions{
		Paths: paths, Names: names, SubjectSuffix: fl.subjectSuffix, Transitive: transitive,
	}, &srcDiags)
	if err != nil {
		fmt.Fprintln(a.stderr, err)
		return fail(exitUsage)
	}
	if srcDiags.Len() > 0 {
		srcDiags.Sort()
		if err := writeDiags(a, fl.format, srcDiags.Items(), old.Sources); err != nil {
			return err
		}
	}
	if srcDiags.HasErrors() {
		return fail(exitUsage)
	}

	var subjects []compat.Subject
	var removed []compat.Removed
	if single, ok := singleAvscPair(fl.against, paths, res.Schema, old); ok {
		// One .avsc against one .avsc: compared directly, whatever their
		// names.
		r := roots[0]
		subjects = []compat.Subject{{Name: r.Name, File: r.File.Path, New: r.Type, Mode: compat.ModeOf(r, override, nil), Versions: []compat.Version{single}}}
	} else {
		subjects, removed = compat.Match(roots, res.Schema, old, override, nil)
	}

	// Acknowledged breaks.
	ackFile := fl.ack
	if ackFile == "" {
		if _, err := os.Stat(compat.DefaultAckFile); err == nil {
			ackFile = compat.DefaultAckFile
		}
	}
	var acks []*compat.Ack
	if ackFile != "" {
		src, err := os.ReadFile(ackFile)
		if err != nil {
			return usageErr(a, "%v", err)
		}
		var l diag.List
		acks = compat.ParseAcks(filepath.ToSlash(ackFile), src, &l)
		if l.HasErrors() {
			_ = writeDiags(a, fl.format, l.Items(), diag.Sources{filepath.ToSlash(ackFile): src})
			return fail(exitUsage)
		}
		res.Sources[filepath.ToSlash(ackFile)] = src
	}

	rep := compat.Check(subjects, removed, compat.Options{Strict: fl.strict, Acks: acks, AckFile: ackFile})
	var werr error
	switch fl.format {
	case "json":
		werr = diag.WriteJSON(a.stdout, rep.Diags)
	case "github":
		werr = diag.WriteGitHub(a.stdout, rep.Diags)
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
