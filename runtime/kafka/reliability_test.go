package kafka_test

// Reliability tests: at-least-once through chaos, restarts, rebalances and
// hard stops; a registry outage is not poison; a poison record never blocks
// its partition. REL_N sets the record count of the long ones.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// produceFast produces n records asynchronously and waits for all acks.
func produceFast(t *testing.T, ctx context.Context, e *env, n int) {
	t.Helper()
	cl := e.client(t, kgo.ProducerLinger(5*time.Millisecond))
	p, _ := kafka.NewProducer(cl, e.mgr)
	var wg sync.WaitGroup
	var perr atomic.Value
	for i := 0; i < n; i++ {
		rec, err := p.Record(ctx, &ChatMessage{Text: "m", N: int32(i)}, kafka.Key(&ChatKey{User: fmt.Sprintf("user%d", i%97)}))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		cl.Produce(ctx, rec, func(_ *kgo.Record, err error) {
			if err != nil {
				perr.Store(err)
			}
			wg.Done()
		})
	}
	wg.Wait()
	if err := perr.Load(); err != nil {
		t.Fatal(err)
	}
}

// dlqNumbers reads every record of the dead-letter topic and returns the
// message numbers in it.
func dlqNumbers(t *testing.T, ctx context.Context, e *env, topic string, want int) map[int32]int {
	t.Helper()
	out := map[int32]int{}
	cl := e.client(t, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	total := 0
	deadline := time.Now().Add(5 * time.Second)
	for total < want && time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		fs.EachRecord(func(r *kgo.Record) {
			var m ChatMessage
			if err := m.UnmarshalAvro(r.Value[5:]); err == nil {
				out[m.N]++
			}
			total++
		})
	}
	return out
}

// committedSafe is like committed, but returns an empty map rather than
// failing while the group does not exist yet.
func committedSafe(ctx context.Context, e *env, group, topic string) map[int32]int64 {
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.brokers...))
	if err != nil {
		return nil
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	offs, err := adm.FetchOffsets(ctx, group)
	out := map[int32]int64{}
	if err != nil {
		return out
	}
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic {
			out[o.Partition] = o.At
		}
	})
	return out
}

// TestRel_AtLeastOnceChaos: N records on 4 partitions; the handler fails
// at random, panics at random and is slow at random; the consumer is
// cancelled at random moments and restarted in the same group; failing
// records go to a dead-letter topic after 3 attempts. Every record must
// end up handled or dead-lettered: count the lost and the duplicated.
func TestRel_AtLeastOnceChaos(t *testing.T) {
	n := envInt("REL_N", 2000)
	for _, conc := range []int{1, 4} {
		t.Run(fmt.Sprintf("concurrency=%d", conc), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			e := newEnv(t, 4, "chat", "chat.dlq")
			produceFast(t, ctx, e, n)
			dlqCl := e.client(t)

			var mu sync.Mutex
			handled := map[int32]int{}  // successful handler returns per message
			settled := map[int32]bool{} // handled or dead-lettered
			deadLetters := 0            // produced to chat.dlq
			rng := rand.New(rand.NewPCG(1, uint64(conc)))
			restarts := 0
			toDLQ := kafka.DeadLetterTopic(dlqCl, "chat.dlq")
			deadLetter := func(ctx context.Context, rec *router.Record, cause error) error {
				if err := toDLQ(ctx, rec, cause); err != nil {
					return err
				}
				var m ChatMessage
				err := m.UnmarshalAvro(rec.Value[5:])
				mu.Lock()
				deadLetters++
				if err == nil {
					settled[m.N] = true
				}
				mu.Unlock()
				return nil
			}
			for {
				mu.Lock()
				done := len(settled)
				mu.Unlock()
				if done >= n || ctx.Err() != nil || restarts > 500 {
					break
				}
				restarts++
				r, _ := router.New(e.mgr, router.OnHandlerFailure(router.DeadLetter), router.DeadLetterFunc(deadLetter),
					router.HandlerRetry(router.Retry{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}),
					router.Logger(slog.New(slog.DiscardHandler)))
				var hmu sync.Mutex
				_ = router.Handle(r, []string{"chat"}, func(ctx context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
					hmu.Lock()
					x := rng.Float64()
					hmu.Unlock()
					switch {
					case x < 0.10:
						return errors.New("random failure")
					case x < 0.12:
						panic("random panic")
					case x < 0.13:
						time.Sleep(5 * time.Millisecond)
					}
					mu.Lock()
					handled[v.N]++
					settled[v.N] = true
					mu.Unlock()
					return nil
				})
				cl := e.consumerClient(t, "g", kgo.FetchMaxBytes(64<<10))
				c, err := kafka.NewConsumer(cl, r, kafka.Concurrency(conc))
				if err != nil {
					t.Fatal(err)
				}
				rctx, stop := context.WithCancel(ctx)
				delay := time.Duration(30+rng.IntN(120)) * time.Millisecond // before any handler uses rng
				go func() {
					time.Sleep(delay)
					stop()
				}()
				if err := c.Run(rctx); err != nil {
					t.Logf("run %d: %v", restarts, err)
				}
				stop()
				cl.Close()
			}
			dlq := dlqNumbers(t, ctx, e, "chat.dlq", deadLetters)
			lost, dup, both, dlqDup := 0, 0, 0, 0
			for i := int32(0); i < int32(n); i++ {
				h, d := handled[i], dlq[i]
				switch {
				case h == 0 && d == 0:
					lost++
				case h > 0 && d > 0:
					both++
				}
				if h > 1 {
					dup += h - 1
				}
				if d > 1 {
					dlqDup += d - 1
				}
			}
			t.Logf("N=%d concurrency=%d: %d runs; handled %d distinct; dead-lettered %d distinct; LOST %d; duplicate handlings %d; handled and also dead-lettered %d; duplicate dead letters %d",
				n, conc, restarts, len(handled), len(dlq), lost, dup, both, dlqDup)
			if lost > 0 {
				t.Errorf("%d records lost", lost)
			}
		})
	}
}

