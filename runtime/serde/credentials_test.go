package serde_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/evc-dev/evc/runtime/serde"
)

// authSeen records the Authorization header of each request, by host.
type authSeen struct {
	mu  sync.Mutex
	got map[string][]string
}

func (a *authSeen) record(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.got == nil {
		a.got = map[string][]string{}
	}
	a.got[r.Host] = append(a.got[r.Host], r.Header.Get("Authorization"))
}

func (a *authSeen) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, v := range a.got {
		out = append(out, v...)
	}
	return out
}

var fetchOne = []byte{0, 0, 0, 0, 1, 0}

// TestCredentials_NotOnRedirect: a registry that redirects to another
// port (on the same host name or another) or from https down to http does
// not get the credentials forwarded; Go's client would forward them to the
// same host on another port and over a downgrade.
func TestCredentials_NotOnRedirect(t *testing.T) {
	var target authSeen
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target.record(r)
		w.WriteHeader(http.StatusNotFound)
	}))
	defer plain.Close()
	port := plain.URL[strings.LastIndex(plain.URL, ":")+1:]

	tlsFront := func(to string) (*httptest.Server, serde.Option) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, to+r.URL.Path, http.StatusTemporaryRedirect)
		}))
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		return srv, serde.TLS(&tls.Config{RootCAs: pool})
	}
	for _, tc := range []struct {
		name string
		tls  bool
		to   string
	}{
		{"another port, same host", false, "http://127.0.0.1:" + port},
		{"another host", false, "http://localhost:" + port},
		{"https to http, same host", true, "http://127.0.0.1:" + port},
	} {
		for _, auth := range []struct {
			name string
			opt  serde.Option
			want string
		}{
			{"basic", serde.BasicAuth("svc", "hunter2"), "Basic " + base64.StdEncoding.EncodeToString([]byte("svc:hunter2"))},
			{"bearer", serde.BearerToken("s3cr3t"), "Bearer s3cr3t"},
		} {
			t.Run(tc.name+"/"+auth.name, func(t *testing.T) {
				target = authSeen{}
				var front authSeen
				var srv *httptest.Server
				opts := []serde.Option{auth.opt, serde.Retries(0, 0, 0)}
				if tc.tls {
					var o serde.Option
					srv, o = tlsFront(tc.to)
					opts = append(opts, o)
				} else {
					srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						front.record(r)
						http.Redirect(w, r, tc.to+r.URL.Path, http.StatusTemporaryRedirect)
					}))
				}
				defer srv.Close()
				m := newManager(t, srv.URL, opts...)
				_, err := m.Deserialize(ctxT(t), fetchOne)
				if len(target.all()) == 0 {
					t.Fatalf("the redirect was not followed (%v)", err)
				}
				for _, h := range target.all() {
					if h != "" {
						t.Errorf("the redirect target got Authorization %q", h)
					}
				}
				if !tc.tls {
					if got := front.all(); len(got) == 0 || got[0] != auth.want {
						t.Errorf("the registry itself got Authorization %q, want %q", got, auth.want)
					}
				}
			})
		}
	}
}

// TestCredentials_PerURL: each URL's credentials go to its own registry
// only; alice's never reach bob's registry when the client moves on to it.
func TestCredentials_PerURL(t *testing.T) {
	var seen authSeen
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.record(r)
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error_code":40403,"message":"Schema not found"}`)
	}))
	defer second.Close()
	first := "http://alice:alice-secret@" + closedAddr(t)
	bob := strings.Replace(second.URL, "http://", "http://bob:bob-secret@", 1)
	m := newManager(t, "http://unused", serde.URLs(first, bob), serde.Retries(0, 0, 0))
	_, err := m.Deserialize(ctxT(t), fetchOne)
	var unknown *serde.UnknownIDError
	if !errors.As(err, &unknown) {
		t.Fatalf("err = %v, want the second registry's answer", err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("bob:bob-secret"))
	if got := seen.all(); len(got) != 1 || got[0] != want {
		t.Errorf("bob's registry got Authorization %q, want only bob's %q", got, want)
	}
}

// TestCredentials_NeverPrinted: neither the credentials nor a token in a
// URL's query string appear in an error, even when the registry (or a
// proxy before it) echoes the request's headers into its error text; that
// text is also cut short and cannot forge log lines.
func TestCredentials_NeverPrinted(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, `{"error_code":50201,"message":%q}`,
			"proxy error for "+r.URL.String()+"\nAuthorization: "+r.Header.Get("Authorization")+"\nlevel=ERROR msg=forged "+strings.Repeat("x", 1<<20))
	}))
	defer echo.Close()
	for _, tc := range []struct {
		name    string
		url     string
		opts    []serde.Option
		secrets []string
	}{
		{"basic in the URL, token in the query", strings.Replace(echo.URL, "http://", "http://alice:alice-secret@", 1) + "/?token=query-s3cret",
			nil, []string{"alice-secret", base64.StdEncoding.EncodeToString([]byte("alice:alice-secret")), "query-s3cret"}},
		{"bearer", echo.URL, []serde.Option{serde.BearerToken("bearer-s3cret")}, []string{"bearer-s3cret"}},
		{"no answer, token in the query", "http://" + closedAddr(t) + "/?access_token=query-s3cret", nil, []string{"query-s3cret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newManager(t, tc.url, append(tc.opts, serde.Retries(0, 0, 0))...)
			_, err := m.Deserialize(ctxT(t), fetchOne)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, s := range tc.secrets {
				if strings.Contains(msg, s) {
					t.Errorf("the error shows %q: %s", s, msg)
				}
			}
			if strings.ContainsAny(msg, "\n\r") || len(msg) > 1024 {
				t.Errorf("error of %d bytes with a line break or too long: %.300q", len(msg), msg)
			}
			var re *serde.RegistryError
			if errors.As(err, &re) && re.StatusCode != 0 && !strings.Contains(re.Message, "REDACTED") {
				t.Errorf("Message %.200q does not show the redaction", re.Message)
			}
		})
	}
}

// TestResponseSize_Limited: a registry answer that never ends is cut at
// MaxResponseSize instead of filling the heap (784 MB from one answer
// before).
func TestResponseSize_Limited(t *testing.T) {
	const size = 256 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
		io.WriteString(w, `{"schema":"`)
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for range size >> 20 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"}`)
	}))
	defer srv.Close()
	m := newManager(t, srv.URL, serde.Retries(0, 0, 0), serde.MaxResponseSize(4<<20))
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	_, err := m.Deserialize(ctxT(t), fetchOne)
	runtime.ReadMemStats(&b)
	if err == nil || !strings.Contains(err.Error(), "the registry's answer is larger than 4194304 bytes") {
		t.Errorf("err = %v", err)
	}
	if alloc := b.TotalAlloc - a.TotalAlloc; alloc > 64<<20 {
		t.Errorf("reading the answer allocated %d MB", alloc>>20)
	}
	// An answer of exactly the limit is read.
	small := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"schema":"\"int\""}`)
	}))
	defer small.Close()
	m = newManager(t, small.URL, serde.MaxResponseSize(int64(len(`{"schema":"\"int\""}`))))
	if _, err := m.Deserialize(ctxT(t), fetchOne); err == nil || strings.Contains(err.Error(), "larger than") {
		t.Errorf("answer of exactly the limit: %v", err)
	}
}
