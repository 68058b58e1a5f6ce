package kafka_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

// TestProducer_OpenEdXBinding writes a record with the headers the Open
// edX event bus (edx-event-bus-kafka) writes, exactly that set and each
// once, and reads it back through a router handler in the same binding.
func TestProducer_OpenEdXBinding(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newEnv(t, 1, "chat")
	p, err := kafka.NewProducer(e.client(t, kafka.ProducerOpts()...), e.mgr, kafka.EventBinding(cloudevents.OpenEdX))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 5, 54, 9, 376663210, time.UTC)
	rec, err := p.Produce(ctx, &ChatMessage{Text: "hi"}, kafka.Key(&ChatKey{User: "u"}), kafka.EventTime(at),
		kafka.EventExtension("sourcehost", "edx.devstack.lms"), kafka.EventExtension("sourcelib", "9.15.0"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var keys []string
	for _, h := range rec.Headers {
		got[h.Key] = string(h.Value)
		keys = append(keys, h.Key)
	}
	// The keys of edx_event_bus_kafka/internal/tests/test_producer.py's
	// expected_headers.
	want := []string{"ce_datacontenttype", "ce_id", "ce_minorversion", "ce_source", "ce_specversion", "ce_time", "ce_type",
		"content-type", "sourcehost", "sourcelib"}
	slices.Sort(keys)
	if !slices.Equal(keys, want) {
		t.Errorf("header keys %q\nwant %q", keys, want)
	}
	if got["ce_time"] != "2026-12-01T05:54:09.376663+00:00" || got["sourcehost"] != "edx.devstack.lms" || got["sourcelib"] != "9.15.0" ||
		got["ce_minorversion"] != "0" || got["ce_datacontenttype"] != "application/avro" || got["content-type"] != "application/avro" {
		t.Errorf("headers %v", got)
	}

	r, err := router.New(e.mgr)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan cloudevents.Event, 1)
	if err := router.Handle(r, []string{"chat"}, func(ctx context.Context, _ string, _ *ChatKey, _ *ChatMessage) error {
		ev, _, err := cloudevents.OpenEdX.FromContext(ctx)
		if err != nil {
			return err
		}
		events <- ev
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cl := e.client(t, kafka.ConsumerOpts("openedx-test")...)
	c, err := kafka.NewConsumer(cl, r)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx) }()
	select {
	case ev := <-events:
		if ev.Extensions["sourcehost"] != "edx.devstack.lms" || ev.Extensions["sourcelib"] != "9.15.0" ||
			!ev.Time.Equal(at.Truncate(time.Microsecond)) || ev.Type != chatMsgType.Event.Type {
			t.Errorf("handler read %+v", ev)
		}
	case err := <-done:
		t.Fatalf("consumer stopped: %v", err)
	case <-ctx.Done():
		t.Fatal("no record handled")
	}
	stop()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// TestProducer_DuplicateHeader refuses a record that would carry a header
// twice: Open edX's consumer rejects such a record.
func TestProducer_DuplicateHeader(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 1, "chat")
	p, _ := kafka.NewProducer(e.client(t), e.mgr, kafka.EventBinding(cloudevents.OpenEdX))
	_, err := p.Record(ctx, &ChatMessage{Text: "x"}, kafka.Headers(kgo.RecordHeader{Key: "sourcehost", Value: []byte("h")}))
	if want := `evc: kafka: type "evc.kafkatest.ChatMessage": header "sourcehost" is given and is also a CloudEvents header`; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
	// The id must be one Open edX reads.
	_, err = p.Record(ctx, &ChatMessage{Text: "x"}, kafka.EventID("order-42"))
	if want := `evc: kafka: type "evc.kafkatest.ChatMessage": cloudevents: attribute "id" is "order-42", but Open edX reads it as a UUID`; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}
