package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/router"
)

// Serializer encodes a message in the Schema Registry wire format. The
// schema manager in runtime/serde implements it.
type Serializer interface {
	Serialize(ctx context.Context, msg runtime.Message) ([]byte, error)
}

// Producer produces generated messages through a franz-go client.
type Producer struct {
	cl      *kgo.Client
	ser     Serializer
	source  string
	binding *cloudevents.Binding
}

// ProducerOption configures a Producer.
type ProducerOption func(*Producer)

// DefaultSource sets the CloudEvents source of events whose type declares
// none in the IDL, such as "/openedx/lms/web".
func DefaultSource(source string) ProducerOption {
	return func(p *Producer) { p.source = source }
}

// EventBinding sets how CloudEvents attributes are written as headers:
// cloudevents.Kafka (the default) or cloudevents.OpenEdX, which writes
// what the Open edX event bus writes and reads (sourcehost and sourcelib
// as bare headers, ce_minorversion, ce_datacontenttype).
func EventBinding(b *cloudevents.Binding) ProducerOption {
	return func(p *Producer) {
		if b != nil {
			p.binding = b
		}
	}
}

// ProducerOpts returns the kgo options for a client that produces records
// every mainstream Kafka client can read: batches compressed with gzip.
// franz-go's own default is snappy, which kafkajs cannot read without a
// plug-in (it fails every record with "Snappy compression not
// implemented"); gzip is the one codec that Java, librdkafka (and so
// confluent-kafka-python and -go), kafkajs, sarama and franz-go all read out
// of the box. On Squarebot records it cuts the bytes on the wire about six
// times (bench: BenchmarkProduceCompression). To choose otherwise, add a
// later kgo.ProducerBatchCompression:
//
//	cl, err := kgo.NewClient(append(kafka.ProducerOpts(), kgo.SeedBrokers(brokers...))...)
//	p, err := kafka.NewProducer(cl, mgr)
func ProducerOpts() []kgo.Opt {
	return []kgo.Opt{kgo.ProducerBatchCompression(kgo.GzipCompression())}
}

// NewProducer returns a producer that serializes with ser and produces with
// cl (see ProducerOpts for the options it should have). The caller keeps
// ownership of cl.
func NewProducer(cl *kgo.Client, ser Serializer, opts ...ProducerOption) (*Producer, error) {
	if cl == nil || ser == nil {
		return nil, errors.New("evc: kafka: NewProducer needs a client and a serializer")
	}
	p := &Producer{cl: cl, ser: ser, binding: cloudevents.Kafka}
	for _, o := range opts {
		o(p)
	}
	return p, nil
}

// A ProduceOption adjusts one record.
type ProduceOption func(*produceConfig)

type produceConfig struct {
	topic      string
	key        runtime.Message
	rawKey     []byte
	hasRawKey  bool
	id         string
	time       time.Time
	subject    string
	headers    []kgo.RecordHeader
	noCE       bool
	extensions map[string]string
}

// Topic sets the topic, overriding the one the IDL declares for the value's
// type.
func Topic(topic string) ProduceOption { return func(c *produceConfig) { c.topic = topic } }

// Key sets a generated message as the key; it is serialized like the value.
func Key(key runtime.Message) ProduceOption { return func(c *produceConfig) { c.key = key } }

// RawKey sets the key bytes as they are.
func RawKey(key []byte) ProduceOption {
	return func(c *produceConfig) { c.rawKey, c.hasRawKey = key, true }
}

// EventID sets the CloudEvents id instead of a random UUID.
func EventID(id string) ProduceOption { return func(c *produceConfig) { c.id = id } }

// EventTime sets the CloudEvents time instead of now.
func EventTime(t time.Time) ProduceOption { return func(c *produceConfig) { c.time = t } }

// EventSubject sets the CloudEvents subject.
func EventSubject(s string) ProduceOption { return func(c *produceConfig) { c.subject = s } }

// EventExtension sets a CloudEvents extension attribute, such as Open
// edX's "sourcelib" (which the producer's EventBinding decides how to
// write: cloudevents.OpenEdX writes it as a bare sourcelib header).
func EventExtension(name, value string) ProduceOption {
	return func(c *produceConfig) {
		if c.extensions == nil {
			c.extensions = map[string]string{}
		}
		c.extensions[name] = value
	}
}

// NoCloudEvents leaves out the CloudEvents headers.
func NoCloudEvents() ProduceOption { return func(c *produceConfig) { c.noCE = true } }

// Headers adds headers, before the CloudEvents ones. A header that the
// CloudEvents ones repeat is an error: readers such as Open edX's refuse a
// record with two of a header.
func Headers(hs ...kgo.RecordHeader) ProduceOption {
	return func(c *produceConfig) { c.headers = append(c.headers, hs...) }
}

