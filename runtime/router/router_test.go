package router_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/router"
)

func newRouter(t *testing.T, opts ...router.Option) *router.Router {
	t.Helper()
	r, err := router.New(newFake(msgType, reactionType, userKeyType, chanKeyType), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// log collects what handlers saw, in order.
type log struct {
	mu  sync.Mutex
	got []string
}

func (l *log) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf(format, args...))
}

func (l *log) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.got
	l.got = nil
	return g
}

func TestRouter_Matching(t *testing.T) {
	r := newRouter(t, router.OnUnmatched(router.Stop))
	var l log
	must(t, router.Handle(r, []string{"chat", "archive"}, func(ctx context.Context, topic string, k *UserKey, v *Msg) error {
		l.add("A %s %s %s", topic, k.ID, v.Text)
		return nil
	}))
	must(t, router.HandleValue(r, []string{"chat"}, func(ctx context.Context, topic string, v *Reaction) error {
		l.add("B %s %s", topic, v.Emoji)
		return nil
	}))
	must(t, router.Handle(r, []string{"chat"}, func(ctx context.Context, topic string, k []byte, v *Msg) error {
		l.add("C %s %q %s", topic, k, v.Text)
		return nil
	}))
	must(t, router.Handle(r, []string{"chat"}, func(ctx context.Context, topic string, k *ChannelKey, v Event) error {
		l.add("D %s %s %s", topic, k.ID, v.Describe())
		return nil
	}, router.ValueTypes(msgType, reactionType)))
	must(t, router.Handle(r, []string{"chat"}, func(ctx context.Context, topic string, k runtime.Message, v runtime.Message) error {
		l.add("E %s %s %s", topic, k.AvroType().Name, v.AvroType().Name)
		return nil
	}, router.KeyTypes(userKeyType, chanKeyType)))
	must(t, router.Handle(r, []string{"raw"}, func(ctx context.Context, topic string, k string, v *Msg) error {
		l.add("F %s %q %s", topic, k, v.Text)
		return nil
	}))

	cases := []struct {
		name       string
		rec        router.Record
		want       []string
		unmatched  bool
		wantKeyTyp string
	}{
		{
			name: "user key and message: A, C, E in registration order",
			rec:  router.Record{Topic: "chat", Key: enc(&UserKey{"u1"}), Value: enc(&Msg{"hi"})},
			want: []string{"A chat u1 hi", `C chat "test.user_key|u1" hi`, "E chat test.user_key test.message"},
		},
		{
			name: "other topic of route A only",
			rec:  router.Record{Topic: "archive", Key: enc(&UserKey{"u2"}), Value: enc(&Msg{"old"})},
			want: []string{"A archive u2 old"},
		},
		{
			name: "channel key and message: C, D, E",
			rec:  router.Record{Topic: "chat", Key: enc(&ChannelKey{"c1"}), Value: enc(&Msg{"yo"})},
			want: []string{`C chat "test.channel_key|c1" yo`, "D chat c1 msg yo", "E chat test.channel_key test.message"},
		},
		{
			name: "channel key and reaction: B, D, E",
			rec:  router.Record{Topic: "chat", Key: enc(&ChannelKey{"c1"}), Value: enc(&Reaction{"+1"})},
			want: []string{"B chat +1", "D chat c1 reaction +1", "E chat test.channel_key test.reaction"},
		},
		{
			name: "no key: raw and value-only routes",
			rec:  router.Record{Topic: "chat", Value: enc(&Msg{"anon"})},
			want: []string{`C chat "" anon`},
		},
		{
			name: "no key, reaction",
			rec:  router.Record{Topic: "chat", Value: enc(&Reaction{"x"})},
			want: []string{"B chat x"},
		},
		{
			name: "string key",
			rec:  router.Record{Topic: "raw", Key: []byte("plain"), Value: enc(&Msg{"m"})},
			want: []string{`F raw "plain" m`},
		},
		{
			name:      "unknown topic",
			rec:       router.Record{Topic: "nope", Value: enc(&Msg{"m"})},
			unmatched: true,
		},
		{
			name:      "archive without the user key",
			rec:       router.Record{Topic: "archive", Key: enc(&ChannelKey{"c"}), Value: enc(&Msg{"m"})},
			unmatched: true, wantKeyTyp: "test.channel_key",
		},
		{
			name:      "archive reaction",
			rec:       router.Record{Topic: "archive", Key: enc(&UserKey{"u"}), Value: enc(&Reaction{"m"})},
			unmatched: true, wantKeyTyp: "test.user_key",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := r.Dispatch(context.Background(), &c.rec)
			got := l.take()
			if c.unmatched {
				var ue *router.UnmatchedError
				if !errors.As(err, &ue) {
					t.Fatalf("Dispatch = %v, want *UnmatchedError", err)
				}
				if ue.KeyType != c.wantKeyTyp {
					t.Errorf("KeyType = %q, want %q", ue.KeyType, c.wantKeyTyp)
				}
				if len(got) != 0 {
					t.Errorf("handlers ran: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("handlers saw\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
	if got, want := r.Topics(), []string{"archive", "chat", "raw"}; !slices.Equal(got, want) {
		t.Errorf("Topics() = %q, want %q", got, want)
	}
}

func TestRouter_RecordInContext(t *testing.T) {
	r := newRouter(t)
	var got *router.Record
	must(t, router.HandleValue(r, []string{"t"}, func(ctx context.Context, topic string, v *Msg) error {
		got, _ = router.FromContext(ctx)
		return nil
	}))
	rec := &router.Record{Topic: "t", Partition: 3, Offset: 42, Value: enc(&Msg{"x"}),
		Headers: []router.Header{{Key: "a", Value: []byte("1")}, {Key: "a", Value: []byte("2")}}}
	must(t, r.Dispatch(context.Background(), rec))
	if got != rec {
		t.Fatalf("FromContext = %v, want the dispatched record", got)
	}
	if v, ok := got.Header("a"); !ok || string(v) != "2" {
		t.Errorf("Header(a) = %q, %v; want the last one, 2", v, ok)
	}
	if _, ok := got.Header("b"); ok {
		t.Error("Header(b) found")
	}
	if _, ok := router.FromContext(context.Background()); ok {
		t.Error("FromContext on a bare context found a record")
	}
}

func TestRouter_Policies(t *testing.T) {
	poison := router.Record{Topic: "t", Offset: 7, Value: []byte("garbage")}
	badKey := router.Record{Topic: "k", Offset: 8, Key: []byte("garbage"), Value: enc(&Msg{"x"})}
	unmatched := router.Record{Topic: "t", Offset: 9, Value: enc(&Reaction{"x"})}
	tomb := router.Record{Topic: "t", Offset: 10}
	unknown := router.Record{Topic: "t", Offset: 11, Value: []byte("test.other|x")}
	unknownKey := router.Record{Topic: "k", Offset: 12, Key: []byte("test.other|x"), Value: enc(&Msg{"x"})}
	never := func(error) (string, bool) { return "", false }
	type outcome struct {
		err      string // substring of the error, "" for none
		reported []string
		dead     []string
	}
	cases := []struct {
		name string
		opts []router.Option
		rec  router.Record
		want outcome
	}{
		{"decode stop", []router.Option{}, poison, outcome{err: `evc: cannot decode value of record at topic "t" partition 0 offset 7: not a framed message`}},
		{"decode skip", []router.Option{router.OnDecodeFailure(router.Skip)}, poison, outcome{reported: []string{"*router.DecodeError 7"}}},
		{"decode dead-letter", []router.Option{router.OnDecodeFailure(router.DeadLetter)}, poison, outcome{dead: []string{"*router.DecodeError 7"}}},
		{"key decode stop", []router.Option{}, badKey, outcome{err: "cannot decode key of record"}},
		{"key decode skip", []router.Option{router.OnDecodeFailure(router.Skip)}, badKey, outcome{reported: []string{"*router.DecodeError 8"}}},
		{"unmatched stop", []router.Option{}, unmatched, outcome{err: `evc: no route for value type "test.reaction" at topic "t" partition 0 offset 9`}},
		{"unmatched skip", []router.Option{router.OnUnmatched(router.Skip)}, unmatched, outcome{reported: []string{"*router.UnmatchedError 9"}}},
		{"unmatched dead-letter", []router.Option{router.OnUnmatched(router.DeadLetter)}, unmatched, outcome{dead: []string{"*router.UnmatchedError 9"}}},
		{"unknown value type is unmatched", []router.Option{}, unknown, outcome{err: `evc: no route for value type "test.other" at topic "t" partition 0 offset 11`}},
		{"unknown value type skip", []router.Option{router.OnUnmatched(router.Skip)}, unknown, outcome{reported: []string{"*router.UnmatchedError 11"}}},
		{"unknown key type is unmatched", []router.Option{}, unknownKey, outcome{err: `evc: no route for key type "test.other" at topic "k" partition 0 offset 12`}},
		{"custom UnknownType", []router.Option{router.UnknownTypeFunc(never)}, unknown, outcome{err: `evc: cannot decode value of record at topic "t" partition 0 offset 11: fake: unknown type "test.other"`}},
		{"tombstone skipped by default", nil, tomb, outcome{reported: []string{"*router.UnmatchedError 10"}}},
		{"tombstone stop", []router.Option{router.OnTombstone(router.Stop)}, tomb, outcome{err: `evc: no route for tombstone (record without value) at topic "t" partition 0 offset 10`}},
		{"tombstone dead-letter", []router.Option{router.OnTombstone(router.DeadLetter)}, tomb, outcome{dead: []string{"*router.UnmatchedError 10"}}},
		{"empty value is not a tombstone", []router.Option{router.OnTombstone(router.Stop)}, router.Record{Topic: "t", Offset: 13, Value: []byte{}}, outcome{err: "cannot decode value"}},
		{"unknown topic", []router.Option{}, router.Record{Topic: "zz", Value: enc(&Msg{})}, outcome{err: `evc: no route for topic "zz" partition 0 offset 0`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got outcome
			opts := append(slices.Clone(c.opts),
				router.ReportFunc(func(ctx context.Context, rec *router.Record, cause error) {
					if r, ok := router.FromContext(ctx); !ok || r != rec {
						t.Error("Report context does not carry the record")
					}
					got.reported = append(got.reported, fmt.Sprintf("%T %d", cause, rec.Offset))
				}),
				router.DeadLetterFunc(func(ctx context.Context, rec *router.Record, cause error) error {
					got.dead = append(got.dead, fmt.Sprintf("%T %d", cause, rec.Offset))
					return nil
				}))
			r := newRouter(t, opts...)
			called := 0
			must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { called++; return nil }))
			must(t, router.Handle(r, []string{"k"}, func(context.Context, string, *UserKey, *Msg) error { called++; return nil }))
			err := r.Dispatch(context.Background(), &c.rec)
			if c.want.err == "" && err != nil {
				t.Fatalf("Dispatch = %v", err)
			}
			if c.want.err != "" && (err == nil || !strings.Contains(err.Error(), c.want.err)) {
				t.Fatalf("Dispatch = %v, want an error containing %q", err, c.want.err)
			}
			if called != 0 {
				t.Errorf("%d handlers called", called)
			}
			if !slices.Equal(got.reported, c.want.reported) || !slices.Equal(got.dead, c.want.dead) {
				t.Errorf("reported %q dead %q, want %q %q", got.reported, got.dead, c.want.reported, c.want.dead)
			}
		})
	}
}

func TestRouter_DeadLetterFails(t *testing.T) {
	boom := errors.New("dlq down")
	r := newRouter(t, router.OnDecodeFailure(router.DeadLetter), router.DeadLetterFunc(func(context.Context, *router.Record, error) error { return boom }))
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return nil }))
	err := r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: []byte("bad")})
	var de *router.DeadLetterError
	if !errors.As(err, &de) || !errors.Is(err, boom) {
		t.Fatalf("Dispatch = %v, want a *DeadLetterError wrapping the dead-letter error", err)
	}
	var dec *router.DecodeError
	if !errors.As(de.Cause, &dec) {
		t.Errorf("Cause = %v, want the *DecodeError", de.Cause)
	}
}

