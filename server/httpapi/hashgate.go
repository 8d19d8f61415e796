package httpapi

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// An argon2 check takes 19 MiB and tens of milliseconds of one core, so at
// most hashWorkers run at a time and at most hashQueue sign-ins wait behind
// them (server/README.md, "Sign-in throttle"). A sign-in beyond that is
// refused at once: a burst must not pile up goroutines, memory and
// latency in front of the owners who sign in during it. One address has at
// most one check running or queued; its other attempts (at most the
// per-address limit of the throttle) wait their turn outside the queue, so
// a burst from one address cannot take every worker.
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

	mu    sync.Mutex
	turns map[string]*turn // per address: whose check is in the gate
}

// turn lets one attempt of an address into the gate at a time.
type turn struct {
	token chan struct{}
	users int // attempts holding or waiting for the token
}

func newHashGate(workers, queue int) *hashGate {
	return &hashGate{slots: make(chan struct{}, workers), max: int64(queue), turns: map[string]*turn{}}
}

// enter takes a hashing slot for a sign-in from addr, waiting for the
// address's turn, then in the queue if there is room in it, and only while
// ctx lasts (a client that left is not worth the work). After a nil error
// the caller calls release(addr) once done.
func (g *hashGate) enter(ctx context.Context, addr string) error {
	tr := g.join(addr)
	select {
	case tr.token <- struct{}{}:
	case <-ctx.Done():
		g.leave(addr, tr)
		return context.Cause(ctx)
	}
	if err := g.slot(ctx); err != nil {
		<-tr.token
		g.leave(addr, tr)
		return err
	}
	return nil
}

func (g *hashGate) slot(ctx context.Context) error {
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

func (g *hashGate) release(addr string) {
	<-g.slots
	g.mu.Lock()
	tr := g.turns[addr]
	g.mu.Unlock()
	<-tr.token
	g.leave(addr, tr)
}

func (g *hashGate) join(addr string) *turn {
	g.mu.Lock()
	defer g.mu.Unlock()
	tr := g.turns[addr]
	if tr == nil {
		tr = &turn{token: make(chan struct{}, 1)}
		g.turns[addr] = tr
	}
	tr.users++
	return tr
}

func (g *hashGate) leave(addr string, tr *turn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if tr.users--; tr.users == 0 {
		delete(g.turns, addr)
	}
}
