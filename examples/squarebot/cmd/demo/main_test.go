package main

import (
	"testing"

	"github.com/evc-dev/evc/examples/internal/demoenv/demotest"
	"github.com/evc-dev/evc/internal/golden"
)

// TestRun runs the demo in-process and compares its output, with the random
// event ids and the times masked, with testdata/demo.golden.
func TestRun(t *testing.T) {
	got := demotest.Mask(t, demotest.Run(t, run), 3)
	golden.Check(t, "testdata/demo.golden", []byte(got))
}

// TestRun_External runs the demo with --registry and --brokers, as against
// real services: the demo creates its topic itself.
func TestRun_External(t *testing.T) {
	demotest.External(t, run, 3)
}
