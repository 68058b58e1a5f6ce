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

// ConsumerConfig configures a Consumer.
type ConsumerConfig struct {
	// Brokers are the seed brokers, as host:port.
	Brokers []string
	// Group is the consumer group.
	Group string
	// Topics to consume; if empty, the router's topics.
	Topics []string
	// Concurrency is how many partitions of a poll are dispatched at once,
	// each in its own goroutine; records of one partition are always
	// dispatched in order. 0 or 1 dispatches one partition at a time.
	Concurrency int
	// CommitTimeout bounds each offset commit, 10s if zero.
	CommitTimeout time.Duration
	// Logger receives fetch and commit errors the consumer recovers from;
	// slog.Default if nil.
	Logger *slog.Logger
	// Opts are more kgo options, such as TLS, SASL or
	// kgo.ConsumeResetOffset (the default starts a new group at the
	// earliest offset). They are applied after the consumer's own, which
	// are SeedBrokers, ConsumerGroup, ConsumeTopics, DisableAutoCommit and
	// BlockRebalanceOnPoll; do not override the last two.
	Opts []kgo.Opt
}

// Consumer consumes a group's records and dispatches them through a router.
type Consumer struct {
	cl     *kgo.Client
	r      *router.Router
	cfg    ConsumerConfig
	log    *slog.Logger
	mu     sync.Mutex
	closed bool
}

// NewConsumer returns a consumer that dispatches through r. It starts the
// franz-go client, which connects lazily; Run consumes.
func NewConsumer(r *router.Router, cfg ConsumerConfig) (*Consumer, error) {
	if r == nil {
		return nil, errors.New("evc: kafka: nil router")
	}
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("evc: kafka: no brokers")
	}
	if cfg.Group == "" {
		return nil, errors.New("evc: kafka: no consumer group")
	}
	if len(cfg.Topics) == 0 {
		cfg.Topics = r.Topics()
	}
	if len(cfg.Topics) == 0 {
		return nil, errors.New("evc: kafka: no topics: register routes first or set Topics")
	}
	if cfg.CommitTimeout <= 0 {
		cfg.CommitTimeout = 10 * time.Second
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.ConsumeTopics(cfg.Topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
	}, cfg.Opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("evc: kafka: %w", err)
	}
	return &Consumer{cl: cl, r: r, cfg: cfg, log: log}, nil
}

// Client returns the consumer's franz-go client.
func (c *Consumer) Client() *kgo.Client { return c.cl }

// Close closes the client without committing; Run closes it itself when it
// returns, so Close is only needed for a consumer that never ran.
func (c *Consumer) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		c.cl.CloseAllowingRebalance()
	}
}

// Run polls and dispatches until ctx ends, then commits what was handled,
// leaves the group, closes the client and returns nil. If a record is not
// handled (router.Dispatch returned an error that is not ctx's), Run
// commits the records handled before it and returns that error, without
// committing it. It also returns the error of a final commit that fails.
// Run may be called once.
func (c *Consumer) Run(ctx context.Context) (err error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errors.New("evc: kafka: consumer closed")
	}
	c.mu.Unlock()
	defer c.Close()
	for {
		fetches := c.cl.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return errors.New("evc: kafka: client closed")
		}
		fetches.EachError(func(topic string, p int32, err error) {
			if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				c.log.WarnContext(ctx, "evc: kafka: fetch error", "topic", topic, "partition", p, "err", err)
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
			c.log.WarnContext(ctx, "evc: kafka: commit failed", "err", cerr)
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
	if c.cfg.Concurrency == 1 || len(parts) == 1 {
		for i, p := range parts {
			handled[i], errs[i] = c.dispatchPartition(ctx, p.Records)
			if errs[i] != nil {
				break
			}
		}
	} else {
		sem := make(chan struct{}, c.cfg.Concurrency)
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
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.CommitTimeout)
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
