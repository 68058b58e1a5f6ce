package kafka_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

// seen records what handlers handled, by partition and offset.
type seen struct {
	mu   sync.Mutex
	recs []string // "p/offset user text n"
	ces  []cloudevents.Event
}

func (s *seen) add(ctx context.Context, k *ChatKey, v *ChatMessage) {
	rec, _ := router.FromContext(ctx)
	ev, _, _ := cloudevents.FromContext(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, fmt.Sprintf("%d/%d %s %s %d", rec.Partition, rec.Offset, k.User, v.Text, v.N))
	s.ces = append(s.ces, ev)
}

func (s *seen) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recs)
}

func (s *seen) snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recs)
}

// produceN produces n chat messages with keys user0..user{n%users}.
func produceN(t *testing.T, ctx context.Context, p *kafka.Producer, from, n int) []*kgo.Record {
	t.Helper()
	var out []*kgo.Record
	for i := from; i < from+n; i++ {
		rec, err := p.Produce(ctx, &ChatMessage{Text: fmt.Sprintf("m%d", i), N: int32(i)},
			kafka.Key(&ChatKey{User: fmt.Sprintf("user%d", i%3)}),
			kafka.EventID(fmt.Sprintf("id-%d", i)),
			kafka.EventTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// committed returns the group's committed offsets of topic, by partition.
func committed(t *testing.T, ctx context.Context, e *env, group, topic string) map[int32]int64 {
	t.Helper()
	adm := kadm.NewClient(e.client(t))
	offs, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int32]int64{}
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic {
			out[o.Partition] = o.At
		}
	})
	return out
}

