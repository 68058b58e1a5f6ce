package kafka_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
)

// TestNewConsumer_ClientChecks: the consumer refuses a client that would
// commit what it did not handle, or let a partition move mid-poll.
func TestNewConsumer_ClientChecks(t *testing.T) {
	e := newEnv(t, 1, "chat")
	r, _ := router.New(e.mgr)
	_ = router.HandleValue(r, []string{"chat"}, func(context.Context, string, *ChatMessage) error { return nil })
	for _, tc := range []struct {
		name string
		opts []kgo.Opt
		want string
	}{
		{"no group", nil, "evc: kafka: the client has no consumer group; build it with kafka.ConsumerOpts"},
		{"autocommit", []kgo.Opt{kgo.ConsumerGroup("g"), kgo.BlockRebalanceOnPoll()},
			"evc: kafka: the client commits automatically, which would commit records not handled yet; build it with kafka.ConsumerOpts"},
		{"rebalance not blocked", []kgo.Opt{kgo.ConsumerGroup("g"), kgo.DisableAutoCommit()},
			"evc: kafka: the client does not block rebalances while records are handled; build it with kafka.ConsumerOpts"},
	} {
		if _, err := kafka.NewConsumer(e.client(t, tc.opts...), r); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if _, err := kafka.NewConsumer(nil, r); err == nil || err.Error() != "evc: kafka: NewConsumer needs a client and a router" {
		t.Errorf("nil client: %v", err)
	}
	empty, _ := router.New(e.mgr)
	if _, err := kafka.NewConsumer(e.consumerClient(t, "g"), empty); err == nil ||
		err.Error() != "evc: kafka: no topics: register routes first, or give the client kgo.ConsumeTopics" {
		t.Errorf("no topics: %v", err)
	}
	// The router's topics are added to a client that consumes none.
	cl := e.consumerClient(t, "g")
	c, err := kafka.NewConsumer(cl, r)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if err := c.Run(context.Background()); err == nil || err.Error() != "evc: kafka: Run called twice; close the client and make a new consumer" {
		t.Errorf("second Run = %v", err)
	}
}

// TestConsumer_RegistryOutlastsRetries: when the registry stays down
// longer than the router retries, Run stops with an *UnavailableError and
// commits nothing: the records are not poison.
func TestConsumer_RegistryOutlastsRetries(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fr := newFlakyRegistry(t)
	e := newEnv(t, 1, "chat")
	pm, _ := serde.New(serde.URLs(fr.srv.URL))
	p, _ := kafka.NewProducer(e.client(t), pm)
	produceN(t, ctx, p, 0, 3)
	fr.down.Store(true)
	cm, _ := serde.New(serde.URLs(fr.srv.URL), serde.Retries(1, time.Millisecond, time.Millisecond))
	_ = cm.AddTypes((*ChatKey)(nil), (*ChatMessage)(nil))
	settled := 0
	r, _ := router.New(cm, router.OnDecodeFailure(router.Skip),
		router.ReportFunc(func(context.Context, *router.Record, error) { settled++ }),
		router.UnavailableRetry(router.Retry{Attempts: 3, Backoff: 10 * time.Millisecond}))
	_ = router.Handle(r, []string{"chat"}, func(context.Context, string, *ChatKey, *ChatMessage) error { settled++; return nil })
	c, err := kafka.NewConsumer(e.consumerClient(t, "g"), r)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Run(ctx)
	var ue *router.UnavailableError
	if !errors.As(err, &ue) || ue.Offset != 0 || ue.Attempts != 3 {
		t.Fatalf("Run = %v, want an *UnavailableError at offset 0 after 3 attempts", err)
	}
	var re *serde.RegistryError
	if !errors.As(err, &re) || re.StatusCode != 503 {
		t.Errorf("Run = %v, want the registry's 503 in the chain", err)
	}
	if settled != 0 || len(committedSafe(ctx, e, "g", "chat")) != 0 {
		t.Errorf("%d records settled, committed %v; want none", settled, committedSafe(ctx, e, "g", "chat"))
	}
}
