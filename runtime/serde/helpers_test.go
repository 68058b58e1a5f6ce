package serde_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evc-dev/evc/internal/msgtest"
	"github.com/evc-dev/evc/internal/registrytest"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/avro"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// The message types below stand in for generated code: they implement
// runtime.Message by reflection with twmb/avro.

const (
	userV1JSON = `{"type":"record","name":"User","namespace":"evc.test","fields":[` +
		`{"name":"name","type":"string"},{"name":"age","type":"int"}]}`
	userV2JSON = `{"type":"record","name":"User","namespace":"evc.test","fields":[` +
		`{"name":"name","type":"string"},{"name":"age","type":"int"},` +
		`{"name":"email","type":"string","default":"nobody@example.com"}]}`
	orderJSON = `{"type":"record","name":"Order","namespace":"evc.test","fields":[` +
		`{"name":"id","type":"long"},{"name":"items","type":{"type":"array","items":"string"}}]}`
	orderKeyJSON = `{"type":"record","name":"OrderKey","namespace":"evc.test","fields":[{"name":"id","type":"long"}]}`
	// A renamed later version of User: its alias names the old type.
	personJSON = `{"type":"record","name":"Person","namespace":"evc.test","aliases":["User"],"fields":[` +
		`{"name":"name","type":"string"},{"name":"age","type":"int"}]}`
)

type UserV1 struct {
	Name string `avro:"name"`
	Age  int32  `avro:"age"`
}

type UserV2 struct {
	Name  string `avro:"name"`
	Age   int32  `avro:"age"`
	Email string `avro:"email"`
}

type Order struct {
	ID    int64    `avro:"id"`
	Items []string `avro:"items"`
}

type OrderKey struct {
	ID int64 `avro:"id"`
}

type Person struct {
	Name string `avro:"name"`
	Age  int32  `avro:"age"`
}

var (
	userV1Schema   = avro.MustParse(userV1JSON)
	userV2Schema   = avro.MustParse(userV2JSON)
	orderSchema    = avro.MustParse(orderJSON)
	orderKeySchema = avro.MustParse(orderKeyJSON)
	personSchema   = avro.MustParse(personJSON)

	userV1Type   = mkType("evc.test.User", userV1JSON, nil, func() runtime.Message { return new(UserV1) })
	userV2Type   = mkType("evc.test.User", userV2JSON, nil, func() runtime.Message { return new(UserV2) })
	orderType    = mkType("evc.test.Order", orderJSON, nil, func() runtime.Message { return new(Order) }, runtime.TopicRole{Topic: "orders"}, runtime.TopicRole{Topic: "orders-archive"})
	orderKeyType = mkType("evc.test.OrderKey", orderKeyJSON, nil, func() runtime.Message { return new(OrderKey) }, runtime.TopicRole{Topic: "orders", Key: true})
	personType   = mkType("evc.test.Person", personJSON, []string{"evc.test.User"}, func() runtime.Message { return new(Person) })
)

// mkType describes a hand-written test type.
func mkType(name, schema string, aliases []string, newFn func() runtime.Message, topics ...runtime.TopicRole) *runtime.Type {
	t := msgtest.Type(name, schema, newFn)
	t.Aliases, t.Topics = aliases, topics
	return t
}

var decodeExact = msgtest.DecodeExact

func (*UserV1) AvroType() *runtime.Type                 { return userV1Type }
func (u *UserV1) AppendAvro(dst []byte) ([]byte, error) { return userV1Schema.AppendEncode(dst, u) }
func (u *UserV1) UnmarshalAvro(b []byte) error          { *u = UserV1{}; return decodeExact(userV1Schema, b, u) }

func (*UserV2) AvroType() *runtime.Type                 { return userV2Type }
func (u *UserV2) AppendAvro(dst []byte) ([]byte, error) { return userV2Schema.AppendEncode(dst, u) }
func (u *UserV2) UnmarshalAvro(b []byte) error          { *u = UserV2{}; return decodeExact(userV2Schema, b, u) }