func startConsumer(t *testing.T, ctx context.Context, e *env, r *router.Router, group string) (*kafka.Consumer, chan error) {
	t.Helper()
	c, err := kafka.NewConsumer(e.consumerClient(t, group), r, kafka.Concurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	return c, done
}

func TestConsumer_EndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 3, "chat")
	p, err := kafka.NewProducer(e.client(t), e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	produced := produceN(t, ctx, p, 0, 30)

	r, err := router.New(e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	var s seen
	if err := router.Handle(r, []string{"chat"}, func(ctx context.Context, _ string, k *ChatKey, v *ChatMessage) error {
		s.add(ctx, k, v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	_, done := startConsumer(t, runCtx, e, r, "g1")
	waitFor(t, ctx, "30 records", func() bool { return s.len() >= 30 })
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}

	var want []string
	wantCommit := map[int32]int64{}
	for _, rec := range produced {
		var m ChatMessage
		var k ChatKey
		if _, err := chatMsgSchema.Decode(rec.Value[5:], &m); err != nil {
			t.Fatal(err)
		}
		if _, err := chatKeySchema.Decode(rec.Key[5:], &k); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("%d/%d %s %s %d", rec.Partition, rec.Offset, k.User, m.Text, m.N))
		wantCommit[rec.Partition] = max(wantCommit[rec.Partition], rec.Offset+1)
	}
	got := s.snapshot()
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("handled\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, ev := range s.ces {
		if ev.Type != "dev.evc.test.chat.message.v1" || ev.Source != "/evc/test" || ev.SpecVersion != "1.0" ||
			!strings.HasPrefix(ev.ID, "id-") || !ev.Time.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) ||
			ev.ContentType != "application/avro" {
			t.Errorf("CloudEvent %+v", ev)
		}
	}
	if got := committed(t, ctx, e, "g1", "chat"); !mapsEqual(got, wantCommit) {
		t.Errorf("committed %v, want %v", got, wantCommit)
	}
}

func mapsEqual(a, b map[int32]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestConsumer_FailingHandlerRecovers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat")
	p, _ := kafka.NewProducer(e.client(t), e.mgr)
	produceN(t, ctx, p, 0, 5)

	r, _ := router.New(e.mgr, router.HandlerRetry(router.Retry{Attempts: 4, Backoff: time.Millisecond}))
	var s seen
	var mu sync.Mutex
	attempts := map[int32]int{}
	if err := router.Handle(r, []string{"chat"}, func(ctx context.Context, _ string, k *ChatKey, v *ChatMessage) error {
		mu.Lock()
		attempts[v.N]++
		n := attempts[v.N]
		mu.Unlock()
		if v.N == 2 && n < 3 {
			return errors.New("database busy")
		}
		s.add(ctx, k, v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	_, done := startConsumer(t, runCtx, e, r, "g")
	waitFor(t, ctx, "5 records", func() bool { return s.len() >= 5 })
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	want := []string{"0/0 user0 m0 0", "0/1 user1 m1 1", "0/2 user2 m2 2", "0/3 user0 m3 3", "0/4 user1 m4 4"}
	if got := s.snapshot(); !slices.Equal(got, want) {
		t.Errorf("handled %q, want %q (in order)", got, want)
	}
	if attempts[2] != 3 || attempts[1] != 1 || attempts[3] != 1 {
		t.Errorf("attempts %v, want 3 for record 2 and 1 for the others", attempts)
	}
	if got := committed(t, ctx, e, "g", "chat"); got[0] != 5 {
		t.Errorf("committed %v, want 5", got)
	}
}

func TestConsumer_PoisonToDeadLetterTopic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat", "chat.dlq")
	cl := e.client(t)
	p, _ := kafka.NewProducer(cl, e.mgr)
	produceN(t, ctx, p, 0, 2)
	poison := &kgo.Record{Topic: "chat", Key: []byte("k"), Value: []byte("\x00\x00\x00\x00\x07not avro"),
		Headers: []kgo.RecordHeader{{Key: "origin", Value: []byte("fuzzer")}}}
	if err := cl.ProduceSync(ctx, poison).FirstErr(); err != nil {
		t.Fatal(err)
	}
	produceN(t, ctx, p, 2, 2)

	r, _ := router.New(e.mgr, router.OnDecodeFailure(router.DeadLetter), router.DeadLetterFunc(kafka.DeadLetterTopic(cl, "chat.dlq")))
	var s seen
	_ = router.Handle(r, []string{"chat"}, func(ctx context.Context, _ string, k *ChatKey, v *ChatMessage) error {
		s.add(ctx, k, v)
		return nil
	})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	_, done := startConsumer(t, runCtx, e, r, "g")
	waitFor(t, ctx, "4 good records", func() bool { return s.len() >= 4 })
	waitFor(t, ctx, "commit past the poison", func() bool { return committed(t, ctx, e, "g", "chat")[0] == 5 })
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	want := []string{"0/0 user0 m0 0", "0/1 user1 m1 1", "0/3 user2 m2 2", "0/4 user0 m3 3"}
	if got := s.snapshot(); !slices.Equal(got, want) {
		t.Errorf("handled %q, want %q", got, want)
	}

	dlq := e.client(t, kgo.ConsumeTopics("chat.dlq"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	fs := dlq.PollFetches(ctx)
	if err := fs.Err0(); err != nil {
		t.Fatal(err)
	}
	recs := fs.Records()
	if len(recs) != 1 {
		t.Fatalf("%d dead letters, want 1", len(recs))
	}
	dl := recs[0]
	hs := map[string]string{}
	for _, h := range dl.Headers {
		hs[h.Key] = string(h.Value)
	}
	if string(dl.Value) != string(poison.Value) || string(dl.Key) != "k" || hs["origin"] != "fuzzer" ||
		hs[kafka.HeaderDLQTopic] != "chat" || hs[kafka.HeaderDLQPartition] != "0" || hs[kafka.HeaderDLQOffset] != "2" ||
		!strings.HasPrefix(hs[kafka.HeaderDLQCause], `evc: cannot decode key of record at topic "chat" partition 0 offset 2`) {
		t.Errorf("dead letter key %q value %q headers %q", dl.Key, dl.Value, hs)
	}
}

// TestConsumer_Restart stops a consumer twice, once on a record it cannot
// handle and once by cancelling it, and checks that the next consumer of
// the group handles exactly the records the previous one did not.
func TestConsumer_Restart(t *testing.T) {
	for _, conc := range []int{1, 3} {
		t.Run(fmt.Sprintf("concurrency=%d", conc), func(t *testing.T) { testRestart(t, conc) })
	}
}

func testRestart(t *testing.T, concurrency int) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	e := newEnv(t, 3, "chat")
	p, _ := kafka.NewProducer(e.client(t), e.mgr)
	produced := produceN(t, ctx, p, 0, 40)
	all := map[string]bool{}
	for _, rec := range produced {
		all[fmt.Sprintf("%d/%d", rec.Partition, rec.Offset)] = true
	}

	handledBy := map[string]int{} // "p/offset" -> count, across consumers
	var mu sync.Mutex
	mark := func(ctx context.Context) {
		rec, _ := router.FromContext(ctx)
		mu.Lock()
		handledBy[fmt.Sprintf("%d/%d", rec.Partition, rec.Offset)]++
		mu.Unlock()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(handledBy) }

	// First consumer: stops (Stop policy) on message 17.
	r1, _ := router.New(e.mgr, router.HandlerRetry(router.Retry{Attempts: 2, Backoff: time.Millisecond}))
	_ = router.Handle(r1, []string{"chat"}, func(ctx context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
		if v.N == 17 {
			return errors.New("cannot handle 17 today")
		}
		mark(ctx)
		return nil
	})
	c1, err := kafka.NewConsumer(e.consumerClient(t, "g"), r1, kafka.Concurrency(concurrency))
	if err != nil {
		t.Fatal(err)
	}
	err = c1.Run(ctx)
	var he *router.HandlerError
	if !errors.As(err, &he) || he.Attempts != 2 {
		t.Fatalf("Run = %v, want a *HandlerError after 2 attempts", err)
	}
	first := count()

	// Second consumer: cancels itself after half the remaining records.
	half := (40 - first) / 2
	if half < 1 {
		t.Fatalf("first consumer handled %d of 40 records", first)
	}
	r2, _ := router.New(e.mgr)
	ctx2, stop2 := context.WithCancel(ctx)
	defer stop2()
	var n2 atomic.Int64
	_ = router.Handle(r2, []string{"chat"}, func(ctx context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
		mark(ctx)
		if n2.Add(1) == int64(half) {
			stop2()
		}
		return nil
	})
	c2, _ := kafka.NewConsumer(e.consumerClient(t, "g"), r2, kafka.Concurrency(concurrency))
	if err := c2.Run(ctx2); err != nil {
		t.Fatalf("second Run = %v", err)
	}
	// Partitions dispatched in parallel may each finish the record they
	// are on when the context ends.
	if got := int(n2.Load()); got < half || got > half+concurrency-1 {
		t.Fatalf("second consumer handled %d records after cancelling at %d", got, half)
	}

	// Third consumer: the rest.
	r3, _ := router.New(e.mgr)
	_ = router.Handle(r3, []string{"chat"}, func(ctx context.Context, _ string, _ *ChatKey, v *ChatMessage) error {
		mark(ctx)
		return nil
	})
	ctx3, stop3 := context.WithCancel(ctx)
	defer stop3()
	_, done := startConsumer(t, ctx3, e, r3, "g")
	waitFor(t, ctx, "all records", func() bool { return count() >= len(all) })
	stop3()
	if err := <-done; err != nil {
		t.Fatalf("third Run = %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	for k := range all {
		if handledBy[k] != 1 {
			t.Errorf("record %s handled %d times, want once", k, handledBy[k])
		}
	}
	if len(handledBy) != len(all) {
		t.Errorf("handled %d distinct records, want %d", len(handledBy), len(all))
	}
	if first >= 40 || first < 1 {
		t.Errorf("first consumer handled %d records before stopping", first)
	}
}

func TestProducer_Topics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat", "other")
	p, _ := kafka.NewProducer(e.client(t), e.mgr, kafka.DefaultSource("/fallback"))
	rec, err := p.Record(ctx, &ChatMessage{Text: "x"}, kafka.Topic("other"), kafka.RawKey([]byte("raw")), kafka.NoCloudEvents())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Topic != "other" || string(rec.Key) != "raw" || len(rec.Headers) != 0 || rec.Value[0] != 0 {
		t.Errorf("record %+v", rec)
	}
	if _, err := p.Record(ctx, &ChatKey{User: "u"}); err == nil || err.Error() != `evc: kafka: type "evc.kafkatest.ChatKey" declares no topic; pass kafka.Topic` {
		t.Errorf("Record for a key type = %v", err)
	}
	if _, err := p.Record(ctx, &ChatMessage{}, kafka.Key(&ChatKey{}), kafka.RawKey(nil)); err == nil {
		t.Error("Key and RawKey accepted together")
	}
	if _, err := p.Record(ctx, nil); err == nil {
		t.Error("nil value accepted")
	}
}
