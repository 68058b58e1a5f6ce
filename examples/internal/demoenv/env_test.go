package demoenv

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime/router"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// topics returns the topics of the cluster at seeds, sorted, with their
// partition counts.
func topics(t *testing.T, ctx context.Context, seeds []string) map[string]int {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	details, err := kadm.NewClient(cl).ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, d := range details.Sorted() {
		got[d.Topic] = len(d.Partitions)
	}
	return got
}

// startFakes starts a registry and a cluster, stopped when t ends, and
// returns the configuration that --registry and --brokers give for them.
func startFakes(t *testing.T) (*Fakes, Config) {
	t.Helper()
	f, err := StartFakes()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	cfg, err := Parse(f.Args(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return f, cfg
}

func TestStart_InProcess(t *testing.T) {
	ctx := testContext(t)
	var out bytes.Buffer
	env, err := Start(ctx, Config{}, &out, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "using an in-process Schema Registry (srfake) and Kafka (kfake)\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if got := topics(t, ctx, env.Seeds); got["a"] != 1 || got["b"] != 1 {
		t.Errorf("topics %v, want a and b with one partition each", got)
	}
	if resp, err := http.Get(env.Registry + "/subjects"); err != nil {
		t.Errorf("registry at %s: %v", env.Registry, err)
	} else {
		resp.Body.Close()
	}
	env.Close()
	if resp, err := http.Get(env.Registry + "/subjects"); err == nil {
		resp.Body.Close()
		t.Errorf("the in-process registry still answers after Close")
	}
}

func TestStart_External(t *testing.T) {
	ctx := testContext(t)
	f, cfg := startFakes(t)
	var out bytes.Buffer
	env, err := Start(ctx, cfg, &out, "a")
	if err != nil {
		t.Fatal(err)
	}
	env.Close()
	// Again, with a topic that exists and one that does not.
	env, err = Start(ctx, cfg, &out, "a", "b")
	if err != nil {
		t.Fatalf("Start with an existing topic: %v", err)
	}
	defer env.Close()
	line := "using the Schema Registry at " + f.Registry.URL() + " and Kafka at " + strings.Join(f.Cluster.ListenAddrs(), ",") + "\n"
	if got, want := out.String(), line+line; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if env.Registry != f.Registry.URL() || !slices.Equal(env.Seeds, f.Cluster.ListenAddrs()) {
		t.Errorf("env at %s %v, want the fakes' %s %v", env.Registry, env.Seeds, f.Registry.URL(), f.Cluster.ListenAddrs())
	}
	if got := topics(t, ctx, env.Seeds); len(got) != 2 || got["a"] != 1 || got["b"] != 1 {
		t.Errorf("topics %v, want a and b with one partition each", got)
	}
}

func TestStart_Unreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cfg := Config{Registry: "http://127.0.0.1:1", Brokers: []string{"127.0.0.1:1"}}
	if _, err := Start(ctx, cfg, &bytes.Buffer{}, "a"); err == nil {
		t.Error("Start with no cluster succeeded")
	}
}

func TestEnv_Register(t *testing.T) {
	ctx := testContext(t)
	var out bytes.Buffer
	env, err := Start(ctx, Config{}, &out, "squarebot.messages")
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	out.Reset()
	if err := env.Register(ctx, (*squarebot.SquarebotMessageKey)(nil), (*squarebot.SquarebotMessage)(nil)); err != nil {
		t.Fatal(err)
	}
	want := "registered squarebot.message_key under subject squarebot.message_key\n" +
		"registered squarebot.message under subject squarebot.message\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestEnv_Consume produces a record before Start and two after it, and
// consumes: only the two are read, and Consume returns once both are
// counted.
func TestEnv_Consume(t *testing.T) {
	ctx := testContext(t)
	_, cfg := startFakes(t)
	early, err := Start(ctx, cfg, &bytes.Buffer{}, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	if err := early.Client.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte("before")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	var out bytes.Buffer
	env, err := Start(ctx, cfg, &out, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for _, v := range []string{"one", "two"} {
		if err := env.Client.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	done := NewCountdown(ctx, 2)
	var got []string
	r, err := router.New(env.Serde,
		// No routes: every record is reported.
		router.OnUnmatched(router.Skip),
		router.ReportFunc(func(_ context.Context, rec *router.Record, _ error) {
			got = append(got, string(rec.Value))
			done.Count()
		}))
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Consumer(r, "evc-demoenv-test", "t")
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := env.Consume(c, done); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"one", "two"}) {
		t.Errorf("consumed %q, want this run's records only", got)
	}
	if want := "consumed 2 records; done\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestEnv_Consume_GivesUp(t *testing.T) {
	var out bytes.Buffer
	env, err := Start(testContext(t), Config{}, &out, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	r, err := router.New(env.Serde)
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Consumer(r, "evc-demoenv-test", "t")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	done := NewCountdown(ctx, 2)
	done.Count()
	err = env.Consume(c, done)
	if err == nil || err.Error() != "consumed 1 of 2 records before giving up: context deadline exceeded" ||
		!errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Consume = %v", err)
	}
}

func TestCountdown(t *testing.T) {
	done := NewCountdown(context.Background(), 3)
	for i := range 3 {
		if err := done.ctx.Err(); err != nil {
			t.Fatalf("ended after %d of 3 counts: %v", i, err)
		}
		done.Count()
	}
	if done.ctx.Err() == nil {
		t.Error("not ended after 3 of 3 counts")
	}
	if seen, total := done.counts(); seen != 3 || total != 3 {
		t.Errorf("counts = %d, %d", seen, total)
	}
}

// codecHook records the compression codec of each fetched batch.
type codecHook struct {
	mu     sync.Mutex
	codecs []uint8
}

func (h *codecHook) OnFetchBatchRead(_ kgo.BrokerMetadata, _ string, _ int32, m kgo.FetchBatchMetrics) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.codecs = append(h.codecs, m.CompressionType)
}

// TestStart_ClientWritesGzip checks that the demos write batches that
// kafkajs reads out of the box: gzip (codec 1), not franz-go's snappy.
func TestStart_ClientWritesGzip(t *testing.T) {
	ctx := testContext(t)
	env, err := Start(ctx, Config{}, io.Discard, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for range 3 {
		if err := env.Client.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte(strings.Repeat("compressible ", 20))}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	hook := &codecHook{}
	cl, err := kgo.NewClient(kgo.SeedBrokers(env.Seeds...), kgo.ConsumeTopics("t"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.WithHooks(hook))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for n := 0; n < 3; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		n += fs.NumRecords()
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	for _, c := range hook.codecs {
		if c != 1 {
			t.Errorf("a batch has compression codec %d, want 1 (gzip)", c)
		}
	}
	if len(hook.codecs) == 0 {
		t.Error("no batch fetched")
	}
}
