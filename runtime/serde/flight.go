package serde

import (
	"context"
	"errors"
	"sync"
)

// flight makes concurrent calls with the same key share one execution, so
// that a burst of first uses of a type makes one registry call.
type flight[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*call[V]
}

type call[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// do runs fn once for all callers that arrive while it runs. A caller whose
// own context ends stops waiting. When the running call failed only because
// its caller's context ended, a waiter whose context is still live runs fn
// itself rather than inherit someone else's cancellation.
func (f *flight[K, V]) do(ctx context.Context, key K, fn func() (V, error)) (V, error) {
	for {
		f.mu.Lock()
		if c, ok := f.calls[key]; ok {
			f.mu.Unlock()
			select {
			case <-c.done:
				if isContextErr(c.err) && ctx.Err() == nil {
					continue
				}
				return c.v, c.err
			case <-ctx.Done():
				var zero V
				return zero, ctx.Err()
			}
		}
		c := &call[V]{done: make(chan struct{})}
		if f.calls == nil {
			f.calls = make(map[K]*call[V])
		}
		f.calls[key] = c
		f.mu.Unlock()

		c.v, c.err = fn()

		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
		return c.v, c.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
