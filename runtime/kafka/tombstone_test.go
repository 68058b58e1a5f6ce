package kafka_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

// TestTombstones_CompactedTopic: a producer deletes keys of a compacted
// topic with tombstones; after compaction, a consumer rebuilding its view
// from the topic gets each key's last value, and the delete handler gets
// the deletes. A consumer without a delete handler is not halted by them.
func TestTombstones_CompactedTopic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := newEnv(t, 1)
	if err := e.cluster.CreateTopic("chat", 1, map[string]string{"cleanup.policy": "compact"}); err != nil {
		t.Fatal(err)
	}
	p, err := kafka.NewProducer(e.client(t), e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	put := func(user, text string) {
		if _, err := p.Produce(ctx, &ChatMessage{Text: text}, kafka.Key(&ChatKey{User: user})); err != nil {
			t.Fatal(err)
		}
	}
	put("ada", "v1")
	put("bob", "v1")
	put("ada", "v2")
	rec, err := p.Delete(ctx, &ChatKey{User: "bob"}) // the topic is the one the key type is declared on
	if err != nil {
		t.Fatal(err)
	}
	if rec.Topic != "chat" || rec.Value != nil || len(rec.Headers) != 0 {
		t.Fatalf("tombstone %+v", rec)
	}
	put("cy", "v1")
	put("end", "marker") // the active segment, which compaction leaves alone
	e.cluster.Compact()

	// The view a service rebuilds from the compacted topic.
	var mu sync.Mutex
	view := map[string]string{}
	var events []string
	r, err := router.New(e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(router.Handle(r, []string{"chat"}, func(_ context.Context, _ string, k *ChatKey, v *ChatMessage) error {
		mu.Lock()
		defer mu.Unlock()
		view[k.User] = v.Text
		events = append(events, "put "+k.User+"="+v.Text)
		return nil
	}))
	must(router.HandleDelete(r, []string{"chat"}, func(ctx context.Context, _ string, k *ChatKey) error {
		rec, _ := router.FromContext(ctx)
		mu.Lock()
		defer mu.Unlock()
		delete(view, k.User)
		events = append(events, fmt.Sprintf("delete %s at %d", k.User, rec.Offset))
		return nil
	}))
	runCtx, stop := context.WithCancel(ctx)
	_, done := startConsumer(t, runCtx, e, r, "view")
	waitFor(t, ctx, "the end marker", func() bool { mu.Lock(); defer mu.Unlock(); return view["end"] == "marker" })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ada": "v2", "cy": "v1", "end": "marker"}
	if !maps.Equal(view, want) {
		t.Errorf("view %v, want %v", view, want)
	}
	// Compaction dropped the superseded values: ada's v1 and bob's v1.
	wantEvents := "put ada=v2, delete bob at 3, put cy=v1, put end=marker"
	if got := strings.Join(events, ", "); got != wantEvents {
		t.Errorf("events %s, want %s", got, wantEvents)
	}

	// A consumer with value handlers only goes past the tombstone.
	r2, _ := router.New(e.mgr)
	n := 0
	must(router.Handle(r2, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error { n++; return nil }))
	runCtx2, stop2 := context.WithCancel(ctx)
	defer stop2()
	_, done2 := startConsumer(t, runCtx2, e, r2, "values-only")
	waitFor(t, ctx, "commit past the tombstone", func() bool { return committedSafe(ctx, e, "values-only", "chat")[0] == 6 })
	stop2()
	if err := <-done2; err != nil || n != 3 {
		t.Fatalf("Run = %v, handled %d; want nil, 3", err, n)
	}
}

func TestProducer_Delete(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat", "other")
	p, _ := kafka.NewProducer(e.client(t), e.mgr)
	rec, err := p.DeleteRecord(ctx, nil, kafka.RawKey([]byte("raw")), kafka.Topic("other"),
		kafka.Headers(kgo.RecordHeader{Key: "why", Value: []byte("gdpr")}))
	if err != nil || rec.Topic != "other" || string(rec.Key) != "raw" || rec.Value != nil || len(rec.Headers) != 1 {
		t.Errorf("DeleteRecord = %+v, %v", rec, err)
	}
	for _, tc := range []struct {
		name string
		key  *ChatKey
		opts []kafka.ProduceOption
		want string
	}{
		{"no key", nil, nil, "evc: kafka: a tombstone needs a key"},
		{"raw key without topic", nil, []kafka.ProduceOption{kafka.RawKey([]byte("k"))}, "evc: kafka: a tombstone with a raw key needs kafka.Topic"},
		{"both keys", &ChatKey{}, []kafka.ProduceOption{kafka.RawKey([]byte("k"))}, "evc: kafka: both a key and RawKey given"},
	} {
		var key runtime.Message // a nil *ChatKey is not a nil interface
		if tc.key != nil {
			key = tc.key
		}
		_, err := p.Delete(ctx, key, tc.opts...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if _, err := p.Delete(ctx, &ChatMessage{}); err == nil || err.Error() != `evc: kafka: type "evc.kafkatest.ChatMessage" is the key of no topic; pass kafka.Topic` {
		t.Errorf("Delete with a value type = %v", err)
	}
	if _, err := p.Record(ctx, nil); err == nil || !strings.Contains(err.Error(), "use Delete") {
		t.Errorf("Record(nil) = %v", err)
	}
}