// TopicOf returns the topic the IDL declares t's messages as values on. It
// is an error if it declares none or several.
func TopicOf(t *runtime.Type) (string, error) {
	var found []string
	for _, r := range t.Topics {
		if !r.Key {
			found = append(found, r.Topic)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("evc: kafka: type %q declares no topic; pass kafka.Topic", t.Name)
	}
	return "", fmt.Errorf("evc: kafka: type %q is declared on several topics %q; pass kafka.Topic", t.Name, found)
}

// Record builds the record for value without producing it: the serialized
// key and value, the topic, and the headers. The CloudEvents headers are
// set when value's type declares event metadata (and NoCloudEvents is not
// given).
func (p *Producer) Record(ctx context.Context, value runtime.Message, opts ...ProduceOption) (*kgo.Record, error) {
	if value == nil {
		return nil, errors.New("evc: kafka: nil value; to delete a key, use Delete")
	}
	var c produceConfig
	for _, o := range opts {
		o(&c)
	}
	t := value.AvroType()
	if t == nil {
		return nil, fmt.Errorf("evc: kafka: value %T has no Avro type", value)
	}
	rec := &kgo.Record{Topic: c.topic}
	if rec.Topic == "" {
		topic, err := TopicOf(t)
		if err != nil {
			return nil, err
		}
		rec.Topic = topic
	}
	switch {
	case c.key != nil && c.hasRawKey:
		return nil, errors.New("evc: kafka: both Key and RawKey given")
	case c.key != nil:
		k, err := p.ser.Serialize(ctx, c.key)
		if err != nil {
			return nil, wrap(err, "key for topic %q", rec.Topic)
		}
		rec.Key = k
	case c.hasRawKey:
		rec.Key = c.rawKey
	}
	v, err := p.ser.Serialize(ctx, value)
	if err != nil {
		return nil, wrap(err, "value for topic %q", rec.Topic)
	}
	rec.Value = v
	rec.Headers = c.headers
	if t.Event != nil && !c.noCE {
		ev, err := cloudevents.New(t)
		if err != nil {
			return nil, err
		}
		if ev.Source == "" {
			ev.Source = p.source
		}
		if c.id != "" {
			ev.ID = c.id
		}
		if !c.time.IsZero() {
			ev.Time = c.time
		}
		ev.Subject = c.subject
		ev.Extensions = c.extensions
		hs, err := p.binding.AppendHeaders(&ev, nil)
		if err != nil {
			return nil, wrap(err, "type %q", t.Name)
		}
		for _, h := range hs {
			if slices.ContainsFunc(c.headers, func(u kgo.RecordHeader) bool { return u.Key == h.Key }) {
				return nil, fmt.Errorf("evc: kafka: type %q: header %q is given and is also a CloudEvents header", t.Name, h.Key)
			}
			rec.Headers = append(rec.Headers, kgo.RecordHeader(h))
		}
	}
	return rec, nil
}

// Produce builds the record for value (see Record), produces it and waits
// for the broker's acknowledgement. It returns the produced record, with its
// partition and offset.
func (p *Producer) Produce(ctx context.Context, value runtime.Message, opts ...ProduceOption) (*kgo.Record, error) {
	rec, err := p.Record(ctx, value, opts...)
	if err != nil {
		return nil, err
	}
	if err := p.cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return nil, wrap(err, "produce to %q", rec.Topic)
	}
	return rec, nil
}

// KeyTopicOf returns the topic the IDL declares t's messages as keys on. It
// is an error if it declares none or several.
func KeyTopicOf(t *runtime.Type) (string, error) {
	var found []string
	for _, r := range t.Topics {
		if r.Key {
			found = append(found, r.Topic)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("evc: kafka: type %q is the key of no topic; pass kafka.Topic", t.Name)
	}
	return "", fmt.Errorf("evc: kafka: type %q is the key of several topics %q; pass kafka.Topic", t.Name, found)
}

// DeleteRecord builds a tombstone without producing it: a record with key
// and a null value, which deletes the key in a compacted topic and reaches
// the consumers' delete handlers (router.HandleDelete). The topic is the
// one the IDL declares key's type as the key of, or the Topic option's.
// key may be nil when RawKey gives the key bytes. Headers apply; the
// CloudEvents options do not, as a tombstone carries no event.
func (p *Producer) DeleteRecord(ctx context.Context, key runtime.Message, opts ...ProduceOption) (*kgo.Record, error) {
	var c produceConfig
	for _, o := range opts {
		o(&c)
	}
	if key != nil && c.hasRawKey {
		return nil, errors.New("evc: kafka: both a key and RawKey given")
	}
	if key == nil && !c.hasRawKey {
		return nil, errors.New("evc: kafka: a tombstone needs a key")
	}
	rec := &kgo.Record{Topic: c.topic, Headers: c.headers}
	if rec.Topic == "" {
		if key == nil {
			return nil, errors.New("evc: kafka: a tombstone with a raw key needs kafka.Topic")
		}
		t := key.AvroType()
		if t == nil {
			return nil, fmt.Errorf("evc: kafka: key %T has no Avro type", key)
		}
		topic, err := KeyTopicOf(t)
		if err != nil {
			return nil, err
		}
		rec.Topic = topic
	}
	if key == nil {
		rec.Key = c.rawKey
		return rec, nil
	}
	k, err := p.ser.Serialize(ctx, key)
	if err != nil {
		return nil, wrap(err, "key for topic %q", rec.Topic)
	}
	rec.Key = k
	return rec, nil
}

// Delete builds a tombstone for key (see DeleteRecord), produces it and
// waits for the broker's acknowledgement.
func (p *Producer) Delete(ctx context.Context, key runtime.Message, opts ...ProduceOption) (*kgo.Record, error) {
	rec, err := p.DeleteRecord(ctx, key, opts...)
	if err != nil {
		return nil, err
	}
	if err := p.cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return nil, wrap(err, "produce tombstone to %q", rec.Topic)
	}
	return rec, nil
}