// flakyRegistry is srfake behind a front that can refuse service (503).
type flakyRegistry struct {
	reg  *srfake.Registry
	srv  *httptest.Server
	down atomic.Bool
}

func newFlakyRegistry(t *testing.T) *flakyRegistry {
	f := &flakyRegistry{reg: srfake.NewRegistry()}
	inner := f.reg.Handler()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// TestRel_RegistryOutageIsNotPoison: a consumer with a cold schema cache
// starts while the registry answers 503 (a deploy, a blip). Its records
// are not corrupt; they are decodable a second later. With the common
// DecodeFailure: DeadLetter (or Skip) policy, what happens to them?
func TestRel_RegistryOutageIsNotPoison(t *testing.T) {
	for _, pol := range []router.Policy{router.DeadLetter, router.Skip} {
		t.Run(pol.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			fr := newFlakyRegistry(t)
			e := newEnv(t, 1, "chat", "chat.dlq")
			// Producer registers in the flaky registry (up).
			pm, _ := serde.New(serde.URLs(fr.srv.URL))
			p, _ := kafka.NewProducer(e.client(t), pm)
			for i := 0; i < 50; i++ {
				if _, err := p.Produce(ctx, &ChatMessage{Text: "m", N: int32(i)}, kafka.Key(&ChatKey{User: "u"})); err != nil {
					t.Fatal(err)
				}
			}
			// The registry goes down for 2 seconds.
			fr.down.Store(true)
			time.AfterFunc(2*time.Second, func() { fr.down.Store(false) })

			cm, _ := serde.New(serde.URLs(fr.srv.URL), serde.Retries(3, 50*time.Millisecond, 200*time.Millisecond))
			_ = cm.AddTypes((*ChatKey)(nil), (*ChatMessage)(nil))
			var skipped atomic.Int64
			r, _ := router.New(cm, router.OnDecodeFailure(pol), router.DeadLetterFunc(kafka.DeadLetterTopic(e.client(t), "chat.dlq")), router.ReportFunc(func(context.Context, *router.Record, error) { skipped.Add(1) }))
			var handled atomic.Int64
			_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error {
				handled.Add(1)
				return nil
			})
			rctx, stop := context.WithCancel(ctx)
			_, done := startConsumer(t, rctx, e, r, "g")
			deadline := time.Now().Add(8 * time.Second)
			for time.Now().Before(deadline) && committedSafe(ctx, e, "g", "chat")[0] < 50 {
				time.Sleep(50 * time.Millisecond)
			}
			stop()
			<-done
			var dl int
			if pol == router.DeadLetter {
				dl = len(dlqNumbers(t, ctx, e, "chat.dlq", 50))
			}
			t.Logf("policy %s: 50 good records; handled %d; dead-lettered %d; skipped %d; committed offset %d",
				pol, handled.Load(), dl, skipped.Load(), committedSafe(ctx, e, "g", "chat")[0])
			if handled.Load() != 50 {
				t.Errorf("only %d of 50 valid records reached the handler; the rest were treated as undecodable because the registry was briefly down", handled.Load())
			}
		})
	}
}

