package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	exitOK     = 0
	exitSchema = 1 // schema errors, or incompatibility for compat
	exitUsage  = 2 // bad flags, missing files, unreadable input
)

// app is what every command gets: its streams, and the exit code it sets.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	code   int
}

// exitError carries an exit code out of a command's RunE.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// fail returns an error that makes run exit with code, after the command has
// written its own diagnostics.
func fail(code int) error { return exitError{code} }

// commands are the constructors of the subcommands; each command's file
// registers its own in init, so that commands never edit one another's files.
var commands []func(*app) *cobra.Command

func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// run is main without os.Exit: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if versionOnly(args) {
		fmt.Fprintf(stdout, "evc %s\n", version())
		return exitOK
	}
	return runCommand(args, stdin, stdout, stderr)
}

// runCommand builds the command tree and runs the command args name.
func runCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "evc",
		Short:         "evc compiles event schemas for Kafka to Avro and Go",
		Long:          "evc compiles event schemas written in the evc language to canonical Avro schemas\nand Go bindings, and checks schema evolution against earlier versions.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("evc {{.Version}}\n")
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	for _, c := range commands {
		root.AddCommand(c(a))
	}
	err := root.Execute()
	var ee exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	default:
		// Library errors already say "evc: "; say it once.
		fmt.Fprintf(stderr, "evc: %s\n", strings.TrimPrefix(err.Error(), "evc: "))
		fmt.Fprintln(stderr, "Run 'evc --help' for usage.")
		return exitUsage
	}
}
