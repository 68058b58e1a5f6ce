package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/evc-dev/evc/examples/internal/demoenv/demotest"
	"github.com/evc-dev/evc/internal/golden"
)

// normalize masks the random event ids and the times, and sorts the
// blocks of consumed records: records of different topics arrive in any
// order, while each record's lines stay together.
func normalize(t *testing.T, out string) string {
	out = demotest.Mask(t, out, 3)
	lines := strings.SplitAfter(out, "\n")
	var head, blocks []string
	var tail string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "record ") || strings.HasPrefix(l, "skipped "):
			blocks = append(blocks, l)
		case strings.HasPrefix(l, "  ") && len(blocks) > 0:
			blocks[len(blocks)-1] += l
		case len(blocks) == 0:
			head = append(head, l)
		default:
			tail += l
		}
	}
	slices.Sort(blocks)
	return strings.Join(head, "") + strings.Join(blocks, "") + tail
}

// TestRun runs the demo in-process and compares its normalized output with
// testdata/demo.golden.
func TestRun(t *testing.T) {
	got := normalize(t, demotest.Run(t, run))
	golden.Check(t, "testdata/demo.golden", []byte(got))
}

// TestRun_External runs the demo with --registry and --brokers, as against
// real services: the demo creates its topics itself.
func TestRun_External(t *testing.T) {
	demotest.External(t, run, 3)
}
