package serde_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

func TestFault_500(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	m := newManager(t, reg.URL())

	reg.fault.Store(int32(faultFail500))
	_, err := m.Serialize(ctx, &UserV1{Name: "Ada"})
	var re *serde.RegistryError
	if !errors.As(err, &re) {
		t.Fatalf("Serialize against a failing registry = %v, want *RegistryError", err)
	}
	const want = `evc: serde: register subject "evc.test.User": registry answered 500 (error code 50001): Error in the backend datastore`
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if n := len(reg.requests()); n != 3 {
		t.Errorf("%d attempts, want 3 (1 + 2 retries)", n)
	}

	// Recovery: the same Manager works once the registry does.
	reg.fault.Store(int32(faultPass))
	if _, err := m.Serialize(ctx, &UserV1{Name: "Ada"}); err != nil {
		t.Fatalf("after recovery: %v", err)
	}

	// A transient failure is retried away.
	reg.failN.Store(2)
	consumer := newManager(t, reg.URL())
	data, _ := m.Serialize(ctx, &UserV1{Name: "Ada"})
	before := len(reg.requests())
	if _, err := serde.DeserializeAs[*UserV1](ctx, consumer, data); err != nil {
		t.Fatalf("with two 500s before success: %v", err)
	}
	if n := len(reg.requests()) - before; n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// 4xx answers are not retried.
	before = len(reg.requests())
	_, err = consumer.Deserialize(ctx, []byte{0, 0, 0, 3, 0})
	if !errors.As(err, new(*serde.UnknownIDError)) || len(reg.requests())-before != 1 {
		t.Errorf("unknown id: %v after %d requests", err, len(reg.requests())-before)
	}
}

func TestUnknownIDTTL(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	data := []byte{0, 0, 0, 0, 1, 2}
	for _, tc := range []struct {
		ttl  time.Duration
		want int
	}{{time.Minute, 1}, {0, 5}} {
		m := newManager(t, reg.URL(), serde.UnknownIDTTL(tc.ttl))
		before := len(reg.requests())
		for range 5 {
			if _, err := m.Deserialize(ctx, data); !errors.As(err, new(*serde.UnknownIDError)) {
				t.Fatalf("Deserialize = %v", err)
			}
		}
		if n := len(reg.requests()) - before; n != tc.want {
			t.Errorf("ttl %v: %d requests for 5 reads of an unknown id, want %d", tc.ttl, n, tc.want)
		}
	}
	// Once the id exists and the TTL has passed, it is found.
	m := newManager(t, reg.URL(), serde.UnknownIDTTL(time.Second))
	if _, err := m.Deserialize(ctx, data); !errors.As(err, new(*serde.UnknownIDError)) {
		t.Fatal(err)
	}
	if id, _, err := reg.RegisterSchema("k", sr.Schema{Schema: orderKeyType.Schema()}); err != nil || id != 1 {
		t.Fatalf("RegisterSchema = %d, %v", id, err)
	}
	if err := m.AddTypes((*OrderKey)(nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Deserialize(ctx, data); !errors.As(err, new(*serde.UnknownIDError)) {
		t.Fatalf("within the TTL: %v", err)
	}
	time.Sleep(1100 * time.Millisecond)
	if got, err := serde.DeserializeAs[*OrderKey](ctx, m, data); err != nil || got.ID != 1 {
		t.Errorf("after the id appeared: %+v, %v", got, err)
	}
}

func TestFault_Hang(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	m := newManager(t, reg.URL(), serde.Timeout(50*time.Millisecond))

	reg.fault.Store(int32(faultHang))
	start := time.Now()
	err := m.Register(ctx, (*UserV1)(nil))
	elapsed := time.Since(start)
	const want = `evc: serde: register subject "evc.test.User": no answer from the registry after 3 attempts: attempt timed out after 50ms`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Errorf("error %v does not report a timeout", err)
	}
	if elapsed < 150*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("gave up after %v, want 3 attempts of 50ms", elapsed)
	}
	if n := len(reg.requests()); n != 3 {
		t.Errorf("%d attempts reached the registry, want 3", n)
	}

	// The caller's context ends the whole request, retries included, and
	// the error says so.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	err = m.Register(cctx, (*UserV1)(nil))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with a caller deadline: %v", err)
	}

	reg.fault.Store(int32(faultPass))
	if err := m.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestFault_Refused(t *testing.T) {
	addr := closedAddr(t)
	ctx := ctxT(t)
	m := newManager(t, "http://"+addr)
	err := m.Register(ctx, (*UserV1)(nil))
	var re *serde.RegistryError
	if !errors.As(err, &re) || re.StatusCode != 0 {
		t.Fatalf("Register against nothing = %v", err)
	}
	if !strings.Contains(err.Error(), "no answer from the registry after 3 attempts") ||
		!strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error does not say what happened: %v", err)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) {
		t.Errorf("error does not wrap the *net.OpError: %v", err)
	}

	// The registry comes up on that address: the same Manager recovers.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	reg := srfake.NewRegistry()
	srv := httptest.NewUnstartedServer(reg.Handler())
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	if err := m.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if !reg.SubjectExists("evc.test.User") {
		t.Error("not registered")
	}
}