// TestRel_ShutdownDuringSchemaFetch: Skip policy for decode failures; the
// consumer is cancelled while it fetches a schema from a slow registry.
func TestRel_ShutdownDuringSchemaFetch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fr := newFlakyRegistry(t)
	e := newEnv(t, 1, "chat")
	pm, _ := serde.New(serde.URLs(fr.srv.URL))
	p, _ := kafka.NewProducer(e.client(t), pm)
	for i := 0; i < 5; i++ {
		if _, err := p.Produce(ctx, &ChatMessage{Text: "m", N: int32(i)}, kafka.Key(&ChatKey{User: "u"})); err != nil {
			t.Fatal(err)
		}
	}
	fr.down.Store(true) // 503s: the consumer's fetch retries with backoff
	cm, _ := serde.New(serde.URLs(fr.srv.URL), serde.Retries(50, 100*time.Millisecond, 100*time.Millisecond))
	_ = cm.AddTypes((*ChatKey)(nil), (*ChatMessage)(nil))
	var skipped []string
	var mu sync.Mutex
	r, _ := router.New(cm, router.OnDecodeFailure(router.Skip), router.ReportFunc(func(_ context.Context, rec *router.Record, cause error) {
		mu.Lock()
		skipped = append(skipped, fmt.Sprintf("offset %d: %v", rec.Offset, cause))
		mu.Unlock()
	}))
	_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error { return nil })
	rctx, stop := context.WithCancel(ctx)
	_, done := startConsumer(t, rctx, e, r, "g")
	time.Sleep(1500 * time.Millisecond) // the consumer is inside the schema fetch
	stop()
	err := <-done
	mu.Lock()
	defer mu.Unlock()
	t.Logf("Run = %v; skipped %d: %q; committed %v", err, len(skipped), skipped, committedSafe(ctx, e, "g", "chat"))
	if c := committedSafe(ctx, e, "g", "chat")[0]; c > 0 {
		t.Errorf("shutdown committed offset %d: %d valid records skipped, never handled", c, c)
	}
}

