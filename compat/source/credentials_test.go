package source_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/diag"
)

func loadURL(t *testing.T, url string, opts source.Options) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts.Context = ctx
	opts.Names = []string{"evc.test.User"}
	opts.Namespaces = []string{"evc.test"}
	var l diag.List
	_, err := source.Load("registry:"+url, opts, &l)
	return err
}

// TestRegistry_CredentialsNotOnRedirect: a registry that redirects to
// another port of the same host gets the credentials; the target does not.
func TestRegistry_CredentialsNotOnRedirect(t *testing.T) {
	var mu sync.Mutex
	var target, front []string
	tgt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		target = append(target, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer tgt.Close()
	port := tgt.URL[strings.LastIndex(tgt.URL, ":")+1:]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		front = append(front, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Redirect(w, r, "http://127.0.0.1:"+port+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	for _, auth := range []source.RegistryAuth{{User: "svc", Password: "hunter2"}, {Token: "s3cr3t"}} {
		target, front = nil, nil
		_ = loadURL(t, srv.URL, source.Options{Registry: auth})
		mu.Lock()
		if len(target) == 0 || len(front) == 0 || front[0] == "" {
			t.Errorf("%v: front saw %q, target %q; want the front authenticated and the redirect followed", auth, front, target)
		}
		for _, h := range target {
			if h != "" {
				t.Errorf("%v: the redirect target got Authorization %q", auth, h)
			}
		}
		mu.Unlock()
	}
}

// TestRegistry_ErrorsShowNoSecret: evc compat prints the registry's error,
// so neither a credential echoed back by a proxy nor a token in the URL's
// query string may be in it; and the text is cut short, on one line.
func TestRegistry_ErrorsShowNoSecret(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, `{"error_code":50201,"message":%q}`,
			"proxy error for "+r.URL.String()+"\nAuthorization: "+r.Header.Get("Authorization")+"\n"+strings.Repeat("x", 1<<20))
	}))
	defer echo.Close()
	url := strings.Replace(echo.URL, "http://", "http://alice:alice-secret@", 1) + "/?token=query-s3cret"
	err := loadURL(t, url, source.Options{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range []string{"alice-secret", "YWxpY2U6YWxpY2Utc2VjcmV0", "query-s3cret"} {
		if strings.Contains(msg, s) {
			t.Errorf("the error shows %q: %.400s", s, msg)
		}
	}
	if strings.ContainsAny(msg, "\n\r") || len(msg) > 1200 {
		t.Errorf("error of %d bytes, or with a line break: %.400q", len(msg), msg)
	}
	if !strings.Contains(msg, "registry answered 502 (error code 50201)") || !strings.Contains(msg, "REDACTED") {
		t.Errorf("error %.400q", msg)
	}
}

// TestRegistry_AnswerSizeLimited: an answer that never ends is an error,
// not a heap that fills.
func TestRegistry_AnswerSizeLimited(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `["`)
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for range 64 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"]`)
	}))
	defer srv.Close()
	err := loadURL(t, srv.URL, source.Options{})
	if err == nil || !strings.Contains(err.Error(), "larger than 16777216 bytes") {
		t.Errorf("err = %.300v", err)
	}
}
