package bench

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/serde"
)

// produceBytes counts the bytes of produce requests a client writes.
type produceBytes struct{ n atomic.Int64 }

func (h *produceBytes) OnBrokerWrite(_ kgo.BrokerMetadata, key int16, written int, _, _ time.Duration, _ error) {
	if key == 0 { // Produce
		h.n.Add(int64(written))
	}
}

var _ kgo.HookBrokerWrite = (*produceBytes)(nil)

// BenchmarkProduceCompression produces Squarebot records, with their
// CloudEvents headers, to kfake in batches under each codec, and reports
// the bytes on the wire per record beside the time. It is the measurement
// behind kafka.ProducerOpts' choice of no compression (issue 10 §6): gzip
// is the only codec every mainstream client reads without a plug-in.
func BenchmarkProduceCompression(b *testing.B) {
	for _, c := range []struct {
		name  string
		codec kgo.CompressionCodec
	}{
		{"none", kgo.NoCompression()},
		{"gzip", kgo.GzipCompression()},
		{"snappy", kgo.SnappyCompression()},
		{"lz4", kgo.Lz4Compression()},
		{"zstd", kgo.ZstdCompression()},
	} {
		b.Run(c.name, func(b *testing.B) { produceRun(b, c.codec) })
	}
}

func produceRun(b *testing.B, codec kgo.CompressionCodec) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const topic = "squarebot.messages"
	reg := srfake.New()
	defer reg.Close()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topic))
	if err != nil {
		b.Fatal(err)
	}
	defer cluster.Close()
	m, err := serde.New(serde.URLs(reg.URL()))
	if err != nil {
		b.Fatal(err)
	}
	var hook produceBytes
	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ProducerLinger(5*time.Millisecond),
		kgo.ProducerBatchCompression(codec), kgo.WithHooks(&hook), kgo.Dialer((&net.Dialer{}).DialContext))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	p, err := kafka.NewProducer(cl, m)
	if err != nil {
		b.Fatal(err)
	}
	msg := squarebotMessage()
	base := msg.Message
	// Warm up: register the schema and connect outside the measurement.
	if _, err := p.Produce(ctx, msg); err != nil {
		b.Fatal(err)
	}
	start := hook.n.Load()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		// Records differ as real ones do: ids, times, text.
		msg.MessageID = fmt.Sprintf("17%08d.%06d", i*7919%100000000, i%1000000)
		msg.Message = fmt.Sprintf("%s (%d)", base[:20+i%40], i)
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
	b.StopTimer()
	b.ReportMetric(float64(hook.n.Load()-start)/float64(b.N), "wire-B/record")
}
