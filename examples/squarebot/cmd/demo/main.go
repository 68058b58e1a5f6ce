// Command demo shows evc's runtime end to end on the Squarebot example: it
// registers the generated types with a Schema Registry, produces a few Slack
// messages (with CloudEvents headers), and consumes them through the typed
// router, printing what each handler receives.
//
// With no flags it starts an in-process registry (franz-go's srfake) and
// Kafka cluster (kfake) on loopback:
//
//	go run ./examples/squarebot/cmd/demo
//
// With --registry and --brokers it uses real ones (the topic is created if
// it does not exist):
//
//	go run ./examples/squarebot/cmd/demo --registry http://localhost:8081 --brokers localhost:9092
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	registry := fs.String("registry", "", "Schema Registry URL (default: an in-process srfake)")
	brokers := fs.String("brokers", "", "Kafka seed brokers, host:port[,host:port] (default: an in-process kfake)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*registry == "") != (*brokers == "") {
		return errors.New("give both --registry and --brokers, or neither")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	topic := "squarebot.messages"

	// The registry and the cluster.
	var seeds []string
	if *registry == "" {
		reg := srfake.New()
		defer reg.Close()
		cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topic))
		if err != nil {
			return err
		}
		defer cluster.Close()
		*registry, seeds = reg.URL(), cluster.ListenAddrs()
		fmt.Fprintln(stdout, "using an in-process Schema Registry (srfake) and Kafka (kfake)")
	} else {
		seeds = strings.Split(*brokers, ",")
		fmt.Fprintf(stdout, "using the Schema Registry at %s and Kafka at %s\n", *registry, *brokers)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := ensureTopic(ctx, cl, topic); err != nil {
		return err
	}

	// Register the generated types, as a service does at start-up.
	mgr, err := serde.New(serde.URLs(*registry))
	if err != nil {
		return err
	}
	types := []runtime.Message{(*squarebot.SquarebotMessageKey)(nil), (*squarebot.SquarebotMessage)(nil)}
	if err := mgr.Register(ctx, types...); err != nil {
		return err
	}
	for _, t := range types {
		subjects, _ := mgr.Subjects(t)
		fmt.Fprintf(stdout, "registered %s under subject %s\n", t.AvroType().Name, strings.Join(subjects, ", "))
	}

	// Produce: the topic comes from the IDL, the CloudEvents headers from
	// the type's @event.
	start := time.Now()
	p, err := kafka.NewProducer(cl, mgr)
	if err != nil {
		return err
	}
	user := "U024BE7LH"
	msgs := []struct {
		key   *squarebot.SquarebotMessageKey
		value *squarebot.SquarebotMessage
	}{
		{&squarebot.SquarebotMessageKey{ChannelID: "C0123ABC"}, &squarebot.SquarebotMessage{User: &user, ChannelType: squarebot.ChannelTypeChannel,
			ChannelID: "C0123ABC", MessageType: squarebot.MessageTypeMessage, MessageID: "1700000000.000100", Message: "good morning, Rubin"}},
		{&squarebot.SquarebotMessageKey{ChannelID: "C0123ABC"}, &squarebot.SquarebotMessage{User: &user, ChannelType: squarebot.ChannelTypeChannel,
			ChannelID: "C0123ABC", MessageType: squarebot.MessageTypeAppMention, MessageID: "1700000000.000200", Message: "@squarebot help"}},
		{&squarebot.SquarebotMessageKey{ChannelID: "D0456DEF"}, &squarebot.SquarebotMessage{ChannelType: squarebot.ChannelTypeIm,
			ChannelID: "D0456DEF", MessageType: squarebot.MessageTypeMessage, MessageID: "1700000000.000300", Message: "a bot says hi"}},
	}
	for _, m := range msgs {
		rec, err := p.Produce(ctx, m.value, kafka.Key(m.key))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "produced %s to %s\n", m.value.AvroType().Name, rec.Topic)
	}
	// And a record that is not Avro at all: the router's decode-failure
	// policy sends it to the dead-letter function instead of dropping it.
	poison := &kgo.Record{Topic: topic, Value: []byte("{\"text\": \"json, not avro\"}")}
	if err := cl.ProduceSync(ctx, poison).FirstErr(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "produced a record that is not Avro to %s\n", topic)
	total := len(msgs) + 1

	// Consume through the router.
	var mu sync.Mutex
	out := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, format, args...)
	}
	done, doneCancel := context.WithCancel(ctx)
	defer doneCancel()
	seen := 0
	count := func() {
		mu.Lock()
		seen++
		n := seen
		mu.Unlock()
		if n == total {
			doneCancel()
		}
	}
	r, err := router.New(mgr, router.Options{
		DecodeFailure: router.DeadLetter,
		DeadLetter: func(ctx context.Context, rec *router.Record, cause error) error {
			out("dead letter: %s partition %d offset %d: %v\n", rec.Topic, rec.Partition, rec.Offset, cause)
			count()
			return nil
		},
	})
	if err != nil {
		return err
	}
	// Every Slack message, with its key.
	if err := router.Handle(r, []string{topic}, func(ctx context.Context, topic string, key *squarebot.SquarebotMessageKey, msg *squarebot.SquarebotMessage) error {
		rec, _ := router.FromContext(ctx)
		from := "(a bot)"
		if msg.User != nil {
			from = *msg.User
		}
		out("message handler: %s partition %d offset %d: channel %s (%s), from %s, %s %s: %q\n",
			topic, rec.Partition, rec.Offset, key.ChannelID, msg.ChannelType, from, msg.MessageType, msg.MessageID, msg.Message)
		ev, ok, err := cloudevents.FromContext(ctx)
		if err != nil {
			return err
		}
		if ok {
			out("  cloudevents: specversion=%s type=%s source=%s id=%s time=%s content-type=%s\n",
				ev.SpecVersion, ev.Type, ev.Source, ev.ID, ev.Time.Format(time.RFC3339Nano), ev.ContentType)
		}
		return nil
	}, router.Name("messages")); err != nil {
		return err
	}
	// A second handler for the same value type runs after the first, on
	// the value alone.
	if err := router.HandleValue(r, []string{topic}, func(ctx context.Context, topic string, msg *squarebot.SquarebotMessage) error {
		if msg.MessageType == squarebot.MessageTypeAppMention {
			out("mention handler: Squarebot was mentioned in %s: %q\n", msg.ChannelID, msg.Message)
		}
		count()
		return nil
	}, router.Name("mentions")); err != nil {
		return err
	}
	c, err := kafka.NewConsumer(r, kafka.ConsumerConfig{
		Brokers: seeds,
		Group:   "evc-demo-squarebot-" + cloudevents.NewID()[:8],
		// Only this run's records, on a real cluster too.
		Opts: []kgo.Opt{kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(start.UnixMilli() - 1))},
	})
	if err != nil {
		return err
	}
	if err := c.Run(done); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("consumed %d of %d records before giving up: %w", seen, total, ctx.Err())
	}
	fmt.Fprintf(stdout, "consumed %d records; done\n", total)
	return nil
}

// ensureTopic creates topic with one partition if it does not exist.
func ensureTopic(ctx context.Context, cl *kgo.Client, topic string) error {
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, 1, -1, nil, topic)
	if err != nil {
		return err
	}
	for _, t := range resp {
		if t.Err != nil && !strings.Contains(t.Err.Error(), "TOPIC_ALREADY_EXISTS") {
			return fmt.Errorf("create topic %s: %w", t.Topic, t.Err)
		}
	}
	return nil
}
