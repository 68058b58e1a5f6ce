package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
)

// routerNoDecode hands out preallocated messages, picked by the first byte
// of the data, so that a benchmark measures routing alone.
type routerNoDecode struct{ byFirst [256]runtime.Message }

func (d *routerNoDecode) Deserialize(_ context.Context, data []byte) (runtime.Message, error) {
	return d.byFirst[data[0]], nil
}

// routes50 registers 50 routes on 25 topics (a keyed Squarebot route and a
// value-only route each, the latter for a type the record is not), and
// returns the number of handler calls.
func routes50(b *testing.B, r *router.Router) *int {
	calls := new(int)
	for i := range 25 {
		topic := fmt.Sprintf("squarebot.messages.%02d", i)
		if err := router.Handle(r, []string{topic}, func(context.Context, string, *squarebot.SquarebotMessageKey, *squarebot.SquarebotMessage) error {
			*calls++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if err := router.HandleValue(r, []string{topic}, func(context.Context, string, *squarebot.SquarebotMessageKey) error {
			*calls++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	return calls
}

// BenchmarkRouter measures a record matching 1 of 50 routes:
//
//   - dispatch: routing alone, the deserializer handing out ready messages;
//   - decode: the serde manager decoding key and value (warm cache), no
//     router;
//   - decode+dispatch: the router with the serde manager, so that its
//     difference from decode is the routing overhead beyond decoding.
func BenchmarkRouter(b *testing.B) {
	ctx := context.Background()
	key := &squarebot.SquarebotMessageKey{ChannelID: "C0123ABC"}
	msg := squarebotMessage()

	b.Run("dispatch", func(b *testing.B) {
		d := &routerNoDecode{}
		d.byFirst['k'], d.byFirst['v'] = key, msg
		r, err := router.New(d)
		if err != nil {
			b.Fatal(err)
		}
		calls := routes50(b, r)
		rec := &router.Record{Topic: "squarebot.messages.17", Key: []byte("k"), Value: []byte("v")}
		b.ReportAllocs()
		for b.Loop() {
			if err := r.Dispatch(ctx, rec); err != nil {
				b.Fatal(err)
			}
		}
		if *calls != b.N {
			b.Fatalf("%d handler calls for %d records", *calls, b.N)
		}
	})

	reg := srfake.New()
	b.Cleanup(reg.Close)
	m, err := serde.New(serde.URLs(reg.URL()))
	if err != nil {
		b.Fatal(err)
	}
	if err := m.Register(ctx, key, msg); err != nil {
		b.Fatal(err)
	}
	kw, err := m.Serialize(ctx, key)
	if err != nil {
		b.Fatal(err)
	}
	vw, err := m.Serialize(ctx, msg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Deserialize(ctx, vw); err != nil { // warm the cache
		b.Fatal(err)
	}
	if _, err := m.Deserialize(ctx, kw); err != nil {
		b.Fatal(err)
	}

	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			k, err := m.Deserialize(ctx, kw)
			if err != nil {
				b.Fatal(err)
			}
			v, err := m.Deserialize(ctx, vw)
			if err != nil {
				b.Fatal(err)
			}
			if k == nil || v == nil {
				b.Fatal("nil message")
			}
		}
	})
	b.Run("decode+dispatch", func(b *testing.B) {
		r, err := router.New(m)
		if err != nil {
			b.Fatal(err)
		}
		calls := routes50(b, r)
		rec := &router.Record{Topic: "squarebot.messages.17", Key: kw, Value: vw}
		b.ReportAllocs()
		for b.Loop() {
			if err := r.Dispatch(ctx, rec); err != nil {
				b.Fatal(err)
			}
		}
		if *calls != b.N {
			b.Fatalf("%d handler calls for %d records", *calls, b.N)
		}
	})
	// overhead alternates blocks of decode and of decode+dispatch and
	// keeps the fastest block of each, which a busy machine disturbs least,
	// and reports their difference per record: the routing overhead beyond
	// decoding.
	b.Run("overhead", func(b *testing.B) {
		r, err := router.New(m)
		if err != nil {
			b.Fatal(err)
		}
		routes50(b, r)
		rec := &router.Record{Topic: "squarebot.messages.17", Key: kw, Value: vw}
		const block = 64
		minDecode, minBoth := time.Duration(1<<62), time.Duration(1<<62)
		for b.Loop() {
			t0 := time.Now()
			for range block {
				if _, err := m.Deserialize(ctx, kw); err != nil {
					b.Fatal(err)
				}
				if _, err := m.Deserialize(ctx, vw); err != nil {
					b.Fatal(err)
				}
			}
			t1 := time.Now()
			for range block {
				if err := r.Dispatch(ctx, rec); err != nil {
					b.Fatal(err)
				}
			}
			minDecode = min(minDecode, t1.Sub(t0))
			minBoth = min(minBoth, time.Since(t1))
		}
		b.ReportMetric(float64(minDecode.Nanoseconds())/block, "decode-ns/record")
		b.ReportMetric(float64((minBoth-minDecode).Nanoseconds())/block, "routing-ns/record")
	})
}

// BenchmarkConsume measures the full consume path on an in-process kfake
// cluster: poll, decode key and value through the serde manager, route,
// handle, commit. b.N records are produced before the timer starts;
// records/s is the steady state, from the first record handled to the
// last.
func BenchmarkConsume(b *testing.B) {
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			consumeRun(b, conc)
		})
	}
}

func consumeRun(b *testing.B, concurrency int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const topic = "squarebot.messages"
	reg := srfake.New()
	defer reg.Close()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(4, topic))
	if err != nil {
		b.Fatal(err)
	}
	defer cluster.Close()
	m, err := serde.New(serde.URLs(reg.URL()))
	if err != nil {
		b.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ProducerLinger(time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	p, err := kafka.NewProducer(cl, m)
	if err != nil {
		b.Fatal(err)
	}
	msg := squarebotMessage()
	n := b.N
	for i := range n {
		rec, err := p.Record(ctx, msg, kafka.Key(&squarebot.SquarebotMessageKey{ChannelID: fmt.Sprintf("C%04d", i%64)}))
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

	r, err := router.New(m)
	if err != nil {
		b.Fatal(err)
	}
	var handled atomic.Int64
	var first, last time.Time
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if err := router.Handle(r, []string{topic}, func(context.Context, string, *squarebot.SquarebotMessageKey, *squarebot.SquarebotMessage) error {
		h := handled.Add(1)
		if h == 1 {
			first = time.Now()
		}
		if h == int64(n) {
			last = time.Now()
			stop()
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	ccl, err := kgo.NewClient(append(kafka.ConsumerOpts("bench"), kgo.SeedBrokers(cluster.ListenAddrs()...))...)
	if err != nil {
		b.Fatal(err)
	}
	defer ccl.Close()
	c, err := kafka.NewConsumer(ccl, r, kafka.Concurrency(concurrency))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := c.Run(runCtx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if handled.Load() != int64(n) {
		b.Fatalf("handled %d of %d records", handled.Load(), n)
	}
	if n > 1 {
		b.ReportMetric(float64(n-1)/last.Sub(first).Seconds(), "records/s")
	}
}
