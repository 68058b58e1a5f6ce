package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/lsp"
)

func init() { register(newLSPCmd) }

func newLSPCmd(a *app) *cobra.Command {
	var opts lsp.Options
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (LSP 3.17 over standard input and output)",
		Long: `lsp runs evc's language server for editors, speaking the Language Server
Protocol over standard input and output: diagnostics as you type (every
compile error and warning, with related places and help), compatibility
warnings against the workspace's baseline (evc.json's compat "against", or
--against), hover, go to definition, find references, rename, completion,
document symbols, formatting (as evc fmt) and quick fixes.

Editors start it themselves: see docs/editors.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Logf = func(format string, args ...any) { fmt.Fprintf(a.stderr, "evc lsp: "+format+"\n", args...) }
			return lsp.Serve(context.Background(), stdio{a.stdin, a.stdout}, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Against, "against", "", "baseline for compatibility warnings: DIR, history:DIR or git:REF (default: evc.json's)")
	return cmd
}

// stdio joins standard input and output into the stream the server reads
// and writes.
type stdio struct {
	in  io.Reader
	out io.Writer
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s stdio) Close() error                { return nil }
