package demoenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// RunFunc is a demo: it runs on the registry and the cluster cfg names (see
// Start) and prints what happens to stdout. Its ctx ends at cfg.Timeout.
type RunFunc func(ctx context.Context, cfg Config, stdout io.Writer) error

// Main is a demo's main function: it runs the demo with the flags of
// os.Args (see Run) until it ends or is interrupted, and exits with status
// 1 if it fails.
func Main(run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := Run(ctx, run, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		stop()
		os.Exit(1)
	}
}

// Run parses args (see Parse) and runs the demo with a context that ends
// at the timeout they give.
func Run(ctx context.Context, run RunFunc, args []string, stdout io.Writer) error {
	cfg, err := Parse(args, stdout)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	return run(ctx, cfg, stdout)
}
