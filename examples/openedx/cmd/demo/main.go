// Command demo shows evc's runtime end to end on the Open edX example: it
// registers the generated learning events with a Schema Registry, produces
// a few of them with the CloudEvents headers the Open edX event bus asks
// for, and consumes them through the typed router, printing what each
// handler receives.
//
// With no flags it starts an in-process registry (franz-go's srfake) and
// Kafka cluster (kfake) on loopback:
//
//	go run ./examples/openedx/cmd/demo
//
// With --registry and --brokers it uses real ones (missing topics are
// created):
//
//	go run ./examples/openedx/cmd/demo --registry http://localhost:8081 --brokers localhost:9092
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

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
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

const (
	enrollmentTopic   = "openedx.learning.course.enrollment"
	registrationTopic = "openedx.learning.student.registration"
	gradeTopic        = "openedx.learning.course.grade"
)

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
	topics := []string{enrollmentTopic, registrationTopic, gradeTopic}

	// The registry and the cluster.
	var seeds []string
	if *registry == "" {
		reg := srfake.New()
		defer reg.Close()
		cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topics...))
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
	if err := ensureTopics(ctx, cl, topics...); err != nil {
		return err
	}

	// Register the generated types, as a service does at start-up.
	mgr, err := serde.New(serde.URLs(*registry))
	if err != nil {
		return err
	}
	types := []runtime.Message{
		(*learning.LearnerKey)(nil),
		(*learning.StudentRegistrationCompletedV1)(nil),
		(*learning.CourseEnrollmentCreatedV1)(nil),
		(*learning.CourseEnrollmentChangedV1)(nil),
		(*learning.PersistentGradeSummaryChangedV1)(nil),
	}
	if err := mgr.Register(ctx, types...); err != nil {
		return err
	}
	for _, t := range types {
		subjects, _ := mgr.Subjects(t)
		fmt.Fprintf(stdout, "registered %s under subject %s\n", t.AvroType().Name, strings.Join(subjects, ", "))
	}

	// Produce: each type's topic comes from the IDL, its CloudEvents type
	// and source from its @event; sourcehost is an extension attribute,
	// as the Open edX ADR describes.
	start := time.Now()
	p, err := kafka.NewProducer(cl, mgr)
	if err != nil {
		return err
	}
	when := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	ada := learning.UserData{ID: 42, IsActive: true, Pii: learning.UserPersonalData{Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace"}}
	course := learning.CourseData{CourseKey: keys.CourseKey{Org: "edX", Course: "DemoX", Run: "Demo_Course"}, DisplayName: "Demonstration Course"}
	enrollment := learning.CourseEnrollmentData{User: ada, Course: course, Mode: learning.EnrollmentModeAudit, IsActive: true, CreationDate: when}
	upgraded := enrollment
	upgraded.Mode = learning.EnrollmentModeVerified
	passed := when.Add(90 * 24 * time.Hour)
	events := []runtime.Message{
		&learning.StudentRegistrationCompletedV1{User: ada, Time: when},
		&learning.CourseEnrollmentCreatedV1{Enrollment: enrollment},
		&learning.CourseEnrollmentChangedV1{Enrollment: upgraded},
		&learning.PersistentGradeSummaryChangedV1{Grade: learning.PersistentCourseGradeData{
			UserID: 42, Course: course, PercentGrade: 0.93, LetterGrade: "A", PassedTimestamp: &passed,
			SubsectionScores: map[string]float32{"block-v1:edX+DemoX+Demo_Course+type@sequential+block@basics": 0.93},
		}},
	}
	for _, ev := range events {
		rec, err := p.Produce(ctx, ev, kafka.Key(&learning.LearnerKey{UserID: ada.ID}),
			kafka.EventExtension("sourcehost", "edx.devstack.lms"))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "produced %s to %s\n", ev.AvroType().Name, rec.Topic)
	}
	total := len(events)

	// Consume through the router. Records of different topics may arrive
	// in any order; each record's lines are printed together.
	var mu sync.Mutex
	blocks := map[*router.Record]*strings.Builder{}
	say := func(ctx context.Context, format string, args ...any) {
		rec, _ := router.FromContext(ctx)
		mu.Lock()
		defer mu.Unlock()
		b := blocks[rec]
		if b == nil {
			b = new(strings.Builder)
			blocks[rec] = b
		}
		fmt.Fprintf(b, format, args...)
	}
	done, doneCancel := context.WithCancel(ctx)
	defer doneCancel()
	seen := 0
	// finish prints a record's lines once its last handler ran.
	finish := func(rec *router.Record) {
		mu.Lock()
		defer mu.Unlock()
		if b := blocks[rec]; b != nil {
			fmt.Fprint(stdout, b.String())
			delete(blocks, rec)
		}
		seen++
		if seen == total {
			doneCancel()
		}
	}
	r, err := router.New(mgr, router.Options{
		// No handler here wants grade events: report them, do not stop.
		Unmatched: router.Skip,
		Report: func(ctx context.Context, rec *router.Record, cause error) {
			say(ctx, "skipped %s partition %d offset %d: %v\n", rec.Topic, rec.Partition, rec.Offset, cause)
			finish(rec)
		},
	})
	if err != nil {
		return err
	}
	// First, an audit handler for every event on two topics: the value type
	// is an interface, so it takes them all, and it prints the CloudEvents
	// attributes.
	err = router.HandleValue(r, []string{registrationTopic, enrollmentTopic}, func(ctx context.Context, topic string, ev runtime.Message) error {
		rec, _ := router.FromContext(ctx)
		say(ctx, "record %s partition %d offset %d: %s\n", topic, rec.Partition, rec.Offset, ev.AvroType().Name)
		ce, ok, err := cloudevents.FromContext(ctx)
		if err != nil {
			return err
		}
		if ok {
			say(ctx, "  cloudevents: specversion=%s type=%s source=%s id=%s time=%s content-type=%s sourcehost=%s\n",
				ce.SpecVersion, ce.Type, ce.Source, ce.ID, ce.Time.Format(time.RFC3339Nano), ce.ContentType, ce.Extensions["sourcehost"])
		}
		return nil
	}, router.Name("audit"))
	if err != nil {
		return err
	}
	// Then one typed handler per event type.
	err = errors.Join(
		router.Handle(r, []string{registrationTopic}, func(ctx context.Context, _ string, key *learning.LearnerKey, ev *learning.StudentRegistrationCompletedV1) error {
			say(ctx, "  registration handler: learner %d (%s, active %t) registered at %s\n",
				key.UserID, ev.User.Pii.Username, ev.User.IsActive, ev.Time.Format(time.RFC3339))
			return nil
		}),
		router.Handle(r, []string{enrollmentTopic}, func(ctx context.Context, _ string, key *learning.LearnerKey, ev *learning.CourseEnrollmentCreatedV1) error {
			e := ev.Enrollment
			say(ctx, "  enrollment handler: learner %d enrolled in %s (%q) as %s\n", key.UserID, e.Course.CourseKey, e.Course.DisplayName, e.Mode)
			return nil
		}),
		router.Handle(r, []string{enrollmentTopic}, func(ctx context.Context, _ string, key *learning.LearnerKey, ev *learning.CourseEnrollmentChangedV1) error {
			e := ev.Enrollment
			say(ctx, "  enrollment-change handler: learner %d is now %s in %s, active %t\n", key.UserID, e.Mode, e.Course.CourseKey, e.IsActive)
			return nil
		}),
	)
	if err != nil {
		return err
	}
	// Last, a handler on both topics that marks each record done.
	err = router.HandleValue(r, []string{registrationTopic, enrollmentTopic}, func(ctx context.Context, _ string, _ runtime.Message) error {
		rec, _ := router.FromContext(ctx)
		finish(rec)
		return nil
	}, router.Name("done"))
	if err != nil {
		return err
	}
	c, err := kafka.NewConsumer(r, kafka.ConsumerConfig{
		Brokers: seeds,
		Group:   "evc-demo-openedx-" + cloudevents.NewID()[:8],
		Topics:  topics,
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

// ensureTopics creates the topics that do not exist, with one partition.
func ensureTopics(ctx context.Context, cl *kgo.Client, topics ...string) error {
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, 1, -1, nil, topics...)
	if err != nil {
		return err
	}
	for _, t := range resp.Sorted() {
		if t.Err != nil && !strings.Contains(t.Err.Error(), "TOPIC_ALREADY_EXISTS") {
			return fmt.Errorf("create topic %s: %w", t.Topic, t.Err)
		}
	}
	return nil
}
