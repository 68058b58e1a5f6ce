package router_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/router"
)

// flaky fails its first n calls with err, then decodes as the fake does.
type flaky struct {
	*fakeDeserializer
	n     atomic.Int32
	err   error
	calls atomic.Int32
}

func (f *flaky) Deserialize(ctx context.Context, data []byte) (runtime.Message, error) {
	f.calls.Add(1)
	if f.n.Add(-1) >= 0 {
		return nil, f.err
	}
	return f.fakeDeserializer.Deserialize(ctx, data)
}

// registryDown is what serde's *RegistryError says about a 503.
type registryDown struct{}

func (registryDown) Error() string   { return "registry answered 503" }
func (registryDown) Transient() bool { return true }

var fastUnavailable = router.UnavailableRetry(router.Retry{Attempts: 4, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})

// TestRouter_TransientDecode: a registry outage is not corrupt data. The
// record is retried, and if the outage outlasts the retries it is not
// handled (no policy applies), whatever the decode-failure policy says.
func TestRouter_TransientDecode(t *testing.T) {
	rec := func() *router.Record {
		return &router.Record{Topic: "k", Offset: 4, Key: enc(&UserKey{"u"}), Value: enc(&Msg{"hi"})}
	}
	for _, pol := range []router.Policy{router.Stop, router.Skip, router.DeadLetter} {
		t.Run(pol.String(), func(t *testing.T) {
			var settled []string
			opts := []router.Option{fastUnavailable, router.OnDecodeFailure(pol),
				router.ReportFunc(func(_ context.Context, _ *router.Record, cause error) {
					settled = append(settled, "report: "+cause.Error())
				}),
				router.DeadLetterFunc(func(_ context.Context, _ *router.Record, cause error) error {
					settled = append(settled, "dead: "+cause.Error())
					return nil
				})}
			for _, tc := range []struct {
				name  string
				fails int32
				err   error
			}{
				{"registry error, recovers", 3, registryDown{}},
				{"wrapped registry error, recovers", 3, errors.Join(errors.New("x"), registryDown{})},
				{"context error from below, recovers", 2, context.DeadlineExceeded},
			} {
				f := &flaky{fakeDeserializer: newFake(msgType, userKeyType), err: tc.err}
				f.n.Store(tc.fails)
				r, err := router.New(f, opts...)
				must(t, err)
				got := 0
				must(t, router.Handle(r, []string{"k"}, func(_ context.Context, _ string, k *UserKey, v *Msg) error {
					got++
					return nil
				}))
				if err := r.Dispatch(context.Background(), rec()); err != nil || got != 1 {
					t.Errorf("%s: Dispatch = %v, handled %d; want nil, 1", tc.name, err, got)
				}
			}

			// The outage outlasts the retries: not handled, no policy.
			f := &flaky{fakeDeserializer: newFake(msgType, userKeyType), err: registryDown{}}
			f.n.Store(100)
			r, err := router.New(f, opts...)
			must(t, err)
			must(t, router.Handle(r, []string{"k"}, func(context.Context, string, *UserKey, *Msg) error { return nil }))
			err = r.Dispatch(context.Background(), rec())
			var ue *router.UnavailableError
			if !errors.As(err, &ue) || ue.Part != "key" || ue.Attempts != 4 || f.calls.Load() != 4 {
				t.Fatalf("Dispatch = %v after %d calls, want an *UnavailableError for the key after 4", err, f.calls.Load())
			}
			const want = `evc: key of record at topic "k" partition 0 offset 4 not decoded after 4 attempt(s), not handled: registry answered 503`
			if err.Error() != want {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
			if len(settled) != 0 {
				t.Errorf("policy applied to a record the registry could not serve: %q", settled)
			}
		})
	}
}

// TestRouter_CancelDuringDecode: a shutdown while the schema is fetched
// leaves the record not handled.
func TestRouter_CancelDuringDecode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var skipped int
	de := deserializerFunc(func(ctx context.Context, _ []byte) (runtime.Message, error) {
		cancel()
		<-ctx.Done()
		return nil, errors.New("Get http://registry/schemas/ids/1: " + ctx.Err().Error()) // not wrapped, as some clients do
	})
	r, err := router.New(de, router.OnDecodeFailure(router.Skip),
		router.ReportFunc(func(context.Context, *router.Record, error) { skipped++ }))
	must(t, err)
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return nil }))
	err = r.Dispatch(ctx, &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
	if !errors.Is(err, context.Canceled) || skipped != 0 {
		t.Fatalf("Dispatch = %v, skipped %d; want context.Canceled and none", err, skipped)
	}
	if !strings.Contains(err.Error(), "not decoded") {
		t.Errorf("error %q does not say the record was not decoded", err)
	}
}

