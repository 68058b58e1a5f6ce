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
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/evc-dev/evc/examples/internal/demoenv"
	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
)

func main() { demoenv.Main(run) }

const (
	enrollmentTopic   = "openedx.learning.course.enrollment"
	registrationTopic = "openedx.learning.student.registration"
	gradeTopic        = "openedx.learning.course.grade"
)

// run is the demo, on the registry and the cluster cfg names.
func run(ctx context.Context, cfg demoenv.Config, stdout io.Writer) error {
	// The registry, the cluster and the topics.
	topics := []string{enrollmentTopic, registrationTopic, gradeTopic}
	env, err := demoenv.Start(ctx, cfg, stdout, topics...)
	if err != nil {
		return err
	}
	defer env.Close()

	// Register the generated types, as a service does at start-up.
	err = env.Register(ctx,
		(*learning.LearnerKey)(nil),
		(*learning.StudentRegistrationCompletedV1)(nil),
		(*learning.CourseEnrollmentCreatedV1)(nil),
		(*learning.CourseEnrollmentChangedV1)(nil),
		(*learning.PersistentGradeSummaryChangedV1)(nil),
	)
	if err != nil {
		return err
	}

	// Produce: each type's topic comes from the IDL, its CloudEvents type
	// and source from its @event. The headers are those the Open edX event
	// bus writes and reads (cloudevents.OpenEdX): sourcehost and sourcelib
	// as bare headers, ce_minorversion, ce_datacontenttype.
	p, err := kafka.NewProducer(env.Client, env.Serde, kafka.EventBinding(cloudevents.OpenEdX))
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
			kafka.EventExtension("sourcehost", "edx.devstack.lms"), kafka.EventExtension("sourcelib", "9.15.0"))
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
	done := demoenv.NewCountdown(ctx, total)
	// finish prints a record's lines once its last handler ran.
	finish := func(rec *router.Record) {
		mu.Lock()
		if b := blocks[rec]; b != nil {
			fmt.Fprint(stdout, b.String())
			delete(blocks, rec)
		}
		mu.Unlock()
		done.Count()
	}
	r, err := router.New(env.Serde,
		// No handler here wants grade events: report them, do not stop.
		router.OnUnmatched(router.Skip),
		router.ReportFunc(func(ctx context.Context, rec *router.Record, cause error) {
			say(ctx, "skipped %s partition %d offset %d: %v\n", rec.Topic, rec.Partition, rec.Offset, cause)
			finish(rec)
		}))
	if err != nil {
		return err
	}
	// First, an audit handler for every event on two topics: the value type
	// is an interface, so it takes them all, and it prints the CloudEvents
	// attributes.
	err = router.HandleValue(r, []string{registrationTopic, enrollmentTopic}, func(ctx context.Context, topic string, ev runtime.Message) error {
		rec, _ := router.FromContext(ctx)
		say(ctx, "record %s partition %d offset %d: %s\n", topic, rec.Partition, rec.Offset, ev.AvroType().Name)
		ce, ok, err := cloudevents.OpenEdX.FromContext(ctx)
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
	// Read this run's records with a new group, grades too.
	c, err := env.Consumer(r, "evc-demo-openedx", topics...)
	if err != nil {
		return err
	}
	return env.Consume(c, done)
}
