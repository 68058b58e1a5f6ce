package interop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/internal/registrytest"
	everytypev1 "github.com/evc-dev/evc/interop/gen/everytypev1"
	everytypev2 "github.com/evc-dev/evc/interop/gen/everytypev2"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/router"
	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"
)

// records is how many records each case sends each way: enough to meet
// every edge value of the generators several times, few enough for a
// bounded run. EVC_INTEROP_RECORDS overrides it.
func records(t *testing.T) int {
	if s := os.Getenv("EVC_INTEROP_RECORDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("EVC_INTEROP_RECORDS=%q is not a positive number", s)
		}
		return n
	}
	return 200
}

// everyTopic carries EveryType: its subjects are Confluent's default
// (TopicNameStrategy), so that Python's AvroProducer, which knows no other,
// registers its version of EveryType under the subject evc registered.
const everyTopic = "interop.everytype"

// A kase is the records of one type that one side sends on one topic.
type kase struct {
	name   string
	topic  string
	value  *runtime.Type // the writer's type
	key    *runtime.Type
	msgs   []runtime.Message // Go's values, when Go writes
	keys   []runtime.Message
	recs   []rec // their canonical form and headers
	source string
}

// rec is a record in canonical form.
type rec struct {
	Key     any         `json:"key"`
	Value   any         `json:"value"`
	Headers [][2]string `json:"headers"`
}

// job is what a client script is asked to do (README.md): first consume
// what Go wrote, then produce.
type job struct {
	Brokers  string        `json:"brokers"`
	Registry string        `json:"registry"`
	Consume  []consumeSpec `json:"consume"`
	Produce  []produceSpec `json:"produce"`
}

type consumeSpec struct {
	Name  string `json:"name"`
	Topic string `json:"topic"`
	Count int    `json:"count"`
	// ReaderSchema is the value schema to read with; empty: the writer's.
	ReaderSchema string `json:"reader_schema,omitempty"`
	// ValueSchema and KeySchema are what the decoded values conform to,
	// for the script to put them in canonical form.
	ValueSchema string `json:"value_schema"`
	KeySchema   string `json:"key_schema"`
}

type produceSpec struct {
	Name          string `json:"name"`
	Topic         string `json:"topic"`
	Subject       string `json:"subject"`
	KeySubject    string `json:"key_subject"`
	Compatibility string `json:"compatibility"`
	ValueSchema   string `json:"value_schema"`
	KeySchema     string `json:"key_schema"`
	Records       []rec  `json:"records"`
}

// result is what a client script reports: the records it consumed, by
// consume name.
type result struct {
	Consumed map[string][]rec `json:"consumed"`
}

// client runs one client's script on a job file.
type client struct {
	name string
	cmd  func(ctx context.Context, jobFile, outFile string) *exec.Cmd
}

// env is a Kafka cluster (kfake) and a Schema Registry that checks
// compatibility (registrytest), both on 127.0.0.1 ports.
type env struct {
	t        *testing.T
	ctx      context.Context
	brokers  string
	registry *registrytest.Registry
	produce  *kgo.Client
}

func newEnv(t *testing.T, topics ...string) *env {
	t.Helper()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topics...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	e := &env{t: t, ctx: ctx, brokers: strings.Join(cluster.ListenAddrs(), ","), registry: registrytest.New(t)}
	// gzip, not franz-go's snappy: kafkajs reads no snappy without a
	// plug-in.
	e.produce, err = kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ProducerBatchCompression(kgo.GzipCompression()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.produce.Close)
	return e
}