func TestRouter_Retry(t *testing.T) {
	fast := router.Retry{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
	t.Run("fails then recovers", func(t *testing.T) {
		r := newRouter(t, router.HandlerRetry(fast))
		var l log
		fails := 2
		must(t, router.HandleValue(r, []string{"t"}, func(_ context.Context, _ string, v *Msg) error {
			l.add("first %s", v.Text)
			return nil
		}))
		must(t, router.HandleValue(r, []string{"t"}, func(_ context.Context, _ string, v *Msg) error {
			l.add("flaky %s", v.Text)
			if fails > 0 {
				fails--
				return errors.New("transient")
			}
			return nil
		}))
		must(t, r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})}))
		// Only the failing handler is retried.
		want := []string{"first a", "flaky a", "flaky a", "flaky a"}
		if got := l.take(); !slices.Equal(got, want) {
			t.Errorf("calls %q, want %q", got, want)
		}
	})
	t.Run("exhausted, stop", func(t *testing.T) {
		r := newRouter(t, router.HandlerRetry(fast))
		calls, after := 0, 0
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { calls++; return errors.New("down") }, router.Name("db")))
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { after++; return nil }))
		err := r.Dispatch(context.Background(), &router.Record{Topic: "t", Offset: 5, Value: enc(&Msg{"a"})})
		want := `evc: handler db failed on record at topic "t" partition 0 offset 5 after 3 attempt(s): down`
		if err == nil || err.Error() != want {
			t.Fatalf("Dispatch = %v, want %s", err, want)
		}
		if calls != 3 || after != 0 {
			t.Errorf("calls %d, later handler %d; want 3, 0", calls, after)
		}
	})
	t.Run("exhausted, dead-letter, then the next handler", func(t *testing.T) {
		var dead []error
		r := newRouter(t, router.HandlerRetry(fast), router.OnHandlerFailure(router.DeadLetter), router.DeadLetterFunc(func(_ context.Context, _ *router.Record, cause error) error { dead = append(dead, cause); return nil }))
		after := 0
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return errors.New("down") }))
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { after++; return nil }))
		must(t, r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})}))
		var he *router.HandlerError
		if len(dead) != 1 || !errors.As(dead[0], &he) || he.Attempts != 3 {
			t.Fatalf("dead-lettered %v, want one *HandlerError after 3 attempts", dead)
		}
		if after != 1 {
			t.Errorf("next handler called %d times, want 1", after)
		}
	})
	t.Run("permanent error is not retried", func(t *testing.T) {
		r := newRouter(t, router.HandlerRetry(fast), router.OnHandlerFailure(router.Skip), router.ReportFunc(func(context.Context, *router.Record, error) {}))
		calls := 0
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error {
			calls++
			return router.Permanent(errors.New("invalid"))
		}))
		must(t, r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})}))
		if calls != 1 {
			t.Errorf("calls = %d, want 1", calls)
		}
	})
	t.Run("panic becomes a handler error", func(t *testing.T) {
		r := newRouter(t, router.HandlerRetry(router.Retry{Attempts: 1}))
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { panic("kaboom") }))
		err := r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
		var he *router.HandlerError
		if !errors.As(err, &he) || !strings.Contains(err.Error(), "handler panicked: kaboom") {
			t.Fatalf("Dispatch = %v, want a *HandlerError for the panic", err)
		}
	})
	t.Run("failure after cancel is not dead-lettered", func(t *testing.T) {
		dead := 0
		r := newRouter(t, router.HandlerRetry(router.Retry{Attempts: 1}), router.OnHandlerFailure(router.DeadLetter), router.DeadLetterFunc(func(context.Context, *router.Record, error) error { dead++; return nil }))
		ctx, cancel := context.WithCancel(context.Background())
		must(t, router.HandleValue(r, []string{"t"}, func(ctx context.Context, _ string, _ *Msg) error {
			cancel()
			return ctx.Err()
		}))
		err := r.Dispatch(ctx, &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
		if !errors.Is(err, context.Canceled) || dead != 0 {
			t.Fatalf("Dispatch = %v with %d dead letters, want context.Canceled and none", err, dead)
		}
	})
	t.Run("cancel during backoff", func(t *testing.T) {
		r := newRouter(t, router.HandlerRetry(router.Retry{Attempts: 10, Backoff: time.Hour}))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return errors.New("down") }))
		start := time.Now()
		err := r.Dispatch(ctx, &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Dispatch = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Dispatch took %v after cancel", d)
		}
	})
}

