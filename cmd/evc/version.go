package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func init() { register(newVersionCmd) }

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print evc's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "evc %s\n", version())
			return nil
		},
	}
}

// versionOnly reports whether args ask for the version and nothing else
// (evc version, evc --version, evc -v). run answers those before it builds
// the command tree: building every command, its flags and cobra's help and
// completion commands is most of what evc does for them otherwise
// (TestVersion compares the answers with cobra's).
func versionOnly(args []string) bool {
	return len(args) == 1 && (args[0] == "version" || args[0] == "--version" || args[0] == "-v")
}

// version is the module version evc was built from, as go install records
// it, or "(devel)". evc version and evc --version print it.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
