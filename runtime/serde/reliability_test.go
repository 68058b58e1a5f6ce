package serde_test

// Reliability tests from the review of the runtime on real traffic: a
// registry (or whatever answers at its URL) that sends garbage, that hangs or
// fails while many goroutines use the manager, and a cold cache hit by a
// thousand goroutines at once.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	evcrt "github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/serde"
)

// Garbage from the registry: typed errors, no panic.
func TestReliability_GarbageAnswers(t *testing.T) {
	bodies := map[string]string{
		"not json":         `<html>oops</html>`,
		"wrong shape":      `[1,2,3]`,
		"schema not avro":  `{"schema":"not json at all"}`,
		"deep schema":      `{"schema":"` + strings.Repeat(`[`, 100000) + `"}`,
		"deep schema obj":  `{"schema":` + jsonQuote(strings.Repeat(`{"type":"array","items":`, 20000)+`"int"`+strings.Repeat(`}`, 20000)) + `}`,
		"protobuf":         `{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";"}`,
		"refs":             `{"schema":"{\"type\":\"record\",\"name\":\"X\",\"fields\":[]}","references":[{"name":"a","subject":"s","version":1}]}`,
		"null type":        `{"schema":"\"null\""}`,
		"huge message 500": "",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
				if name == "huge message 500" {
					w.WriteHeader(404)
					fmt.Fprintf(w, `{"error_code":40403,"message":%q}`, "line1\nFAKE LOG LINE level=ERROR msg=\"owned\"\n"+strings.Repeat("x", 1<<20))
					return
				}
				io.WriteString(w, body)
			}))
			defer srv.Close()
			m := newManager(t, srv.URL)
			_, err := m.Deserialize(ctxT(t), []byte{0, 0, 0, 0, 1, 0})
			// A typed error, never a panic or a hang, and a message that a
			// log line can hold: bounded, on one line, so a registry cannot
			// forge log entries through it.
			var re *serde.RegistryError
			var se *serde.SchemaError
			var ue *serde.UnknownNameError
			var ie *serde.UnknownIDError
			if !errors.As(err, &re) && !errors.As(err, &se) && !errors.As(err, &ue) && !errors.As(err, &ie) {
				t.Fatalf("%T: %v, want a typed serde error", err, err)
			}
			if msg := err.Error(); len(msg) > 1024 || strings.Contains(msg, "\n") {
				t.Errorf("the error is %d bytes or spans lines: %.300q", len(msg), msg)
			}
		})
	}
}

func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' {
			b.WriteString(`\"`)
		} else {
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Goroutines left behind by failing registry calls: hanging registry with
// callers that give up, refused connections, 500s.
func TestReliability_GoroutineLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		reg := newRegistry(t)
		reg.fault.Store(int32(faultHang))
		m := newManager(t, reg.URL(), serde.Timeout(50*time.Millisecond))
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%7)*10*time.Millisecond)
				defer cancel()
				_, _ = m.Deserialize(ctx, []byte{0, 0, 0, 0, byte(i % 5), 0})
				_, _ = m.Serialize(ctx, &UserV1{Name: "x"})
			}()
		}
		wg.Wait()
		reg.fault.Store(int32(faultFail500))
		for i := 0; i < 50; i++ {
			_, _ = m.Deserialize(ctxT(t), []byte{0, 0, 0, 1, byte(i), 0})
		}
		dead := newManager(t, "http://"+closedAddr(t))
		for i := 0; i < 50; i++ {
			_, _ = dead.Deserialize(ctxT(t), []byte{0, 0, 0, 1, byte(i), 0})
		}
		m.Client() // keep m alive until here
	}()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	var after int
	for time.Now().Before(deadline) {
		runtime.GC()
		after = runtime.NumGoroutine()
		if after <= before+2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("goroutines before %d, after %d (idle keep-alive conns of the Managers' transports may remain)", before, after)
	if after > before+10 {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines grew from %d to %d:\n%.4000s", before, after, buf[:n])
	}
}

// 1000 goroutines serialize and deserialize with cold caches, several
// types, a registry that is slow and fails now and then.
func TestReliability_ColdCacheStampede(t *testing.T) {
	reg := newRegistry(t)
	reg.delay.Store(int64(5 * time.Millisecond))
	prod := newManager(t, reg.URL(), serde.Retries(5, time.Millisecond, 10*time.Millisecond))
	cons := newManager(t, reg.URL(), serde.Retries(5, time.Millisecond, 10*time.Millisecond))
	if err := cons.AddTypes((*UserV1)(nil), (*Order)(nil), (*OrderKey)(nil)); err != nil {
		t.Fatal(err)
	}
	reg.failN.Store(4)
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	var fails, ok atomic.Int64
	var firstErr atomic.Value
	start := make(chan struct{})
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ctx := ctxT(t)
			var msg evcrt.Message
			switch i % 3 {
			case 0:
				msg = &UserV1{Name: "u", Age: int32(i)}
			case 1:
				msg = &Order{ID: int64(i), Items: []string{"a"}}
			default:
				msg = &OrderKey{ID: int64(i)}
			}
			data, err := prod.Serialize(ctx, msg)
			if err == nil {
				var got evcrt.Message
				got, err = cons.Deserialize(ctx, data)
				if err == nil && got.AvroType() != msg.AvroType() {
					err = fmt.Errorf("decoded %s, want %s", got.AvroType().Name, msg.AvroType().Name)
				}
			}
			if err != nil {
				fails.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			ok.Add(1)
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("ok %d, failed %d (first: %v); registry requests %d; goroutines %d -> %d", ok.Load(), fails.Load(), firstErr.Load(), len(reg.requests()), before, runtime.NumGoroutine())
	if ok.Load() != 1000 {
		t.Errorf("%d of 1000 failed", fails.Load())
	}
	// Concurrent first uses of a schema share one registry request: three
	// types, each registered once and looked up once, and the failures the
	// registry was told to give, with their retries.
	if n := len(reg.requests()); n > 20 {
		t.Errorf("%d registry requests for 3 types: the cold cache stampedes", n)
	}
}