func (e *env) manager(opts ...serde.Option) *serde.Manager {
	m, err := serde.New(append([]serde.Option{serde.URLs(e.registry.URL())}, opts...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// goCases makes the records Go writes for a client, with its generators.
func goCases(t *testing.T, r *rand.Rand, n int, prefix string) []*kase {
	t.Helper()
	var out []*kase
	add := func(name, topic string, value, key *runtime.Type, mk func(i int) (runtime.Message, runtime.Message)) {
		k := &kase{name: name, topic: topic, value: value, key: key}
		for i := range n {
			v, kv := mk(i)
			k.msgs = append(k.msgs, v)
			k.keys = append(k.keys, kv)
		}
		out = append(out, k)
	}
	g := newGenerator(r)
	add(prefix+"squarebot", prefix+"squarebot", (*squarebot.SquarebotMessage)(nil).AvroType(), (*squarebot.SquarebotMessageKey)(nil).AvroType(),
		func(int) (runtime.Message, runtime.Message) {
			return genMsg[squarebot.SquarebotMessage](t, g), genMsg[squarebot.SquarebotMessageKey](t, g)
		})
	for _, ev := range openedxEvents {
		add(prefix+"openedx."+shortName(ev.typ.Name), prefix+"openedx."+shortName(ev.typ.Name), ev.typ, (*learning.LearnerKey)(nil).AvroType(),
			func(int) (runtime.Message, runtime.Message) {
				return ev.gen(t, g), genMsg[learning.LearnerKey](t, g)
			})
	}
	return out
}

var openedxEvents = []struct {
	typ *runtime.Type
	gen func(*testing.T, *generator) runtime.Message
}{
	{(*learning.StudentRegistrationCompletedV1)(nil).AvroType(), func(t *testing.T, g *generator) runtime.Message {
		return genMsg[learning.StudentRegistrationCompletedV1](t, g)
	}},
	{(*learning.CourseEnrollmentCreatedV1)(nil).AvroType(), func(t *testing.T, g *generator) runtime.Message {
		return genMsg[learning.CourseEnrollmentCreatedV1](t, g)
	}},
	{(*learning.CourseEnrollmentChangedV1)(nil).AvroType(), func(t *testing.T, g *generator) runtime.Message {
		return genMsg[learning.CourseEnrollmentChangedV1](t, g)
	}},
	{(*learning.PersistentGradeSummaryChangedV1)(nil).AvroType(), func(t *testing.T, g *generator) runtime.Message {
		return genMsg[learning.PersistentGradeSummaryChangedV1](t, g)
	}},
}

func shortName(full string) string { return full[strings.LastIndexByte(full, '.')+1:] }

func newGenerator(r *rand.Rand) *generator {
	return &generator{r: r, text: map[reflect.Type]func(*rand.Rand) string{
		reflect.TypeFor[keys.CourseKey](): func(r *rand.Rand) string {
			return fmt.Sprintf("course-v1:Org%d+C%d+R%d", r.IntN(100), r.IntN(1000), r.IntN(10))
		},
	}}
}

// genMsg makes a random *T, a generated message type.
func genMsg[T any, P interface {
	*T
	runtime.Message
}](t *testing.T, g *generator) P {
	t.Helper()
	var p P = new(T)
	n := mustSchema(t, p.AvroType())
	v, err := g.gen(n, reflect.TypeFor[T]())
	if err != nil {
		t.Fatal(err)
	}
	reflect.ValueOf(p).Elem().Set(v)
	return p
}

// genEveryV1 and genEveryV2 make random EveryType values, setting the
// unions that the generic generator leaves nil.
func genEveryV1(t *testing.T, g *generator) *everytypev1.EveryType {
	m := genMsg[everytypev1.EveryType](t, g)
	switch g.r.IntN(4) {
	case 1:
		m.Choice = everytypev1.EveryTypeChoiceString{Value: randString(g.r)}
	case 2:
		m.Choice = everytypev1.EveryTypeChoiceLong{Value: g.r.Int64N(2*maxSafe) - maxSafe}
	case 3:
		m.Choice = everytypev1.EveryTypeChoicePoint{Value: everytypev1.Point{X: g.r.Int32(), Y: -g.r.Int32()}}
	}
	if g.r.IntN(2) == 0 {
		m.NoNull = everytypev1.EveryTypeNoNullInt{Value: int32(g.r.Uint32())}
	} else {
		m.NoNull = everytypev1.EveryTypeNoNullString{Value: randString(g.r)}
	}
	return m
}

func genEveryV2(t *testing.T, g *generator) *everytypev2.EveryType {
	m := genMsg[everytypev2.EveryType](t, g)
	switch g.r.IntN(4) {
	case 1:
		m.Choice = everytypev2.EveryTypeChoiceString{Value: randString(g.r)}
	case 2:
		m.Choice = everytypev2.EveryTypeChoiceLong{Value: g.r.Int64N(2*maxSafe) - maxSafe}
	case 3:
		m.Choice = everytypev2.EveryTypeChoicePoint{Value: everytypev2.Point{X: g.r.Int32(), Y: -g.r.Int32()}}
	}
	if g.r.IntN(2) == 0 {
		m.NoNull = everytypev2.EveryTypeNoNullInt{Value: int32(g.r.Uint32())}
	} else {
		m.NoNull = everytypev2.EveryTypeNoNullString{Value: randString(g.r)}
	}
	return m
}

func mustSchema(t *testing.T, typ *runtime.Type) *node {
	t.Helper()
	n, err := parseSchema(typ.Schema())
	if err != nil {
		t.Fatalf("schema of %s: %v", typ.Name, err)
	}
	return n
}

// canonMsg is the canonical form of a Go message, through JSON as the
// clients' forms come.
func canonMsg(t *testing.T, m runtime.Message) any {
	t.Helper()
	c, err := canon(mustSchema(t, m.AvroType()), reflect.ValueOf(m))
	if err != nil {
		t.Fatalf("canonical form of %s: %v", m.AvroType().Name, err)
	}
	return viaJSON(t, c)
}

func viaJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, b)
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return normalize(v)
}

// project is what a reader with schema to makes of a canonical record
// written with schema from: the fields both have, and to's defaults for
// the rest (defaults of the kinds EveryType's versions use).
func project(t *testing.T, v any, from, to *node) any {
	t.Helper()
	m := v.(map[string]any)
	out := map[string]any{}
	for _, f := range to.fields {
		if x, ok := m[f.name]; ok && hasField(from, f.name) {
			out[f.name] = x
			continue
		}
		if !f.has {
			t.Fatalf("%s.%s has no default", to.name, f.name)
		}
		out[f.name] = f.def
	}
	return viaJSON(t, out)
}

func hasField(n *node, name string) bool {
	for _, f := range n.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// produceGo writes k's Go messages with the runtime's producer and records
// their canonical form and headers.
func (e *env) produceGo(p *kafka.Producer, k *kase) {
	t := e.t
	var batch []*kgo.Record
	for i, m := range k.msgs {
		r, err := p.Record(e.ctx, m, kafka.Topic(k.topic), kafka.Key(k.keys[i]),
			kafka.Headers(kgo.RecordHeader{Key: "x-interop-seq", Value: []byte(strconv.Itoa(i) + " ✓")}))
		if err != nil {
			t.Fatalf("%s: record %d: %v", k.name, i, err)
		}
		batch = append(batch, r)
		rc := rec{Key: canonMsg(t, k.keys[i]), Value: canonMsg(t, m)}
		for _, h := range r.Headers {
			rc.Headers = append(rc.Headers, [2]string{h.Key, string(h.Value)})
		}
		k.recs = append(k.recs, rc)
	}
	if err := e.produce.ProduceSync(e.ctx, batch...).FirstErr(); err != nil {
		t.Fatalf("%s: produce: %v", k.name, err)
	}
}

// clientRecords makes the records a client writes: canonical forms of
// random Go values, and CloudEvents headers as the Open edX event bus
// writes them.
func clientRecords(t *testing.T, n int, source string, value, key *runtime.Type, mk func() (runtime.Message, runtime.Message)) []rec {
	var out []rec
	for i := range n {
		v, kv := mk()
		r := rec{Key: canonMsg(t, kv), Value: canonMsg(t, v)}
		if value.Event != nil {
			r.Headers = [][2]string{
				{"ce_specversion", "1.0"},
				{"ce_id", cloudevents.NewID()},
				{"ce_source", source},
				{"ce_type", value.Event.Type},
				{"ce_time", time.Date(2026, 12, 1, 5, 54, 9, 376663000, time.UTC).Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000000+00:00")},
				{"content-type", "application/avro"},
			}
		}
		r.Headers = append(r.Headers, [2]string{"x-interop-seq", strconv.Itoa(i) + " ✓"})
		out = append(out, r)
	}
	return out
}

// consumeGo reads n records of topic from the start, and returns their
// canonical forms as decoded by m into its known types.
func (e *env) consumeGo(m *serde.Manager, topic string, n int) []rec {
	t := e.t
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(e.brokers, ",")...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var out []rec
	for len(out) < n {
		fs := cl.PollFetches(e.ctx)
		if err := e.ctx.Err(); err != nil {
			t.Fatalf("%s: %d of %d records read: %v", topic, len(out), n, err)
		}
		for _, fe := range fs.Errors() {
			t.Fatalf("%s: fetch: %v", topic, fe.Err)
		}
		for _, kr := range fs.Records() {
			var r rec
			key, err := m.Deserialize(e.ctx, kr.Key)
			if err != nil {
				t.Fatalf("%s offset %d: key: %v", topic, kr.Offset, err)
			}
			val, err := m.Deserialize(e.ctx, kr.Value)
			if err != nil {
				t.Fatalf("%s offset %d: value: %v", topic, kr.Offset, err)
			}
			r.Key, r.Value = canonMsg(t, key), canonMsg(t, val)
			var hs []router.Header
			for _, h := range kr.Headers {
				r.Headers = append(r.Headers, [2]string{h.Key, string(h.Value)})
				hs = append(hs, router.Header{Key: h.Key, Value: h.Value})
			}
			// The CloudEvents headers a client wrote read as an event.
			if ev, ok, err := cloudevents.Parse(hs); err != nil || (ok && (ev.ID == "" || ev.Type == "")) {
				t.Errorf("%s offset %d: CloudEvents headers: %+v, %v", topic, kr.Offset, ev, err)
			}
			out = append(out, r)
		}
	}
	return out
}

// compare checks got against want record by record, field by field, and
// returns how many records agree.
func compare(t *testing.T, what string, want, got []rec) int {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d records, want %d", what, len(got), len(want))
	}
	agree, shown := 0, 0
	for i := range min(len(want), len(got)) {
		d := diff("key", normalize(want[i].Key), normalize(got[i].Key))
		d = append(d, diff("value", normalize(want[i].Value), normalize(got[i].Value))...)
		if !equalHeaders(want[i].Headers, got[i].Headers) {
			d = append(d, fmt.Sprintf("headers: got %q, want %q", got[i].Headers, want[i].Headers))
		}
		if len(d) == 0 {
			agree++
			continue
		}
		if shown < 3 {
			shown++
			t.Errorf("%s: record %d differs:\n  %s", what, i, strings.Join(d, "\n  "))
		}
	}
	return agree
}

func equalHeaders(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// runClient runs a client's script on j and returns what it consumed.
func (e *env) runClient(c client, j job) result {
	t := e.t
	dir := t.TempDir()
	jobFile, outFile := filepath.Join(dir, "job.json"), filepath.Join(dir, "out.json")
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jobFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(e.ctx, 6*time.Minute)
	defer cancel()
	cmd := c.cmd(ctx, jobFile, outFile)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s client: %v\n%s", c.name, err, stderr.String())
	}
	t.Logf("%s client ran in %v", c.name, time.Since(start).Round(time.Millisecond))
	out, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("%s client wrote no result: %v\n%s", c.name, err, stderr.String())
	}
	var res result
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("%s client result: %v", c.name, err)
	}
	return res
}

