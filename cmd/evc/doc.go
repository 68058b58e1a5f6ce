package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/internal/driver"
)

func init() { register(newDocCmd) }

func newDocCmd(a *app) *cobra.Command {
	var (
		opts     driver.DocOptions
		diagsFmt string
	)
	cmd := &cobra.Command{
		Use:   "doc -o OUT [flags] [PATH...]",
		Short: "Write an event catalog (a static site) or an AsyncAPI document",
		Long: `doc compiles the schemas in PATH (default .) and writes their catalog.

--format html (the default) writes a static site to the folder OUT that works
from disk, with no server and no network: an overview with a diagram of the
topics and the events on each, a page per topic and per named type (docs,
fields with linked types, defaults, logical types, custom properties such as
x-pii, deprecations, CloudEvents type and source, compatibility mode, where
the type is used), a search over names and docs, and with --history the
versions of each type: for every pair of versions, the field-level changes
and the verdict of evc compat with its rules.

--format asyncapi writes an AsyncAPI 3.0 document (JSON) to the file OUT
("-" for standard output): a channel per topic, a message per event type with
its Avro schema, Kafka bindings with the key schema, and CloudEvents headers.

The output is deterministic: the same schemas give the same bytes.

Exit status: 0 on success, 1 on schema errors, 2 on usage or input errors.`,
		Example: `  evc doc -o site/ events/
  evc doc -o site/ --history schemas/history --history git:v2.0 events/
  evc doc --format asyncapi -o asyncapi.json events/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validFormat(diagsFmt); err != nil {
				return err
			}
			opts.Paths = args
			res, err := driver.Doc(opts)
			for _, b := range res.Diags {
				if werr := writeDiags(a, diagsFmt, ghPaths(diagsFmt, b.Diags), b.Sources); werr != nil {
					return werr
				}
			}
			var ue *driver.UsageError
			switch {
			case errors.As(err, &ue):
				fmt.Fprintf(a.stderr, "evc doc: %s\n", ue.Msg)
				return fail(exitUsage)
			case errors.Is(err, driver.ErrInvalid) && res.SchemaErrors:
				return fail(exitSchema)
			case errors.Is(err, driver.ErrInvalid):
				return fail(exitUsage)
			case err != nil:
				return err
			}
			if len(res.Files) == 1 && res.Files[0].Path == "-" {
				_, err := a.stdout.Write(res.Files[0].Data)
				return err
			}
			if opts.Format == driver.DocAsyncAPI {
				fmt.Fprintf(a.stderr, "evc doc: wrote %s\n", opts.Out)
				return nil
			}
			fmt.Fprintf(a.stderr, "evc doc: wrote %d files to %s\n", len(res.Files), opts.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "the site's `FOLDER`, or the AsyncAPI document's file (- for standard output)")
	f.StringVar(&opts.Format, "format", driver.DocHTML, "what to write: html (a static site) or asyncapi (an AsyncAPI 3.0 document)")
	f.StringVar(&opts.Title, "title", "", "the title of the site or document")
	f.StringVar(&opts.Version, "asyncapi-version", "", "info.version of the AsyncAPI document (default 1.0.0)")
	f.StringArrayVar(&opts.History, "history", nil, "earlier versions, oldest first (repeatable): a history folder, git:REF or a folder of schemas (default: evc.json's compat \"against\")")
	f.StringArrayVar(&opts.History, "against", nil, "the same as --history, in evc compat's words (repeatable)")
	f.StringVar(&opts.Mode, "mode", "", "compatibility `MODE` for every type's verdicts (default: as evc compat decides)")
	f.StringVar(&opts.Config, "config", "", "workspace `FILE` (default: evc.json when it exists)")
	f.StringVar(&diagsFmt, "diagnostics", "text", "diagnostics format: text, json or github")
	return cmd
}