func (*Order) AvroType() *runtime.Type                 { return orderType }
func (o *Order) AppendAvro(dst []byte) ([]byte, error) { return orderSchema.AppendEncode(dst, o) }
func (o *Order) UnmarshalAvro(b []byte) error          { *o = Order{}; return decodeExact(orderSchema, b, o) }

func (*OrderKey) AvroType() *runtime.Type { return orderKeyType }
func (o *OrderKey) AppendAvro(dst []byte) ([]byte, error) {
	return orderKeySchema.AppendEncode(dst, o)
}
func (o *OrderKey) UnmarshalAvro(b []byte) error {
	*o = OrderKey{}
	return decodeExact(orderKeySchema, b, o)
}

func (*Person) AvroType() *runtime.Type                 { return personType }
func (p *Person) AppendAvro(dst []byte) ([]byte, error) { return personSchema.AppendEncode(dst, p) }
func (p *Person) UnmarshalAvro(b []byte) error          { *p = Person{}; return decodeExact(personSchema, b, p) }

// fault is what the registry's front server does with a request.
type fault int32

const (
	faultPass    fault = iota // hand it to srfake
	faultFail500              // answer 500 with a registry error
	faultHang                 // answer nothing until the client gives up
)

// registry is srfake, checking compatibility as Confluent's registry does
// (registrytest), behind an httptest server on loopback that counts requests
// and can inject faults.
type registry struct {
	*srfake.Registry
	srv   *httptest.Server
	fault atomic.Int32
	// failN, when positive, fails that many more requests with 500 whatever
	// fault says.
	failN atomic.Int32
	// delay, when set, holds every request that long before srfake sees it.
	delay atomic.Int64

	stop chan struct{} // releases hanging requests

	mu   sync.Mutex
	reqs []string // "METHOD /path"
}

func newRegistry(t testing.TB, opts ...srfake.Option) *registry {
	t.Helper()
	r := &registry{Registry: srfake.NewRegistry(opts...)}
	registrytest.Check(r.Registry)
	r.stop = make(chan struct{})
	r.srv = httptest.NewServer(r.handler())
	t.Cleanup(r.srv.Close)
	t.Cleanup(func() { close(r.stop) }) // runs first

	return r
}

func (r *registry) URL() string { return r.srv.URL }

func (r *registry) handler() http.Handler {
	inner := r.Registry.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.reqs = append(r.reqs, req.Method+" "+req.URL.Path)
		r.mu.Unlock()
		if d := time.Duration(r.delay.Load()); d > 0 {
			time.Sleep(d)
		}
		if r.failN.Add(-1) >= 0 {
			write500(w)
			return
		}
		switch fault(r.fault.Load()) {
		case faultFail500:
			write500(w)
			return
		case faultHang:
			// Read the body, so that the server notices when the client
			// hangs up.
			_, _ = io.Copy(io.Discard, req.Body)
			select {
			case <-req.Context().Done():
			case <-r.stop:
			}
			return
		}
		inner.ServeHTTP(w, req)
	})
}

func write500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `{"error_code":50001,"message":"Error in the backend datastore"}`)
}

// requests returns the requests served so far, and count those matching
// "METHOD /path-prefix".
func (r *registry) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.reqs...)
}

func (r *registry) count(prefix string) int {
	n := 0
	for _, q := range r.requests() {
		if strings.HasPrefix(q, prefix) {
			n++
		}
	}
	return n
}

// fastRetries keeps fault tests quick.
var fastRetries = serde.Retries(2, time.Millisecond, 5*time.Millisecond)

func newManager(t testing.TB, url string, opts ...serde.Option) *serde.Manager {
	t.Helper()
	m, err := serde.New(append([]serde.Option{serde.URLs(url), fastRetries}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
