package kafka_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/avro"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/internal/msgtest"
	"github.com/evc-dev/evc/internal/registrytest"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/kafka"
	"github.com/evc-dev/evc/runtime/serde"
)

// Hand-written stand-ins for generated types, encoded with twmb/avro.

const (
	chatKeyJSON = `{"type":"record","name":"ChatKey","namespace":"evc.kafkatest","fields":[{"name":"user","type":"string"}]}`
	chatMsgJSON = `{"type":"record","name":"ChatMessage","namespace":"evc.kafkatest","fields":[` +
		`{"name":"text","type":"string"},{"name":"n","type":"int"}]}`
)

type ChatKey struct {
	User string `avro:"user"`
}

type ChatMessage struct {
	Text string `avro:"text"`
	N    int32  `avro:"n"`
}

var (
	chatKeySchema = avro.MustParse(chatKeyJSON)
	chatMsgSchema = avro.MustParse(chatMsgJSON)
	chatKeyType   = mkType("evc.kafkatest.ChatKey", chatKeyJSON, func() runtime.Message { return new(ChatKey) }, nil,
		runtime.TopicRole{Topic: "chat", Key: true})
	chatMsgType = mkType("evc.kafkatest.ChatMessage", chatMsgJSON, func() runtime.Message { return new(ChatMessage) },
		&runtime.Event{Type: "dev.evc.test.chat.message.v1", Source: "/evc/test"},
		runtime.TopicRole{Topic: "chat"})
)

// mkType describes a hand-written test type.
func mkType(name, schema string, newFn func() runtime.Message, ev *runtime.Event, topics ...runtime.TopicRole) *runtime.Type {
	t := msgtest.Type(name, schema, newFn)
	t.Event, t.Topics = ev, topics
	return t
}

var decodeExact = msgtest.DecodeExact

func (*ChatKey) AvroType() *runtime.Type                 { return chatKeyType }
func (k *ChatKey) AppendAvro(dst []byte) ([]byte, error) { return chatKeySchema.AppendEncode(dst, k) }
func (k *ChatKey) UnmarshalAvro(b []byte) error {
	*k = ChatKey{}
	return decodeExact(chatKeySchema, b, k)
}

func (*ChatMessage) AvroType() *runtime.Type { return chatMsgType }
func (m *ChatMessage) AppendAvro(dst []byte) ([]byte, error) {
	return chatMsgSchema.AppendEncode(dst, m)
}
func (m *ChatMessage) UnmarshalAvro(b []byte) error {
	*m = ChatMessage{}
	return decodeExact(chatMsgSchema, b, m)
}

// env is an in-process registry and Kafka cluster on loopback.
type env struct {
	reg     *srfake.Registry
	cluster *kfake.Cluster
	brokers []string
	mgr     *serde.Manager
}

func newEnv(t testing.TB, partitions int32, topics ...string) *env {
	t.Helper()
	reg := srfake.New()
	t.Cleanup(reg.Close)
	registrytest.Check(reg) // compatibility checked as a real registry does
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, topics...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	mgr, err := serde.New(serde.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := mgr.Register(ctx, (*ChatKey)(nil), (*ChatMessage)(nil)); err != nil {
		t.Fatal(err)
	}
	return &env{reg: reg, cluster: cluster, brokers: cluster.ListenAddrs(), mgr: mgr}
}

func (e *env) client(t testing.TB, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(e.brokers...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// consumerClient returns a client for a Consumer in group, closed when the
// test ends.
func (e *env) consumerClient(t testing.TB, group string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	return e.client(t, append(kafka.ConsumerOpts(group), opts...)...)
}