// testClient runs the whole exchange with one client: Go writes the
// examples and EveryType v1; the client reads them (EveryType also with v2
// as its reader schema), then writes the examples and EveryType v2, which it
// registers under the subject Go registered v1 under (FULL); Go reads them,
// EveryType with v1 and with v2.
func testClient(t *testing.T, c client) {
	n := records(t)
	r := rand.New(rand.NewPCG(2026, uint64(len(c.name))))
	g := newGenerator(r)
	goPrefix, clPrefix := "go.", c.name+"."
	cases := goCases(t, r, n, goPrefix)
	every := &kase{name: "go.everytype", topic: everyTopic, value: (*everytypev1.EveryType)(nil).AvroType(), key: (*everytypev1.EveryTypeKey)(nil).AvroType()}
	for range n {
		every.msgs = append(every.msgs, genEveryV1(t, g))
		every.keys = append(every.keys, genMsg[everytypev1.EveryTypeKey](t, g))
	}
	var topics []string
	for _, k := range cases {
		topics = append(topics, k.topic, clPrefix+strings.TrimPrefix(k.topic, goPrefix))
	}
	e := newEnv(t, append(topics, everyTopic)...)

	// Go writes.
	examples := e.manager()
	p, err := kafka.NewProducer(e.produce, examples)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range cases {
		e.produceGo(p, k)
	}
	everyMgr := e.manager(serde.Strategy(serde.TopicNameStrategy), serde.Compatibility(sr.CompatFull))
	pe, err := kafka.NewProducer(e.produce, everyMgr)
	if err != nil {
		t.Fatal(err)
	}
	e.produceGo(pe, every)

	v1, v2 := mustSchema(t, every.value), mustSchema(t, (*everytypev2.EveryType)(nil).AvroType())
	v2Schema := (*everytypev2.EveryType)(nil).AvroType().Schema()
	j := job{Brokers: e.brokers, Registry: e.registry.URL()}
	for _, k := range append(cases, every) {
		j.Consume = append(j.Consume, consumeSpec{Name: k.name, Topic: k.topic, Count: n, ValueSchema: k.value.Schema(), KeySchema: k.key.Schema()})
	}
	j.Consume = append(j.Consume, consumeSpec{Name: "go.everytype as v2", Topic: everyTopic, Count: n, ReaderSchema: v2Schema, ValueSchema: v2Schema, KeySchema: every.key.Schema()})

	// What the client writes.
	var clientCases []produceSpec
	for _, k := range cases {
		topic := clPrefix + strings.TrimPrefix(k.topic, goPrefix)
		mk := func() (runtime.Message, runtime.Message) {
			if k.value.Name == (*squarebot.SquarebotMessage)(nil).AvroType().Name {
				return genMsg[squarebot.SquarebotMessage](t, g), genMsg[squarebot.SquarebotMessageKey](t, g)
			}
			for _, ev := range openedxEvents {
				if ev.typ == k.value {
					return ev.gen(t, g), genMsg[learning.LearnerKey](t, g)
				}
			}
			t.Fatalf("no generator for %s", k.value.Name)
			return nil, nil
		}
		clientCases = append(clientCases, produceSpec{
			Name: topic, Topic: topic, Subject: topic + "-value", KeySubject: topic + "-key", Compatibility: "BACKWARD",
			ValueSchema: k.value.Schema(), KeySchema: k.key.Schema(),
			Records: clientRecords(t, n, "/interop/"+c.name, k.value, k.key, mk),
		})
	}
	everyClient := produceSpec{
		Name: "everytype v2", Topic: everyTopic, Subject: everyTopic + "-value", KeySubject: everyTopic + "-key", Compatibility: "FULL",
		ValueSchema: v2Schema, KeySchema: every.key.Schema(),
		Records: clientRecords(t, n, "/interop/"+c.name, (*everytypev2.EveryType)(nil).AvroType(), every.key, func() (runtime.Message, runtime.Message) {
			return genEveryV2(t, g), genMsg[everytypev1.EveryTypeKey](t, g)
		}),
	}
	j.Produce = append(clientCases, everyClient)

	res := e.runClient(c, j)

	// The client read what Go wrote.
	goToClient := 0
	for _, k := range append(cases, every) {
		goToClient += compare(t, c.name+" read "+k.name, k.recs, res.Consumed[k.name])
	}
	var asV2 []rec
	for _, r := range every.recs {
		asV2 = append(asV2, rec{Key: r.Key, Value: project(t, r.Value, v1, v2), Headers: r.Headers})
	}
	evolvedToClient := compare(t, c.name+" read go.everytype (v1) as v2", asV2, res.Consumed["go.everytype as v2"])

	// Go reads what the client wrote.
	reader := e.manager()
	if err := reader.AddTypes((*squarebot.SquarebotMessage)(nil), (*squarebot.SquarebotMessageKey)(nil), (*learning.LearnerKey)(nil)); err != nil {
		t.Fatal(err)
	}
	for _, ev := range openedxEvents {
		if err := reader.AddTypes(ev.typ.New()); err != nil {
			t.Fatal(err)
		}
	}
	clientToGo := 0
	for _, pc := range clientCases {
		clientToGo += compare(t, "Go read "+pc.Name, pc.Records, e.consumeGo(reader, pc.Topic, n))
	}
	// The topic of EveryType holds Go's v1 records, then the client's v2.
	readV1, readV2 := e.manager(), e.manager()
	if err := readV1.AddTypes((*everytypev1.EveryType)(nil), (*everytypev1.EveryTypeKey)(nil)); err != nil {
		t.Fatal(err)
	}
	if err := readV2.AddTypes((*everytypev2.EveryType)(nil), (*everytypev1.EveryTypeKey)(nil)); err != nil {
		t.Fatal(err)
	}
	gotV1, gotV2 := e.consumeGo(readV1, everyTopic, 2*n), e.consumeGo(readV2, everyTopic, 2*n)
	clientToGo += compare(t, "Go (v2) read "+c.name+"'s everytype v2", everyClient.Records, gotV2[n:])
	var clientAsV1 []rec
	for _, r := range everyClient.Records {
		clientAsV1 = append(clientAsV1, rec{Key: r.Key, Value: project(t, r.Value, v2, v1), Headers: r.Headers})
	}
	evolvedToGo := compare(t, "Go (v1) read "+c.name+"'s everytype v2", clientAsV1, gotV1[n:])
	compare(t, "Go (v1) read its own everytype v1", every.recs, gotV1[:n])
	compare(t, "Go (v2) read its own everytype v1", asV2, gotV2[:n])

	// The client's v2 went to the subject evc registered v1 under.
	if _, ok := e.registry.GetSchema(everyTopic+"-value", 2); !ok {
		t.Errorf("%s did not register EveryType v2 as version 2 of %s-value", c.name, everyTopic)
	}
	total := n * (len(cases) + 1)
	t.Logf("%s: Go -> %s: %d of %d records agree (examples and EveryType), %d of %d EveryType v1 read as v2",
		c.name, c.name, goToClient, total, evolvedToClient, n)
	t.Logf("%s: %s -> Go: %d of %d records agree (examples and EveryType v2), %d of %d EveryType v2 read as v1",
		c.name, c.name, clientToGo, total, evolvedToGo, n)
}

// need says whether a client's tools are there: under CI they must be.
func need(t *testing.T, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing; .ci/run installs it", what)
	}
	t.Skipf("%s is missing (.ci/run installs it; under CI=true this test fails)", what)
}
