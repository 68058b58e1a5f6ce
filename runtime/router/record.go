package router

import (
	"context"
	"time"
)

// Header is a Kafka record header.
type Header struct {
	Key   string
	Value []byte
}

// Record is a Kafka record as the router sees it, independent of any client.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []Header
	Timestamp time.Time
}

// Header returns the value of the last header named key, and whether there
// is one.
func (r *Record) Header(key string) ([]byte, bool) {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key == key {
			return r.Headers[i].Value, true
		}
	}
	return nil, false
}

type recordKey struct{}

// recordContext carries the record being dispatched. It is its own type
// rather than context.WithValue so that lookups need no interface
// comparison of an arbitrary key; it delegates everything else to the
// parent, so cancellation propagates as usual.
type recordContext struct {
	context.Context
	rec *Record
}

func (c *recordContext) Value(key any) any {
	if _, ok := key.(recordKey); ok {
		return c.rec
	}
	return c.Context.Value(key)
}

// FromContext returns the record being handled, from the context Dispatch
// passes to handlers, dead-letter and report functions. Handlers must not
// modify the record.
func FromContext(ctx context.Context) (*Record, bool) {
	rec, ok := ctx.Value(recordKey{}).(*Record)
	return rec, ok
}

// NewContext returns a context carrying rec, as Dispatch passes to handlers.
// It is for tests of handlers and for adapters that call handlers directly.
func NewContext(ctx context.Context, rec *Record) context.Context {
	return &recordContext{Context: ctx, rec: rec}
}
