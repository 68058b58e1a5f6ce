package serde

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/evc-dev/evc/internal/redact"
	"github.com/evc-dev/evc/internal/registryhttp"
)

// retryTransport retries a registry request on network errors and on 5xx
// and 429 answers, with exponential backoff and jitter, and bounds each
// attempt by a timeout. sr.Client itself only moves on to its next URL after
// a network error and never retries an answer.
type retryTransport struct {
	base       http.RoundTripper
	retries    int
	timeout    time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
	// maxBody bounds the bytes read of one answer.
	maxBody int64
	log     *slog.Logger
	secrets *redact.Secrets
	// sleep waits for d or until ctx ends; tests may replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// exhaustedError is the last failure of a request that got no usable answer
// in any attempt.
type exhaustedError struct {
	attempts int
	last     error
}

func (e *exhaustedError) Error() string {
	if e.attempts == 1 {
		return fmt.Sprintf("no answer from the registry: %v", e.last)
	}
	return fmt.Sprintf("no answer from the registry after %d attempts: %v", e.attempts, e.last)
}

func (e *exhaustedError) Unwrap() error { return e.last }

// Timeout reports whether the last attempt timed out, as net.Error's
// method does.
func (e *exhaustedError) Timeout() bool {
	var te interface{ Timeout() bool }
	return errors.As(e.last, &te) && te.Timeout()
}

// attemptTimeoutError is one attempt that took longer than the per-attempt
// timeout.
type attemptTimeoutError struct{ d time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %v", e.d)
}

// Timeout reports true, as net.Error's method does.
func (e *attemptTimeoutError) Timeout() bool { return true }

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 && req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				return nil, errors.New("evc: serde: cannot retry a request whose body cannot be replayed")
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(parent)
			r.Body = body
		}
		ctx, cancel := parent, context.CancelFunc(func() {})
		if t.timeout > 0 {
			ctx, cancel = context.WithTimeout(parent, t.timeout)
		}
		resp, err := t.base.RoundTrip(r.WithContext(ctx))
		last := attempt > t.retries
		if err == nil {
			if !retryableStatus(resp.StatusCode) || last {
				resp.Body = &cancelBody{ReadCloser: registryhttp.LimitBody(resp.Body, t.maxBody), cancel: cancel}
				return resp, nil
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			cancel()
			t.log.Warn("evc: serde: registry answered an error; retrying",
				"method", req.Method, "path", req.URL.Path, "status", resp.StatusCode, "attempt", attempt)
		} else {
			timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
			cancel()
			if parent.Err() != nil {
				return nil, err // the caller gave up: never retry
			}
			if timedOut {
				err = &attemptTimeoutError{t.timeout}
			}
			if !retryableErr(err) || last {
				return nil, &exhaustedError{attempts: attempt, last: err}
			}
			t.log.Warn("evc: serde: registry request failed; retrying",
				"method", req.Method, "path", req.URL.Path, "error", t.secrets.String(err.Error()), "attempt", attempt)
		}
		if err := t.sleep(parent, t.backoff(attempt)); err != nil {
			return nil, err
		}
	}
}

// backoff returns the wait before attempt+1: exponential from minBackoff,
// capped at maxBackoff, with jitter over its upper half.
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.minBackoff
	for i := 1; i < attempt && d < t.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, t.maxBackoff)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func retryableStatus(code int) bool {
	return code >= 500 || code == http.StatusTooManyRequests
}

// retryableErr reports whether a network error may go away by itself; a
// certificate the client does not trust will not.
func retryableErr(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return !errors.As(err, &verr) && !errors.As(err, &uerr) && !errors.As(err, &herr) && !errors.As(err, &cerr)
}

// cancelBody releases an attempt's context once the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
