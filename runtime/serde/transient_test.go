package serde_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/franz-go/pkg/sr"
)

// transient is the method the router looks for.
type transient interface{ Transient() bool }

func isTransient(err error) bool {
	var t transient
	return errors.As(err, &t) && t.Transient()
}

// TestDeserialize_TransientErrors pins which Deserialize failures say "the
// registry or the network, not the data": the router retries those and never
// hands them to its decode-failure policy.
func TestDeserialize_TransientErrors(t *testing.T) {
	ctx := ctxT(t)
	status := func(code int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
			w.WriteHeader(code)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cases := []struct {
		name      string
		url       string
		transient bool
	}{
		{"503", status(503, `{"error_code":50301,"message":"down"}`), true},
		{"500", status(500, `{"error_code":50001,"message":"datastore"}`), true},
		{"429", status(429, `{}`), true},
		{"401", status(401, `{"error_code":401,"message":"no"}`), true},
		{"403", status(403, `{"error_code":403,"message":"no"}`), true},
		{"garbage 200", status(200, `<html>`), true},
		{"connection refused", "http://" + closedAddr(t), true},
		{"404 unknown id", status(404, `{"error_code":40403,"message":"Schema not found"}`), false},
		{"404 without a registry error code: a wrong URL, not an unknown id", status(404, `<html>not found</html>`), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newManager(t, c.url)
			_, err := m.Deserialize(ctx, []byte{0, 0, 0, 0, 7, 2})
			if err == nil {
				t.Fatal("Deserialize succeeded")
			}
			if got := isTransient(err); got != c.transient {
				t.Errorf("transient = %v, want %v for %v", got, c.transient, err)
			}
			if !c.transient && !errors.As(err, new(*serde.UnknownIDError)) {
				t.Errorf("error %v, want *UnknownIDError", err)
			}
		})
	}
	// Corrupt data is never transient.
	reg := newRegistry(t)
	m := newManager(t, reg.URL())
	for _, data := range [][]byte{{1, 2}, {9, 0, 0, 0, 1, 0}} {
		if _, err := m.Deserialize(ctx, data); err == nil || isTransient(err) {
			t.Errorf("Deserialize(%v) = %v, want a non-transient error", data, err)
		}
	}
}

// TestUnknownIDLimit: garbage with a new schema id in every record (which the
// unknown-id cache cannot remember away) is looked up at a bounded rate, and
// lookups that find their schema spend none of the budget.
func TestUnknownIDLimit(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	wire := func(id uint32) []byte { return []byte{0, byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id), 0} }

	// Five valid ids, looked up first by a fresh Manager with a budget of
	// two unknown answers that does not refill within the test.
	var ids []uint32
	for _, s := range []string{userV1JSON, userV2JSON, orderJSON, orderKeyJSON, personJSON} {
		id, _, err := reg.RegisterSchema("s-"+s[:40], sr.Schema{Schema: s})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, uint32(id))
	}
	m := newManager(t, reg.URL(), serde.UnknownIDLimit(0.001, 2))
	if err := m.AddTypes((*UserV1)(nil), (*UserV2)(nil), (*Order)(nil), (*OrderKey)(nil), (*Person)(nil)); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		// The payloads are not valid for every type; only the lookup counts.
		if _, err := m.Deserialize(ctx, wire(id)); errors.As(err, new(*serde.UnknownIDError)) || isTransient(err) {
			t.Fatalf("id %d: %v", id, err)
		}
	}
	for id := uint32(1000); id < 1002; id++ {
		if _, err := m.Deserialize(ctx, wire(id)); !errors.As(err, new(*serde.UnknownIDError)) {
			t.Fatalf("id %d: %v, want *UnknownIDError", id, err)
		}
	}
	// The budget is spent: the next new id waits (here until the context
	// gives up) without asking the registry.
	before := len(reg.requests())
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := m.Deserialize(short, wire(1002)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with the budget spent: %v, want the context's deadline", err)
	}
	// An id already known to be unknown is answered from the cache.
	if _, err := m.Deserialize(ctx, wire(1000)); !errors.As(err, new(*serde.UnknownIDError)) {
		t.Errorf("cached unknown id: %v", err)
	}
	if n := len(reg.requests()) - before; n != 0 {
		t.Errorf("%d registry requests with the budget spent, want 0", n)
	}

	// At a real rate: 500ms of distinct garbage ids make at most the burst
	// plus what the rate refills.
	m = newManager(t, reg.URL(), serde.UnknownIDLimit(20, 5))
	before = len(reg.requests())
	run, cancel2 := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel2()
	n := 0
	for id := uint32(5000); run.Err() == nil; id++ {
		_, _ = m.Deserialize(run, wire(id))
		n++
	}
	if got := len(reg.requests()) - before; got > 5+10+2 || got < 5 {
		t.Errorf("%d records of garbage in 500ms made %d registry requests, want 5 to 17", n, got)
	}
}

// TestErrorsReadOnce: a resolution failure says "evc:" once, names the
// field and both types, and carries no prefix of a lower layer.
func TestErrorsReadOnce(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	// A producer's User whose age is a string: UserV1 (age: int) cannot
	// read it.
	writer := `{"type":"record","name":"User","namespace":"evc.test","fields":[{"name":"name","type":"string"},{"name":"age","type":"string"}]}`
	id, _, err := reg.RegisterSchema("evc.test.User", sr.Schema{Schema: writer})
	if err != nil {
		t.Fatal(err)
	}
	m := newManager(t, reg.URL())
	if err := m.AddTypes((*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	data := append([]byte{0, 0, 0, 0, byte(id)}, 2, 'a', 2, '7')
	_, err = m.Deserialize(ctx, data)
	want := fmt.Sprintf(`evc: serde: decoding "evc.test.User" (schema id %d) with schema resolution: `+
		`the type cannot read data written with this schema: at age, the writer's string cannot be read as int (incompatible types)`, id)
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}