type deserializerFunc func(ctx context.Context, data []byte) (runtime.Message, error)

func (f deserializerFunc) Deserialize(ctx context.Context, data []byte) (runtime.Message, error) {
	return f(ctx, data)
}

// TestRouter_PanicIsLoggedNotCarried: a panic's stack goes to the log, and
// the error a dead letter carries holds a bounded panic message.
func TestRouter_PanicIsLoggedNotCarried(t *testing.T) {
	var logs bytes.Buffer
	var dead []error
	r := newRouter(t, router.HandlerRetry(router.Retry{Attempts: 1}), router.OnHandlerFailure(router.DeadLetter),
		router.Logger(slog.New(slog.NewTextHandler(&logs, nil))),
		router.DeadLetterFunc(func(_ context.Context, _ *router.Record, cause error) error { dead = append(dead, cause); return nil }))
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error {
		panic(strings.Repeat("x", 10000))
	}))
	must(t, r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})}))
	var pe *router.PanicError
	if len(dead) != 1 || !errors.As(dead[0], &pe) {
		t.Fatalf("dead letters %v, want one wrapping a *PanicError", dead)
	}
	if n := len(pe.Error()); n > len("handler panicked: ")+router.MaxPanicMessage {
		t.Errorf("panic message is %d bytes", n)
	}
	if !strings.HasSuffix(pe.Error(), "x…") || strings.Contains(dead[0].Error(), "goroutine") {
		t.Errorf("panic message %.80q… holds the stack or is not marked as cut", dead[0].Error())
	}
	if !bytes.Contains(pe.Stack, []byte("reliability_test.go")) {
		t.Error("PanicError.Stack does not hold the handler's frame")
	}
	out := logs.String()
	if !strings.Contains(out, "evc: handler panicked") || !strings.Contains(out, "reliability_test.go") {
		t.Errorf("log does not hold the panic's stack:\n%.500s", out)
	}
	// A multi-byte rune is never cut in half.
	r2 := newRouter(t, router.HandlerRetry(router.Retry{Attempts: 1}), router.Logger(slog.New(slog.DiscardHandler)))
	must(t, router.HandleValue(r2, []string{"t"}, func(context.Context, string, *Msg) error { panic(strings.Repeat("é", 1000)) }))
	err := r2.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
	if !errors.As(err, &pe) || !strings.HasSuffix(pe.Error(), "é…") {
		t.Errorf("Dispatch = %v", err)
	}
}

