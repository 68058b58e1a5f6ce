package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime/router"
)

// A ConsumerOption configures a Consumer.
type ConsumerOption func(*consumerConfig)

type consumerConfig struct {
	concurrency   int
	commitTimeout time.Duration
	log           *slog.Logger
}

// Concurrency sets how many partitions of a poll are dispatched at once,
// each in its own goroutine (default 1); records of one partition are
// always dispatched in order.
func Concurrency(n int) ConsumerOption {
	return func(c *consumerConfig) { c.concurrency = max(n, 1) }
}

// CommitTimeout bounds each offset commit (default 10s).
func CommitTimeout(d time.Duration) ConsumerOption {
	return func(c *consumerConfig) {
		if d > 0 {
			c.commitTimeout = d
		}
	}
}

// Logger sets where the consumer logs the fetch and commit errors it
// recovers from (default slog.Default()).
func Logger(l *slog.Logger) ConsumerOption {
	return func(c *consumerConfig) {
		if l != nil {
			c.log = l
		}
	}
}

// ConsumerOpts returns the kgo options a Consumer's client needs: the
// consumer group, the topics (none: the router's, added by NewConsumer),
// manual commits (kgo.DisableAutoCommit), rebalances that wait for the
// records of a poll (kgo.BlockRebalanceOnPoll), and a new group starting at
// the earliest offset (override with a later kgo.ConsumeResetOffset):
//
//	cl, err := kgo.NewClient(append(kafka.ConsumerOpts("squarebot"), kgo.SeedBrokers(brokers...))...)
//	c, err := kafka.NewConsumer(cl, r)
func ConsumerOpts(group string, topics ...string) []kgo.Opt {
	opts := []kgo.Opt{
		kgo.ConsumerGroup(group),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
	}
	if len(topics) > 0 {
		opts = append(opts, kgo.ConsumeTopics(topics...))
	}
	return opts
}

// Consumer consumes a group's records and dispatches them through a router.
type Consumer struct {
	cl   *kgo.Client
	r    *router.Router
	cfg  consumerConfig
	mu   sync.Mutex
	used bool
}

// NewConsumer returns a consumer that polls cl and dispatches through r. cl
// must be a group consumer with manual commits and blocking rebalances:
// build it with ConsumerOpts, as a producer's client is built with kgo
// options. If cl consumes no topics, the router's are added. The caller
// keeps ownership of cl, and closes it after Run returns.
func NewConsumer(cl *kgo.Client, r *router.Router, opts ...ConsumerOption) (*Consumer, error) {
	if cl == nil || r == nil {
		return nil, errors.New("evc: kafka: NewConsumer needs a client and a router")
	}
	if g, _ := cl.OptValue(kgo.ConsumerGroup).(string); g == "" {
		return nil, errors.New("evc: kafka: the client has no consumer group; build it with kafka.ConsumerOpts")
	}
	if on, _ := cl.OptValue(kgo.DisableAutoCommit).(bool); !on {
		return nil, errors.New("evc: kafka: the client commits automatically, which would commit records not handled yet; build it with kafka.ConsumerOpts")
	}
	if on, _ := cl.OptValue(kgo.BlockRebalanceOnPoll).(bool); !on {
		return nil, errors.New("evc: kafka: the client does not block rebalances while records are handled; build it with kafka.ConsumerOpts")
	}
	if topics, _ := cl.OptValue(kgo.ConsumeTopics).([]string); len(topics) == 0 {
		if len(r.Topics()) == 0 {
			return nil, errors.New("evc: kafka: no topics: register routes first, or give the client kgo.ConsumeTopics")
		}
		cl.AddConsumeTopics(r.Topics()...)
	}
	cfg := consumerConfig{concurrency: 1, commitTimeout: 10 * time.Second, log: slog.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	return &Consumer{cl: cl, r: r, cfg: cfg}, nil
}

// Client returns the consumer's franz-go client.
func (c *Consumer) Client() *kgo.Client { return c.cl }

// Run polls and dispatches until ctx ends, then commits what was handled
// and returns nil. If a record is not handled (router.Dispatch returned an
// error that is not ctx's), Run commits the records handled before it and
// returns that error, without committing it. It also returns the error of
// a final commit that fails. When Run returns, the client has left the
// group, so that its partitions move to other members at once. Run may be
// called once: the client has moved past records it did not commit, so
// close it, and start afresh with a new client to see them again.
func (c *Consumer) Run(ctx context.Context) (err error) {
	c.mu.Lock()
	used := c.used
	c.used = true
	c.mu.Unlock()
	if used {
		return errors.New("evc: kafka: Run called twice; close the client and make a new consumer")
	}
	closed := false
	defer func() {
		if !closed {
			// Hand the partitions on now rather than at the end of
			// the session timeout.
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.commitTimeout)
			_ = c.cl.LeaveGroupContext(lctx)
			cancel()
		}
	}()
	for {
		fetches := c.cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			closed = true
			return errors.New("evc: kafka: client closed")
		}
		fetches.EachError(func(topic string, p int32, err error) {
			if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				c.cfg.log.WarnContext(ctx, "evc: kafka: fetch error", "topic", topic, "partition", p, "err", err)
			}
		})
		handled, derr := c.dispatch(ctx, fetches)
		cerr := c.commit(ctx, handled)
		c.cl.AllowRebalance()
		switch {
		case derr != nil && ctx.Err() == nil:
			if cerr != nil {
				return errors.Join(derr, cerr)
			}
			return derr
		case ctx.Err() != nil:
			return cerr
		case cerr != nil:
			// The records will be redelivered if this member loses
			// them; a later commit covers them otherwise.
			c.cfg.log.WarnContext(ctx, "evc: kafka: commit failed", "err", cerr)
		}
	}
}

