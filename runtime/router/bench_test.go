package router_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/router"
)

// staticDeserializer returns preallocated messages, so benchmarks measure
// routing alone: it picks the message by the first byte of the data.
type staticDeserializer struct{ byFirst [256]runtime.Message }

func (d *staticDeserializer) Deserialize(_ context.Context, data []byte) (runtime.Message, error) {
	return d.byFirst[data[0]], nil
}

// BenchmarkDispatch_1of50 routes a record that matches 1 of 50 routes:
// 25 topics with a keyed and a value-only route each, the record matching
// one keyed route.
func BenchmarkDispatch_1of50(b *testing.B) {
	d := &staticDeserializer{}
	d.byFirst['k'] = &UserKey{ID: "u"}
	d.byFirst['v'] = &Msg{Text: "m"}
	d.byFirst['r'] = &Reaction{Emoji: "e"}
	r, err := router.New(d, router.Options{})
	if err != nil {
		b.Fatal(err)
	}
	handled := 0
	for i := range 25 {
		topic := fmt.Sprintf("topic-%02d", i)
		if err := router.Handle(r, []string{topic}, func(context.Context, string, *UserKey, *Msg) error { handled++; return nil }); err != nil {
			b.Fatal(err)
		}
		if err := router.HandleValue(r, []string{topic}, func(context.Context, string, *Reaction) error { handled++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	rec := &router.Record{Topic: "topic-17", Key: []byte("k"), Value: []byte("v")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Dispatch(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	if handled != b.N {
		b.Fatalf("handled %d of %d", handled, b.N)
	}
}
