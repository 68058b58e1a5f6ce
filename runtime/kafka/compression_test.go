package kafka_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/kafka"
)

// batchCodecs records the compression codec of each batch a client fetches
// (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
type batchCodecs struct {
	mu     sync.Mutex
	codecs []uint8
}

func (h *batchCodecs) OnFetchBatchRead(_ kgo.BrokerMetadata, _ string, _ int32, m kgo.FetchBatchMetrics) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.codecs = append(h.codecs, m.CompressionType)
}

// TestProducerOpts_Gzip produces with ProducerOpts and reads the stored
// batches back: they are gzip, which every mainstream client reads, and
// not franz-go's default snappy, which kafkajs cannot.
func TestProducerOpts_Gzip(t *testing.T) {
	e := newEnv(t, 1, "chat")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := kafka.NewProducer(e.client(t, kafka.ProducerOpts()...), e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := p.Produce(ctx, &ChatMessage{Text: "hello, hello, hello", N: int32(i)}); err != nil {
			t.Fatal(err)
		}
	}
	hook := &batchCodecs{}
	cl := e.client(t, kgo.ConsumeTopics("chat"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.WithHooks(hook))
	for n := 0; n < 3; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		n += fs.NumRecords()
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if len(hook.codecs) == 0 {
		t.Fatal("no batch fetched")
	}
	for _, c := range hook.codecs {
		if c != 1 {
			t.Errorf("a batch has compression codec %d, want 1 (gzip)", c)
		}
	}
}