func TestRouter_RegistrationErrors(t *testing.T) {
	r := newRouter(t)
	nop := func(context.Context, string, runtime.Message, *Msg) error { return nil }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"no topics", router.HandleValue(r, nil, func(context.Context, string, *Msg) error { return nil }), "no topics"},
		{"empty topic", router.HandleValue(r, []string{""}, func(context.Context, string, *Msg) error { return nil }), "empty topic name"},
		{"interface key without types", router.Handle(r, []string{"t"}, nop), "interface Key type *runtime.Message needs KeyTypes"},
		{"key type not implementing", router.Handle(r, []string{"t"}, func(context.Context, string, Event, *Msg) error { return nil }, router.KeyTypes(userKeyType)),
			`Key type "test.user_key" (*router_test.UserKey) does not implement *router_test.Event`},
		{"value types on concrete", router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error { return nil }, router.ValueTypes(msgType)),
			"ValueTypes with the concrete Value type *router_test.Msg"},
		{"int key", router.Handle(r, []string{"t"}, func(context.Context, string, int, *Msg) error { return nil }), "unsupported Key type int"},
		{"key types on raw", router.Handle(r, []string{"t"}, func(context.Context, string, []byte, *Msg) error { return nil }, router.KeyTypes(userKeyType)), "KeyTypes with a []byte key"},
		{"nil handler", router.HandleValue[*Msg](r, []string{"t"}, nil), "nil handler"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil || !strings.Contains(c.err.Error(), c.want) || !strings.HasPrefix(c.err.Error(), "evc: ") {
				t.Errorf("error %v, want one containing %q", c.err, c.want)
			}
		})
	}
	if got := r.Topics(); len(got) != 0 {
		t.Errorf("failed registrations left topics %q", got)
	}
	if _, err := router.New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := router.New(newFake(), router.OnUnmatched(router.DeadLetter)); err == nil {
		t.Error("New with DeadLetter policy and no function succeeded")
	}
}

