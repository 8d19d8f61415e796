package httpapi

import (
	"context"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// Sign-in limits (server/README.md, "Sign-in throttle"). Failed sign-ins
// are counted over a sliding window in three ways, so that guessing is slow
// and a lockout falls on the guesser's address rather than on the account's
// owner:
//
//   - per account and address: 5 failures lock that address out of that
//     account for the rest of the window;
//   - per address: 20 failures, whatever the accounts (unknown ones too);
//   - per account, from all addresses: 10 failures pass, then each attempt
//     waits after the previous failure a delay that doubles from 1 s up to
//     5 min. Many addresses guessing together thus slow the account down
//     without locking its owner out for the whole window.
//
// An attempt is counted when it starts (reserve), before the password is
// hashed, and handed back when it did not fail: concurrent guesses cannot
// all pass the check before any of them is counted. The failures are kept
// by a FailureLog: in this process's memory for the Go server, in a D1
// table for the Worker, whose isolates must all count the same failures.
const (
	throttleWindow      = 15 * time.Minute
	maxFailsPerPair     = 5
	maxFailsPerAddress  = 20
	freeFailsPerAccount = 10
	accountDelayFirst   = time.Second
	accountDelayMax     = 5 * time.Minute
	throttleMaxKeys     = 100000
)

// FailureLog keeps the failed sign-ins under their keys (an account, an
// address, or both), for Deps.Failures.
type FailureLog interface {
	// Reserve reads the failures after since under each key, in order, and
	// asks decide how long the attempt must wait; when it need not (0),
	// it adds a failure at at under every key. The read, the decision and
	// the writes are atomic: no other Reserve on these keys comes between.
	Reserve(ctx context.Context, keys []string, since, at time.Time, decide func(recent [][]time.Time) time.Duration) (time.Duration, error)
	// Forget removes the failure counted at at under each key of remove,
	// and every failure under each key of clear.
	Forget(ctx context.Context, at time.Time, remove, clear []string) error
}

type throttle struct {
	fails FailureLog
	log   *slog.Logger
	gate  *hashGate // bounds the argon2 checks behind the counters
}

func newThrottle(fails FailureLog, log *slog.Logger) *throttle {
	if fails == nil {
		fails = &memoryFailures{fails: map[string][]time.Time{}}
	}
	return &throttle{fails: fails, log: log, gate: newHashGate(hashWorkers, hashQueue)}
}

// attempt is a sign-in counted in advance: the keys it was counted under
// and when.
type attempt struct {
	pair, addr, account string
	at                  time.Time
}

func newAttempt(now time.Time, account, addr string) attempt {
	a := addrKey(addr)
	return attempt{pair: "p:" + account + "\x00" + a, addr: "ip:" + a, account: "a:" + account, at: now}
}

// addrKey groups IPv6 addresses by /64, the block one subscriber usually
// holds: otherwise one machine would have billions of addresses to count
// under.
func addrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Unmap().Is4() {
		return addr
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// reserve counts the attempt as a failure before the password is checked.
// When a limit is reached it counts nothing and returns how long the caller
// must wait.
func (t *throttle) reserve(ctx context.Context, now time.Time, account, addr string) (attempt, time.Duration, error) {
	a := newAttempt(now, account, addr)
	wait, err := t.fails.Reserve(ctx, a.keys(), now.Add(-throttleWindow), now, func(recent [][]time.Time) time.Duration {
		return max(limitWait(now, recent[0], maxFailsPerPair), limitWait(now, recent[1], maxFailsPerAddress),
			accountWait(now, recent[2]))
	})
	return a, wait, err
}

// keys are the attempt's keys in the order reserve's decision reads them.
func (a attempt) keys() []string { return []string{a.pair, a.addr, a.account} }

// limitWait is the wait under a fixed limit: until the oldest failure that
// makes the count reach it leaves the window.
func limitWait(now time.Time, fs []time.Time, limit int) time.Duration {
	if len(fs) < limit {
		return 0
	}
	return fs[len(fs)-limit].Add(throttleWindow).Sub(now)
}

// accountWait is the growing delay after the free failures of an account.
func accountWait(now time.Time, fs []time.Time) time.Duration {
	over := len(fs) - freeFailsPerAccount
	if over < 0 {
		return 0
	}
	delay := accountDelayMax
	if over < 20 { // beyond, the shift would pass the cap anyway
		delay = min(accountDelayFirst<<over, accountDelayMax)
	}
	return max(0, fs[len(fs)-1].Add(delay).Sub(now))
}

// refund hands back an attempt that did not fail (the check could not run).
func (t *throttle) refund(ctx context.Context, a attempt) {
	t.forget(ctx, a, a.keys(), nil)
}

// succeed hands back the attempt and forgets the failures of this account
// from this address (the owner's own typos). The account's failures from
// other addresses stay: the owner's success says nothing about them.
func (t *throttle) succeed(ctx context.Context, a attempt) {
	t.forget(ctx, a, []string{a.addr, a.account}, []string{a.pair})
}

// forget logs a failure to hand an attempt back: the sign-in's answer
// stands, and the attempt leaves the window within 15 minutes.
func (t *throttle) forget(ctx context.Context, a attempt, remove, clear []string) {
	if err := t.fails.Forget(context.WithoutCancel(ctx), a.at, remove, clear); err != nil {
		t.log.Error("sign-in throttle: hand an attempt back", "err", err)
	}
}

// memoryFailures is the FailureLog of one process (the Go server).
type memoryFailures struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

// Reserve implements FailureLog under the lock.
func (m *memoryFailures) Reserve(_ context.Context, keys []string, since, at time.Time, decide func([][]time.Time) time.Duration) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	recent := make([][]time.Time, len(keys))
	for i, key := range keys {
		recent[i] = m.recent(since, key)
	}
	if wait := decide(recent); wait > 0 {
		return wait, nil
	}
	m.makeRoom(since)
	for _, key := range keys {
		m.fails[key] = append(m.recent(since, key), at)
	}
	return 0, nil
}

// recent drops failures not after since and returns the rest.
func (m *memoryFailures) recent(since time.Time, key string) []time.Time {
	fs := m.fails[key]
	i := 0
	for i < len(fs) && !fs[i].After(since) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(m.fails, key)
		return nil
	}
	m.fails[key] = fs
	return fs
}

// makeRoom bounds the memory a flood of keys can take: expired keys go
// first, and only if that is not enough does the throttle start over.
func (m *memoryFailures) makeRoom(since time.Time) {
	if len(m.fails) < throttleMaxKeys {
		return
	}
	for key := range m.fails {
		m.recent(since, key)
	}
	if len(m.fails) >= throttleMaxKeys {
		m.fails = map[string][]time.Time{}
	}
}

// Forget implements FailureLog.
func (m *memoryFailures) Forget(_ context.Context, at time.Time, remove, clear []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, key := range remove {
		m.remove(key, at)
	}
	for _, key := range clear {
		delete(m.fails, key)
	}
	return nil
}

func (m *memoryFailures) remove(key string, at time.Time) {
	fs := m.fails[key]
	i := slices.IndexFunc(fs, func(f time.Time) bool { return f.Equal(at) })
	if i < 0 {
		return
	}
	if fs = slices.Delete(fs, i, i+1); len(fs) == 0 {
		delete(m.fails, key)
		return
	}
	m.fails[key] = fs
}