// dispatch hands the records of fetches to the router, partition by
// partition, and returns the last record handled in each partition and the
// first error.
func (c *Consumer) dispatch(ctx context.Context, fetches kgo.Fetches) ([]*kgo.Record, error) {
	var parts []kgo.FetchTopicPartition
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		if len(p.Records) > 0 {
			parts = append(parts, p)
		}
	})
	if len(parts) == 0 {
		return nil, nil
	}
	handled := make([]*kgo.Record, len(parts))
	errs := make([]error, len(parts))
	if c.cfg.concurrency == 1 || len(parts) == 1 {
		for i, p := range parts {
			handled[i], errs[i] = c.dispatchPartition(ctx, p.Records)
			if errs[i] != nil {
				break
			}
		}
	} else {
		sem := make(chan struct{}, c.cfg.concurrency)
		var wg sync.WaitGroup
		for i, p := range parts {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				handled[i], errs[i] = c.dispatchPartition(ctx, p.Records)
			}()
		}
		wg.Wait()
	}
	var last []*kgo.Record
	for _, r := range handled {
		if r != nil {
			last = append(last, r)
		}
	}
	return last, errors.Join(errs...)
}

// dispatchPartition dispatches one partition's records in order and returns
// the last one handled.
func (c *Consumer) dispatchPartition(ctx context.Context, recs []*kgo.Record) (*kgo.Record, error) {
	var last *kgo.Record
	for _, kr := range recs {
		if ctx.Err() != nil {
			return last, ctx.Err()
		}
		if err := c.r.Dispatch(ctx, Record(kr)); err != nil {
			return last, err
		}
		last = kr
	}
	return last, nil
}

// commit commits the offsets after handled, even if ctx has ended.
func (c *Consumer) commit(ctx context.Context, handled []*kgo.Record) error {
	if len(handled) == 0 {
		return nil
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.commitTimeout)
	defer cancel()
	if err := c.cl.CommitRecords(cctx, handled...); err != nil {
		return fmt.Errorf("evc: kafka: commit: %w", err)
	}
	return nil
}

// Record converts a franz-go record to the router's.
func Record(kr *kgo.Record) *router.Record {
	rec := &router.Record{
		Topic:     kr.Topic,
		Partition: kr.Partition,
		Offset:    kr.Offset,
		Key:       kr.Key,
		Value:     kr.Value,
		Timestamp: kr.Timestamp,
	}
	if len(kr.Headers) > 0 {
		rec.Headers = make([]router.Header, len(kr.Headers))
		for i, h := range kr.Headers {
			rec.Headers[i] = router.Header(h)
		}
	}
	return rec
}
