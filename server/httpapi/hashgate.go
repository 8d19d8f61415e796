package httpapi

import (
	"context"
	"errors"
	"sync/atomic"
)

// An argon2 check takes 19 MiB and tens of milliseconds of one core, so at
// most hashWorkers run at a time and at most hashQueue sign-ins wait behind
// them (server/README.md, "Sign-in throttle"). A sign-in beyond that is
// refused at once: a burst must not pile up goroutines, memory and
// latency in front of the owners who sign in during it.
const (
	hashWorkers = 2
	hashQueue   = 16
)

// errHashBusy says the hashing queue is full.
var errHashBusy = errors.New("sign-in: the password-hashing queue is full")

// hashGate bounds the concurrent and the waiting argon2 checks.
type hashGate struct {
	slots   chan struct{}
	waiting atomic.Int64
	max     int64
}

func newHashGate(workers, queue int) *hashGate {
	return &hashGate{slots: make(chan struct{}, workers), max: int64(queue)}
}

// enter takes a hashing slot, waiting in the queue if there is room in it
// and while ctx lasts (a client that left is not worth the work). The
// caller calls release once done.
func (g *hashGate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}
	if g.waiting.Add(1) > g.max {
		g.waiting.Add(-1)
		return errHashBusy
	}
	defer g.waiting.Add(-1)
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (g *hashGate) release() { <-g.slots }
