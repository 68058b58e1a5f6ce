package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/internal/golden"
)

var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)
	timeRE = regexp.MustCompile(`time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
)

// normalize replaces the random event ids and the times, and sorts the
// blocks of consumed records: records of different topics arrive in any
// order, while each record's lines stay together.
func normalize(out string) string {
	out = uuidRE.ReplaceAllString(out, "<uuid>")
	out = timeRE.ReplaceAllString(out, "time=<now>")
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
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, nil, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if n := len(uuidRE.FindAllString(out.String(), -1)); n != 3 {
		t.Errorf("%d event ids in the output, want 3", n)
	}
	golden.Check(t, "testdata/demo.golden", []byte(normalize(out.String())))
}

func TestRun_Flags(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--brokers", "127.0.0.1:1"}, &out)
	if err == nil || !strings.Contains(err.Error(), "give both --registry and --brokers") {
		t.Errorf("run with --brokers alone = %v", err)
	}
}

// TestRun_External runs the demo with --registry and --brokers, against a
// registry and a cluster started here, as real ones would be: the demo
// creates the topics itself.
func TestRun_External(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	reg := srfake.New()
	defer reg.Close()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	var out bytes.Buffer
	args := []string{"--registry", reg.URL(), "--brokers", strings.Join(cluster.ListenAddrs(), ",")}
	if err := run(ctx, args, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	if !strings.HasPrefix(got, "using the Schema Registry at "+reg.URL()) || !strings.HasSuffix(got, "records; done\n") ||
		strings.Count(got, "cloudevents: specversion=1.0") != 3 {
		t.Errorf("output:\n%s", got)
	}
}