// TestRel_Rebalance: two consumers in one group share 6 partitions; one
// leaves halfway. Count lost and duplicated records.
func TestRel_Rebalance(t *testing.T) {
	n := envInt("REL_N", 2000)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := newEnv(t, 6, "chat")
	produceFast(t, ctx, e, n)
	var mu sync.Mutex
	handled := map[int32]int{}
	var total atomic.Int64
	mk := func() *router.Router {
		r, _ := router.New(e.mgr)
		_ = router.Handle(r, []string{"chat"}, func(_ context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
			time.Sleep(50 * time.Microsecond)
			mu.Lock()
			handled[v.N]++
			mu.Unlock()
			total.Add(1)
			return nil
		})
		return r
	}
	c1, _ := kafka.NewConsumer(e.consumerClient(t, "g", kgo.FetchMaxBytes(32<<10)), mk(), kafka.Concurrency(3))
	c2, _ := kafka.NewConsumer(e.consumerClient(t, "g", kgo.FetchMaxBytes(32<<10)), mk(), kafka.Concurrency(3))
	ctx1, stop1 := context.WithCancel(ctx)
	ctx2, stop2 := context.WithCancel(ctx)
	d1, d2 := make(chan error, 1), make(chan error, 1)
	go func() { d1 <- c1.Run(ctx1) }()
	go func() { d2 <- c2.Run(ctx2) }()
	for total.Load() < int64(n/2) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	stop2() // c2 leaves the group mid-stream
	e2 := <-d2
	for {
		mu.Lock()
		l := len(handled)
		mu.Unlock()
		if l >= n || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop1()
	e1 := <-d1
	lost, dup := 0, 0
	for i := int32(0); i < int32(n); i++ {
		if handled[i] == 0 {
			lost++
		}
		if handled[i] > 1 {
			dup += handled[i] - 1
		}
	}
	t.Logf("N=%d: c1 %v, c2 %v; LOST %d; duplicates %d", n, e1, e2, lost, dup)
	if lost > 0 {
		t.Errorf("%d lost", lost)
	}
}

// TestRel_PanicDeadLetterHeaders: a dead letter of a panicking handler
// carries a short cause, without the stack (which is logged).
func TestRel_PanicDeadLetterHeaders(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat", "chat.dlq")
	p, _ := kafka.NewProducer(e.client(t), e.mgr)
	produceN(t, ctx, p, 0, 1)
	var logs syncBuffer
	r, _ := router.New(e.mgr, router.OnHandlerFailure(router.DeadLetter), router.DeadLetterFunc(kafka.DeadLetterTopic(e.client(t), "chat.dlq")),
		router.HandlerRetry(router.Retry{Attempts: 2, Backoff: time.Millisecond}), router.Logger(slog.New(slog.NewTextHandler(&logs, nil))))
	_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error {
		panic("a panic message " + strings.Repeat("that goes on ", 100))
	})
	rctx, stop := context.WithCancel(ctx)
	_, done := startConsumer(t, rctx, e, r, "g")
	waitFor(t, ctx, "commit", func() bool { return committedSafe(ctx, e, "g", "chat")[0] == 1 })
	stop()
	<-done
	dl := readDLQ(t, ctx, e, "chat.dlq", 1)
	cause, _ := header(dl[0], kafka.HeaderDLQCause)
	if len(cause) > kafka.MaxCauseHeader || !strings.Contains(cause, "handler panicked: a panic message") ||
		strings.Contains(cause, "goroutine") || !strings.HasSuffix(cause, "…") {
		t.Errorf("cause header (%d bytes) %q", len(cause), cause)
	}
	if !strings.Contains(logs.String(), "reliability_test.go") {
		t.Error("the panic's stack was not logged")
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// readDLQ reads want records of topic from its start.
func readDLQ(t *testing.T, ctx context.Context, e *env, topic string, want int) []*kgo.Record {
	t.Helper()
	cl := e.client(t, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxBytes(4<<20))
	var out []*kgo.Record
	for len(out) < want {
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records from %s", len(out), want, topic)
		}
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

func header(r *kgo.Record, key string) (string, bool) {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value), true
		}
	}
	return "", false
}

// TestRel_HardStop: the consumer's client is closed under it (as a crash
// would leave the group: nothing committed after the last poll) at random
// moments, and restarted. Duplicates are expected; how many, and is
// anything lost?
func TestRel_HardStop(t *testing.T) {
	n := envInt("REL_N", 2000)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	e := newEnv(t, 4, "chat")
	produceFast(t, ctx, e, n)
	var mu sync.Mutex
	handled := map[int32]int{}
	rng := rand.New(rand.NewPCG(7, 7))
	kills := 0
	for {
		mu.Lock()
		l := len(handled)
		mu.Unlock()
		if l >= n || ctx.Err() != nil || kills > 200 {
			break
		}
		r, _ := router.New(e.mgr)
		_ = router.Handle(r, []string{"chat"}, func(_ context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
			mu.Lock()
			time.Sleep(200 * time.Microsecond)
			handled[v.N]++
			mu.Unlock()
			return nil
		})
		c, _ := kafka.NewConsumer(e.consumerClient(t, "g", kgo.FetchMaxBytes(64<<10)), r, kafka.Concurrency(2))
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx) }()
		time.Sleep(time.Duration(50+rng.IntN(200)) * time.Millisecond)
		c.Client().Close() // no final commit, no orderly leave
		<-done
		kills++
	}
	lost, dup := 0, 0
	for i := int32(0); i < int32(n); i++ {
		if handled[i] == 0 {
			lost++
		}
		if handled[i] > 1 {
			dup += handled[i] - 1
		}
	}
	t.Logf("N=%d, %d hard stops: LOST %d, duplicate handlings %d (%.1f per stop)", n, kills, lost, dup, float64(dup)/float64(kills))
	if lost > 0 {
		t.Errorf("%d lost", lost)
	}
}

