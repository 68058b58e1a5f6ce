// Package demotest holds what the example demos' tests share: running a
// demo in-process, masking what changes from run to run in its output, and
// running it against a registry and a cluster given by flags.
package demotest

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/examples/internal/demoenv"
)

var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)
	timeRE = regexp.MustCompile(`time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
)

// Run runs the demo with args, within a minute, and returns what it
// printed. It fails t if the demo fails.
func Run(t testing.TB, run demoenv.RunFunc, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := demoenv.Run(ctx, run, args, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String()
}

// Mask replaces the random CloudEvents ids in out with <uuid> and their
// times with time=<now>. It fails t unless out has ids ids.
func Mask(t testing.TB, out string, ids int) string {
	t.Helper()
	if n := len(uuidRE.FindAllString(out, -1)); n != ids {
		t.Errorf("%d event ids in the output, want %d", n, ids)
	}
	out = uuidRE.ReplaceAllString(out, "<uuid>")
	return timeRE.ReplaceAllString(out, "time=<now>")
}

// External runs the demo with --registry and --brokers against a registry
// and an empty cluster started here, as real ones would be, so that the
// demo creates its topics itself. It checks that the demo says which
// registry it uses, prints the CloudEvents attributes of events records and
// finishes.
func External(t testing.TB, run demoenv.RunFunc, events int) {
	t.Helper()
	f, err := demoenv.StartFakes()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := Run(t, run, f.Args()...)
	if !strings.HasPrefix(got, "using the Schema Registry at "+f.Registry.URL()) || !strings.HasSuffix(got, "records; done\n") ||
		strings.Count(got, "cloudevents: specversion=1.0") != events {
		t.Errorf("output:\n%s", got)
	}
}
