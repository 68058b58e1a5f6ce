package demoenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
)

// Env is a demo's Schema Registry and Kafka cluster, with a client and a
// serde manager connected to them.
type Env struct {
	// Registry is the Schema Registry URL.
	Registry string
	// Seeds are the Kafka seed brokers.
	Seeds []string
	// Client is a franz-go client on Seeds, for producing.
	Client *kgo.Client
	// Serde is a serde manager on Registry, with no types registered yet.
	Serde *serde.Manager
	// Since is when the environment started: consumers start at the
	// first record produced after it.
	Since time.Time

	stdout    io.Writer
	fakes     *Fakes
	consumers []*kgo.Client
}

// Start connects to the registry and the brokers of cfg, or starts
// in-process ones (see StartFakes) if cfg names none, says which on stdout,
// and creates those of topics that do not exist, with one partition each.
// Close releases what Start made.
func Start(ctx context.Context, cfg Config, stdout io.Writer, topics ...string) (_ *Env, err error) {
	e := &Env{Registry: cfg.Registry, Seeds: cfg.Brokers, Since: time.Now(), stdout: stdout}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.Registry == "" {
		if e.fakes, err = StartFakes(); err != nil {
			return nil, err
		}
		e.Registry, e.Seeds = e.fakes.Registry.URL(), e.fakes.Cluster.ListenAddrs()
		fmt.Fprintln(stdout, "using an in-process Schema Registry (srfake) and Kafka (kfake)")
	} else {
		fmt.Fprintf(stdout, "using the Schema Registry at %s and Kafka at %s\n", e.Registry, strings.Join(e.Seeds, ","))
	}
	// Gzip, not franz-go's snappy, so that kafkajs and every other client
	// reads what the demos write.
	if e.Client, err = kgo.NewClient(append(kafka.ProducerOpts(), kgo.SeedBrokers(e.Seeds...))...); err != nil {
		return nil, err
	}
	if err := createTopics(ctx, e.Client, topics...); err != nil {
		return nil, err
	}
	if e.Serde, err = serde.New(serde.URLs(e.Registry)); err != nil {
		return nil, err
	}
	return e, nil
}

// createTopics creates the topics that do not exist, with one partition.
func createTopics(ctx context.Context, cl *kgo.Client, topics ...string) error {
	if len(topics) == 0 {
		return nil
	}
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, 1, -1, nil, topics...)
	if err != nil {
		return err
	}
	for _, t := range resp.Sorted() {
		if t.Err != nil && !errors.Is(t.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", t.Topic, t.Err)
		}
	}
	return nil
}

// Close closes the clients and stops the in-process services, if any.
func (e *Env) Close() {
	for _, cl := range e.consumers {
		cl.Close()
	}
	if e.Client != nil {
		e.Client.Close()
	}
	if e.fakes != nil {
		e.fakes.Close()
	}
}

// Register registers types with the Schema Registry, as a service does at
// start-up, and prints the subjects each one is registered under.
func (e *Env) Register(ctx context.Context, types ...runtime.Message) error {
	if err := e.Serde.Register(ctx, types...); err != nil {
		return err
	}
	for _, t := range types {
		subjects, _ := e.Serde.Subjects(t)
		fmt.Fprintf(e.stdout, "registered %s under subject %s\n", t.AvroType().Name, strings.Join(subjects, ", "))
	}
	return nil
}

// Consumer returns a consumer that dispatches the records of topics (the
// router's topics if none) through r. Its group is group with a random
// suffix, so that every run is a new group, and it starts at Since, so
// that it reads only this run's records, on a real cluster too. Close
// closes its client.
func (e *Env) Consumer(r *router.Router, group string, topics ...string) (*kafka.Consumer, error) {
	opts := append(kafka.ConsumerOpts(group+"-"+cloudevents.NewID()[:8], topics...),
		kgo.SeedBrokers(e.Seeds...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(e.Since.UnixMilli()-1)))
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	e.consumers = append(e.consumers, cl)
	return kafka.NewConsumer(cl, r)
}

// Consume runs c until done has counted all its records, then prints how
// many were consumed. If done's context ends first, it returns an error
// that says how many were.
func (e *Env) Consume(c *kafka.Consumer, done *Countdown) error {
	defer done.cancel()
	if err := c.Run(done.ctx); err != nil {
		return err
	}
	if err := done.parent.Err(); err != nil {
		seen, total := done.counts()
		return fmt.Errorf("consumed %d of %d records before giving up: %w", seen, total, err)
	}
	fmt.Fprintf(e.stdout, "consumed %d records; done\n", done.total)
	return nil
}