// TestRel_BigPoisonCannotBeDeadLettered: an undecodable record close to
// the producer's batch limit fits on its topic, but not with the
// dead-letter headers added. The dead letter falls back to the headers and
// the record's place without the value, and the partition moves on.
func TestRel_BigPoisonCannotBeDeadLettered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat", "chat.dlq")
	cl := e.client(t)
	var size int
	for size = 1_000_000; size > 990_000; size -= 100 {
		v := make([]byte, size)
		v[0], v[4] = 0, 1 // wire format, schema id 1, garbage payload
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "chat", Key: []byte("k"), Value: v,
			Headers: []kgo.RecordHeader{{Key: "trace", Value: []byte("t1")}}}).FirstErr(); err == nil {
			break
		}
	}
	t.Logf("largest poison record produced: %d bytes", size)
	p, _ := kafka.NewProducer(cl, e.mgr)
	produceN(t, ctx, p, 0, 1) // a good record after the poison one
	var handled atomic.Int64
	r, _ := router.New(e.mgr, router.OnDecodeFailure(router.DeadLetter), router.DeadLetterFunc(kafka.DeadLetterTopic(cl, "chat.dlq")))
	_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error { handled.Add(1); return nil })
	rctx, stop := context.WithCancel(ctx)
	_, done := startConsumer(t, rctx, e, r, "g")
	waitFor(t, ctx, "commit past the poison record", func() bool { return committedSafe(ctx, e, "g", "chat")[0] == 2 })
	stop()
	if err := <-done; err != nil || handled.Load() != 1 {
		t.Fatalf("Run = %v, handled %d; want nil, 1", err, handled.Load())
	}
	dl := readDLQ(t, ctx, e, "chat.dlq", 1)[0]
	want := map[string]string{
		kafka.HeaderDLQTopic: "chat", kafka.HeaderDLQPartition: "0", kafka.HeaderDLQOffset: "0",
		kafka.HeaderDLQOmitted: "value", kafka.HeaderDLQValueSize: strconv.Itoa(size), "trace": "t1",
	}
	for k, v := range want {
		if got, _ := header(dl, k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if dl.Value == nil || len(dl.Value) != 0 || string(dl.Key) != "k" {
		t.Errorf("dead letter key %q, value of %d bytes (nil %v); want the key and an empty, non-null value", dl.Key, len(dl.Value), dl.Value == nil)
	}
	if cause, _ := header(dl, kafka.HeaderDLQCause); !strings.Contains(cause, "cannot decode") {
		t.Errorf("cause %q", cause)
	}
}

// TestDeadLetter_KeyTooLarge: when even the key and headers are over the
// limit, the dead letter keeps only where the record is and why.
func TestDeadLetter_KeyTooLarge(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat.dlq")
	cl := e.client(t, kgo.ProducerBatchMaxBytes(4096))
	dead := kafka.DeadLetterTopic(cl, "chat.dlq")
	rec := &router.Record{Topic: "chat", Partition: 2, Offset: 9, Key: bytes.Repeat([]byte("k"), 5000), Value: []byte("v"),
		Headers: []router.Header{{Key: "h", Value: []byte("x")}}}
	if err := dead(ctx, rec, errors.New(strings.Repeat("é", 2000))); err != nil {
		t.Fatal(err)
	}
	dl := readDLQ(t, ctx, e, "chat.dlq", 1)[0]
	if len(dl.Key) != 0 || len(dl.Value) != 0 {
		t.Errorf("key %d bytes, value %d bytes; want none", len(dl.Key), len(dl.Value))
	}
	if got, _ := header(dl, kafka.HeaderDLQOmitted); got != "value,key,headers" {
		t.Errorf("omitted = %q", got)
	}
	if _, ok := header(dl, "h"); ok {
		t.Error("original header kept")
	}
	if got, _ := header(dl, kafka.HeaderDLQOffset); got != "9" {
		t.Errorf("offset header %q", got)
	}
	cause, _ := header(dl, kafka.HeaderDLQCause)
	if len(cause) > kafka.MaxCauseHeader || !utf8.ValidString(cause) || !strings.HasSuffix(cause, "é…") {
		t.Errorf("cause header is %d bytes, valid UTF-8 %v", len(cause), utf8.ValidString(cause))
	}
}