// TestRouter_Tombstones: delete handlers by topic and key type.
func TestRouter_Tombstones(t *testing.T) {
	var l log
	var reported []string
	r := newRouter(t, router.ReportFunc(func(_ context.Context, rec *router.Record, cause error) {
		reported = append(reported, cause.Error())
	}))
	must(t, router.Handle(r, []string{"users"}, func(_ context.Context, _ string, k *UserKey, v *Msg) error {
		l.add("upsert %s %s", k.ID, v.Text)
		return nil
	}))
	must(t, router.HandleDelete(r, []string{"users"}, func(ctx context.Context, topic string, k *UserKey) error {
		rec, _ := router.FromContext(ctx)
		l.add("delete %s on %s at %d", k.ID, topic, rec.Offset)
		return nil
	}))
	must(t, router.HandleDelete(r, []string{"raw"}, func(_ context.Context, _ string, k string) error {
		l.add("raw delete %s", k)
		return nil
	}))
	must(t, router.HandleValue(r, []string{"raw"}, func(context.Context, string, *Msg) error { return nil }))
	ctx := context.Background()
	must(t, r.Dispatch(ctx, &router.Record{Topic: "users", Key: enc(&UserKey{"ada"}), Value: enc(&Msg{"hi"})}))
	must(t, r.Dispatch(ctx, &router.Record{Topic: "users", Offset: 1, Key: enc(&UserKey{"ada"})}))
	must(t, r.Dispatch(ctx, &router.Record{Topic: "raw", Offset: 2, Key: []byte("k1")}))
	// A tombstone whose key is of another type, or on a topic with only
	// value handlers, is skipped (the default) and reported.
	must(t, r.Dispatch(ctx, &router.Record{Topic: "users", Offset: 3, Key: enc(&ChannelKey{"c"})}))
	must(t, router.HandleValue(r, []string{"plain"}, func(context.Context, string, *Msg) error { return nil }))
	must(t, r.Dispatch(ctx, &router.Record{Topic: "plain", Offset: 4, Key: []byte("x")}))
	want := []string{"upsert ada hi", "delete ada on users at 1", "raw delete k1"}
	if got := l.take(); !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
	wantReported := []string{
		`evc: no route for tombstone (record without value) at topic "users" partition 0 offset 3`,
		`evc: no route for tombstone (record without value) at topic "plain" partition 0 offset 4`,
	}
	if !slices.Equal(reported, wantReported) {
		t.Errorf("reported %q, want %q", reported, wantReported)
	}
	if got := r.Topics(); !slices.Equal(got, []string{"plain", "raw", "users"}) {
		t.Errorf("Topics = %q", got)
	}

	// A failing delete handler follows the handler-failure policy.
	r = newRouter(t, router.HandlerRetry(router.Retry{Attempts: 2, Backoff: time.Millisecond}))
	calls := 0
	must(t, router.HandleDelete(r, []string{"users"}, func(context.Context, string, *UserKey) error { calls++; return errors.New("db down") }, router.Name("deleter")))
	err := r.Dispatch(ctx, &router.Record{Topic: "users", Key: enc(&UserKey{"ada"})})
	var he *router.HandlerError
	if !errors.As(err, &he) || he.Route != "deleter" || calls != 2 {
		t.Errorf("Dispatch = %v after %d calls", err, calls)
	}

	// The default report of a skipped tombstone is a debug line, not a
	// warning.
	var logs bytes.Buffer
	r = newRouter(t, router.Logger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return nil }))
	must(t, r.Dispatch(ctx, &router.Record{Topic: "t"}))
	if !strings.Contains(logs.String(), "level=DEBUG") || strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("log %q", logs.String())
	}

	// Registration errors.
	if err := router.HandleDelete(r, []string{"t"}, func(context.Context, string, *UserKey) error { return nil }, router.ValueTypes(msgType)); err == nil {
		t.Error("ValueTypes on a delete route accepted")
	}
	if err := router.HandleDelete[*UserKey](r, []string{"t"}, nil); err == nil {
		t.Error("nil delete handler accepted")
	}
}

// TestRouter_ErrorsReadOnce: the router's errors say "evc:" once, however
// many layers the cause went through.
func TestRouter_ErrorsReadOnce(t *testing.T) {
	de := deserializerFunc(func(context.Context, []byte) (runtime.Message, error) {
		return nil, errors.New(`evc: serde: decoding "x" (schema id 3): bad`)
	})
	r, err := router.New(de)
	must(t, err)
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return nil }))
	err = r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: []byte{0}})
	const want = `evc: cannot decode value of record at topic "t" partition 0 offset 0: serde: decoding "x" (schema id 3): bad`
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}