// TestRouter_ConcurrentDispatch dispatches from many goroutines while routes
// are added; run it with -race.
func TestRouter_ConcurrentDispatch(t *testing.T) {
	r := newRouter(t, router.OnUnmatched(router.Skip), router.ReportFunc(func(context.Context, *router.Record, error) {}))
	var mu sync.Mutex
	count := 0
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *Msg) error {
		mu.Lock()
		count++
		mu.Unlock()
		return nil
	}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if err := r.Dispatch(context.Background(), &router.Record{Topic: "t", Offset: int64(i), Value: enc(&Msg{"x"})}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		must(t, router.HandleValue(r, []string{fmt.Sprintf("other%d", g)}, func(context.Context, string, *Reaction) error { return nil }))
	}
	wg.Wait()
	if count != 1600 {
		t.Errorf("handled %d records, want 1600", count)
	}
}

// OtherMsg is a second Go type for the Avro name "test.message", as two
// generated packages of one schema would be.
type OtherMsg struct{ Msg }

var otherMsgType = &runtime.Type{Name: "test.message", New: func() runtime.Message { return new(OtherMsg) }}

func (*OtherMsg) AvroType() *runtime.Type { return otherMsgType }

func TestRouter_GoTypeMismatch(t *testing.T) {
	// The deserializer decodes "test.message" into *Msg, but the handler
	// wants *OtherMsg: a decode failure naming both types, not a panic.
	r := newRouter(t)
	must(t, router.HandleValue(r, []string{"t"}, func(context.Context, string, *OtherMsg) error { return nil }))
	err := r.Dispatch(context.Background(), &router.Record{Topic: "t", Value: enc(&Msg{"a"})})
	var de *router.DecodeError
	if !errors.As(err, &de) || de.Part != "value" || !strings.Contains(err.Error(), "got *router_test.Msg, want *router_test.OtherMsg") {
		t.Fatalf("Dispatch = %v", err)
	}
	must(t, router.Handle(r, []string{"k"}, func(context.Context, string, *OtherMsg, *Msg) error { return nil }))
	err = r.Dispatch(context.Background(), &router.Record{Topic: "k", Key: enc(&Msg{"k"}), Value: enc(&Msg{"a"})})
	if !errors.As(err, &de) || de.Part != "key" {
		t.Fatalf("Dispatch with a mismatched key = %v", err)
	}
}