// Dead-letter headers added by DeadLetterTopic.
const (
	HeaderDLQTopic     = "evc_dlq_topic"
	HeaderDLQPartition = "evc_dlq_partition"
	HeaderDLQOffset    = "evc_dlq_offset"
	HeaderDLQCause     = "evc_dlq_cause"
	// HeaderDLQOmitted lists what a dead letter leaves out of its record
	// because the whole would be over the size limit: "value", or
	// "value,key,headers". The record's place (the three headers above)
	// says where to find it in full, for as long as the topic keeps it.
	HeaderDLQOmitted = "evc_dlq_omitted"
	// HeaderDLQValueSize is the size in bytes of a value left out.
	HeaderDLQValueSize = "evc_dlq_value_size"
)

// MaxCauseHeader bounds the evc_dlq_cause header, in bytes; a longer cause
// is cut and ends with "…".
const MaxCauseHeader = 512

// DeadLetterTopic returns a router dead-letter function that produces each
// set-aside record to topic unchanged (key, value, headers, timestamp), with
// headers naming where it came from and why it was set aside, and waits for
// the acknowledgement.
//
// A dead letter never blocks its partition on size: when the record with
// the dead-letter headers is over the producer's or the broker's limit
// (a poison record close to the limit fits on its topic, but not with
// more headers), it is produced again without its value (an empty value,
// not a null one, which would read as a tombstone), and if that is still
// too large, without its key and original headers either. HeaderDLQOmitted
// says what was left out, and the record's topic, partition and offset
// still identify it.
func DeadLetterTopic(cl *kgo.Client, topic string) func(ctx context.Context, rec *router.Record, cause error) error {
	return func(ctx context.Context, rec *router.Record, cause error) error {
		place := []kgo.RecordHeader{
			{Key: HeaderDLQTopic, Value: []byte(rec.Topic)},
			{Key: HeaderDLQPartition, Value: fmt.Appendf(nil, "%d", rec.Partition)},
			{Key: HeaderDLQOffset, Value: fmt.Appendf(nil, "%d", rec.Offset)},
			{Key: HeaderDLQCause, Value: []byte(truncate(cause.Error(), MaxCauseHeader))},
		}
		full := &kgo.Record{Topic: topic, Key: rec.Key, Value: rec.Value, Timestamp: rec.Timestamp}
		for _, h := range rec.Headers {
			full.Headers = append(full.Headers, kgo.RecordHeader(h))
		}
		full.Headers = append(full.Headers, place...)
		noValue := &kgo.Record{Topic: topic, Key: rec.Key, Value: []byte{}, Timestamp: rec.Timestamp,
			Headers: append(slices.Clone(full.Headers),
				kgo.RecordHeader{Key: HeaderDLQOmitted, Value: []byte("value")},
				kgo.RecordHeader{Key: HeaderDLQValueSize, Value: fmt.Appendf(nil, "%d", len(rec.Value))})}
		bare := &kgo.Record{Topic: topic, Value: []byte{}, Timestamp: rec.Timestamp,
			Headers: append(slices.Clone(place),
				kgo.RecordHeader{Key: HeaderDLQOmitted, Value: []byte("value,key,headers")},
				kgo.RecordHeader{Key: HeaderDLQValueSize, Value: fmt.Appendf(nil, "%d", len(rec.Value))})}
		var err error
		for _, out := range []*kgo.Record{full, noValue, bare} {
			if err = cl.ProduceSync(ctx, out).FirstErr(); !tooLarge(err) {
				break
			}
		}
		if err != nil {
			return wrap(err, "dead-letter to %q", topic)
		}
		return nil
	}
}

// wrapped is an error of a lower layer with what the producer was doing;
// its message says "evc:" once.
type wrapped struct {
	what string
	err  error
}

func (e *wrapped) Error() string {
	return "evc: kafka: " + e.what + ": " + strings.TrimPrefix(e.err.Error(), "evc: ")
}

func (e *wrapped) Unwrap() error { return e.err }

func wrap(err error, format string, args ...any) error {
	return &wrapped{what: fmt.Sprintf(format, args...), err: err}
}

// tooLarge reports whether a produce failed on the record's size, from the
// client's own check or the broker's.
func tooLarge(err error) bool {
	return errors.Is(err, kerr.MessageTooLarge) || errors.Is(err, kerr.RecordListTooLarge)
}

// truncate returns s cut to at most n bytes on a UTF-8 boundary, ending
// with "…" when something was cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	cut := max(n-len(ell), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ell
}
