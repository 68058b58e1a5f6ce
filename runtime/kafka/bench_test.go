package kafka_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

// BenchmarkConsume measures the full consume path on kfake: poll, decode
// key and value through the schema manager, route, handle, commit. The
// records are produced before the timer starts.
func BenchmarkConsume(b *testing.B) {
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			e := newEnv(b, 4, "chat")
			cl := e.client(b, kgo.ProducerLinger(time.Millisecond))
			p, _ := kafka.NewProducer(cl, e.mgr)
			n := b.N
			for i := range n {
				rec, err := p.Record(ctx, &ChatMessage{Text: "hello world", N: int32(i)}, kafka.Key(&ChatKey{User: fmt.Sprintf("u%d", i%16)}))
				if err != nil {
					b.Fatal(err)
				}
				cl.Produce(ctx, rec, func(_ *kgo.Record, err error) {
					if err != nil {
						b.Error(err)
					}
				})
			}
			if err := cl.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			r, _ := router.New(e.mgr, router.Options{})
			var handled atomic.Int64
			var first, last time.Time // written by the first and last handler call
			runCtx, stop := context.WithCancel(ctx)
			defer stop()
			_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error {
				h := handled.Add(1)
				if h == 1 {
					first = time.Now()
				}
				if h == int64(n) {
					last = time.Now()
					stop()
				}
				return nil
			})
			c, err := kafka.NewConsumer(r, kafka.ConsumerConfig{Brokers: e.brokers, Group: "bench", Concurrency: conc})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if err := c.Run(runCtx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if handled.Load() != int64(n) {
				b.Fatalf("handled %d of %d", handled.Load(), n)
			}
			// Steady state: from the first record handled to the last,
			// leaving out joining the group and leaving it.
			if n > 1 {
				b.ReportMetric(float64(n-1)/last.Sub(first).Seconds(), "records/s")
			}
		})
	}
}
