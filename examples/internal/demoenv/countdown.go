package demoenv

import (
	"context"
	"sync"
)

// Countdown ends a consumer's run (see Env.Consume) once a demo's handlers
// have counted every record it produced. It is safe for concurrent use.
type Countdown struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelFunc
	total  int

	mu   sync.Mutex
	seen int
}

// NewCountdown returns a countdown of total records, within ctx.
func NewCountdown(ctx context.Context, total int) *Countdown {
	done, cancel := context.WithCancel(ctx)
	return &Countdown{parent: ctx, ctx: done, cancel: cancel, total: total}
}

// Count counts one record as handled; the last one ends the run.
func (c *Countdown) Count() {
	c.mu.Lock()
	c.seen++
	last := c.seen == c.total
	c.mu.Unlock()
	if last {
		c.cancel()
	}
}

// counts returns how many records were counted, and of how many.
func (c *Countdown) counts() (seen, total int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen, c.total
}
