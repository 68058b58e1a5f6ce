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
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/examples/internal/demoenv"
	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

func main() { demoenv.Main(run) }

// run is the demo, on the registry and the cluster cfg names.
func run(ctx context.Context, cfg demoenv.Config, stdout io.Writer) error {
	// The registry, the cluster and the topic.
	topic := "squarebot.messages"
	env, err := demoenv.Start(ctx, cfg, stdout, topic)
	if err != nil {
		return err
	}
	defer env.Close()

	// Register the generated types, as a service does at start-up.
	if err := env.Register(ctx, (*squarebot.SquarebotMessageKey)(nil), (*squarebot.SquarebotMessage)(nil)); err != nil {
		return err
	}

	// Produce: the topic comes from the IDL, the CloudEvents headers from
	// the type's @event.
	p, err := kafka.NewProducer(env.Client, env.Serde)
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
	if err := env.Client.ProduceSync(ctx, poison).FirstErr(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "produced a record that is not Avro to %s\n", topic)
	total := len(msgs) + 1

	// Consume through the router until every record was handled.
	var mu sync.Mutex
	out := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, format, args...)
	}
	done := demoenv.NewCountdown(ctx, total)
	r, err := router.New(env.Serde, router.OnDecodeFailure(router.DeadLetter), router.DeadLetterFunc(func(ctx context.Context, rec *router.Record, cause error) error {
		out("dead letter: %s partition %d offset %d: %v\n", rec.Topic, rec.Partition, rec.Offset, cause)
		done.Count()
		return nil
	}))
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
		done.Count()
		return nil
	}, router.Name("mentions")); err != nil {
		return err
	}
	// Read this run's records with a new group.
	c, err := env.Consumer(r, "evc-demo-squarebot")
	if err != nil {
		return err
	}
	return env.Consume(c, done)
}
