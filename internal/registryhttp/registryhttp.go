// Package registryhttp holds the HTTP client pieces that runtime/serde and
// evc compat's registry source share for talking to a Schema Registry:
// credentials bound to the registry's own origins, and a bound on the size
// of an answer. (What they print goes through internal/redact.)
package registryhttp

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Auth is an http.RoundTripper that sets the Authorization header of a
// request to one of the registry's own origins and of no other: a redirect
// to another host or port, or from https to http, goes without. (Go's
// client forwards a header set on the request to the same host on another
// port, and over a downgrade.) It replaces any Authorization header the
// request carries.
type Auth struct {
	Next http.RoundTripper
	// All is the header value for each origin of Registries that has none
	// of its own in ByOrigin ("" for none).
	All        string
	ByOrigin   map[string]string
	Registries []string
}

// RoundTrip sends req with the header its origin is entitled to.
func (t *Auth) RoundTrip(req *http.Request) (*http.Response, error) {
	o := Origin(req.URL)
	h, ok := t.ByOrigin[o]
	if !ok && slices.Contains(t.Registries, o) {
		h = t.All
	}
	req = req.Clone(req.Context())
	req.Header.Del("Authorization")
	if h != "" {
		req.Header.Set("Authorization", h)
	}
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

// Origin returns u's scheme, host and port (the scheme's default port when
// u names none), lower case: what a credential is bound to.
func Origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// Basic returns the Authorization header value of basic auth.
func Basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// TooLargeError is the read error of an answer over the size limit.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the registry's answer is larger than %d bytes", e.Max)
}

// LimitBody returns body, failing a read past max bytes with a
// *TooLargeError; an answer of exactly max bytes reads whole. A max of 0
// or less is no limit.
func LimitBody(body io.ReadCloser, max int64) io.ReadCloser {
	if max <= 0 {
		return body
	}
	return &limited{ReadCloser: body, left: max, max: max}
}

type limited struct {
	io.ReadCloser
	left, max int64
	end       error // what the read after the limit gave, when it gave no byte
}

func (b *limited) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if b.end != nil {
			return 0, b.end
		}
		return 0, &TooLargeError{b.max}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left <= 0 && err == nil {
		// At the limit: one more byte means the answer is too large.
		var one [1]byte
		m, perr := b.ReadCloser.Read(one[:])
		if m > 0 {
			return n, &TooLargeError{b.max}
		}
		if perr == nil {
			perr = io.EOF
		}
		b.end = perr
	}
	return n, err
}

// Limit is an http.RoundTripper that bounds every answer's body with
// LimitBody.
type Limit struct {
	Next http.RoundTripper
	Max  int64
}

// RoundTrip sends req and limits the answer's body.
func (t *Limit) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err == nil {
		resp.Body = LimitBody(resp.Body, t.Max)
	}
	return resp, err
}