func TestFault_FailoverURL(t *testing.T) {
	reg := newRegistry(t)
	m, err := serde.New(serde.URLs("http://"+closedAddr(t), reg.URL()), fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Register(ctxT(t), (*UserV1)(nil)); err != nil {
		t.Fatalf("with a dead first URL: %v", err)
	}
}

// TestConcurrentFirstUse: a burst of first uses of one type makes one
// registry call; so does a burst of first reads of one schema id.
func TestConcurrentFirstUse(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	reg.delay.Store(int64(30 * time.Millisecond)) // let the burst pile up
	m := newManager(t, reg.URL())
	const n = 200
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([][]byte, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = m.Serialize(ctx, &UserV1{Name: "Ada", Age: int32(i)})
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
	}
	if got := reg.requests(); len(got) != 1 {
		t.Errorf("%d concurrent first Serializes made requests %q, want one", n, got)
	}

	consumer := newManager(t, reg.URL())
	if err := consumer.AddTypes((*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	before := len(reg.requests())
	start = make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			var msg any
			msg, errs[i] = consumer.Deserialize(ctx, results[i])
			if u, ok := msg.(*UserV1); errs[i] == nil && (!ok || u.Age != int32(i)) {
				errs[i] = fmt.Errorf("got %#v", msg)
			}
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
	}
	if got := reg.requests()[before:]; len(got) != 1 {
		t.Errorf("%d concurrent first Deserializes made requests %q, want one", n, got)
	}
}

// TestConcurrentFirstUse_LeaderCancelled: when the caller whose request is
// in flight gives up, the others still get their answer.
func TestConcurrentFirstUse_LeaderCancelled(t *testing.T) {
	reg := newRegistry(t)
	reg.delay.Store(int64(50 * time.Millisecond))
	m := newManager(t, reg.URL())
	leaderCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := m.Serialize(leaderCtx, &UserV1{})
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	follower := make(chan error, 1)
	go func() {
		_, err := m.Serialize(ctxT(t), &UserV1{})
		follower <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v", err)
	}
	if err := <-follower; err != nil {
		t.Errorf("follower: %v", err)
	}
}

func TestCredentials_NeverShown(t *testing.T) {
	const (
		user   = "svc-user"
		pass   = "hunter2-pass"
		token  = "s3cr3t-token"
		b64    = "c3ZjLXVzZXI6aHVudGVyMi1wYXNz" // base64("svc-user:hunter2-pass")
		secret = "hunter2"
	)
	if base64.StdEncoding.EncodeToString([]byte(user+":"+pass)) != b64 {
		t.Fatal("bad fixture")
	}
	ctx := ctxT(t)

	// Credentials in the URL are moved to basic auth: the registry accepts
	// them.
	reg := newRegistry(t, srfake.WithAuth("Basic "+b64))
	withCreds := strings.Replace(reg.URL(), "http://", "http://"+user+":"+pass+"@", 1)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newManager(t, withCreds, serde.Logger(logger))
	if err := m.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatalf("basic auth from the URL: %v", err)
	}

	var errs []error
	// Failing answers, timeouts and refused connections, with each kind of
	// credential.
	reg.fault.Store(int32(faultFail500))
	_, err := m.Deserialize(ctx, []byte{0, 0, 0, 0, 9})
	errs = append(errs, err)
	reg.fault.Store(int32(faultHang))
	mt := newManager(t, withCreds, serde.Logger(logger), serde.Timeout(20*time.Millisecond), serde.BearerToken(token))
	errs = append(errs, mt.Register(ctx, (*Order)(nil)))
	reg.fault.Store(int32(faultPass))
	wrong := newManager(t, reg.URL(), serde.Logger(logger), serde.BearerToken(token))
	errs = append(errs, wrong.Register(ctx, (*Order)(nil)))
	dead := newManager(t, "http://"+user+":"+pass+"@"+closedAddr(t), serde.Logger(logger))
	errs = append(errs, dead.Register(ctx, (*Order)(nil)))
	_, err = serde.New(serde.URLs("http://" + user + ":" + pass + "@host:bad-port"))
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		for _, shown := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			for _, s := range []string{secret, token, b64} {
				if strings.Contains(shown, s) {
					t.Errorf("case %d: error shows a credential: %s", i, shown)
				}
			}
		}
		t.Log(err)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged at debug level")
	}
	for _, s := range []string{secret, token, b64} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("logs show a credential %q:\n%s", s, logs.String())
		}
	}
	var re *serde.RegistryError
	if !errors.As(errs[2], &re) || re.StatusCode != http.StatusForbidden {
		t.Errorf("wrong token: %v", errs[2])
	}
}

func TestTLS(t *testing.T) {
	reg := srfake.NewRegistry(srfake.WithAuth("Bearer tok"))
	srv := httptest.NewUnstartedServer(reg.Handler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	ctx := ctxT(t)

	m := newManager(t, srv.URL, serde.TLS(&tls.Config{RootCAs: pool}), serde.BearerToken("tok"))
	if err := m.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	untrusting := newManager(t, srv.URL, serde.BearerToken("tok"))
	start := time.Now()
	err := untrusting.Register(ctx, (*UserV1)(nil))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
	if !strings.Contains(err.Error(), "no answer from the registry: ") {
		t.Errorf("a certificate error was retried: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}
