package httpapi

import (
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
// all pass the check before any of them is counted.
const (
	throttleWindow      = 15 * time.Minute
	maxFailsPerPair     = 5
	maxFailsPerAddress  = 20
	freeFailsPerAccount = 10
	accountDelayFirst   = time.Second
	accountDelayMax     = 5 * time.Minute
	throttleMaxKeys     = 100000
)

type throttle struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	gate  *hashGate // bounds the argon2 checks behind the counters
}

func newThrottle() *throttle {
	return &throttle{fails: map[string][]time.Time{}, gate: newHashGate(hashWorkers, hashQueue)}
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
func (t *throttle) reserve(now time.Time, account, addr string) (attempt, time.Duration) {
	a := newAttempt(now, account, addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	wait := max(t.limitWait(now, a.pair, maxFailsPerPair), t.limitWait(now, a.addr, maxFailsPerAddress),
		t.accountWait(now, a.account))
	if wait > 0 {
		return a, wait
	}
	t.makeRoom(now)
	for _, key := range a.keys() {
		t.fails[key] = append(t.recent(now, key), now)
	}
	return a, 0
}

func (a attempt) keys() []string { return []string{a.pair, a.addr, a.account} }

// limitWait is the wait under a fixed limit: until the oldest failure that
// makes the count reach it leaves the window.
func (t *throttle) limitWait(now time.Time, key string, limit int) time.Duration {
	fs := t.recent(now, key)
	if len(fs) < limit {
		return 0
	}
	return fs[len(fs)-limit].Add(throttleWindow).Sub(now)
}

// accountWait is the growing delay after the free failures of an account.
func (t *throttle) accountWait(now time.Time, key string) time.Duration {
	fs := t.recent(now, key)
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

// recent drops failures older than the window and returns the rest.
func (t *throttle) recent(now time.Time, key string) []time.Time {
	fs := t.fails[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= throttleWindow {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = fs
	return fs
}

// makeRoom bounds the memory a flood of keys can take: expired keys go
// first, and only if that is not enough does the throttle start over.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.fails) < throttleMaxKeys {
		return
	}
	for key := range t.fails {
		t.recent(now, key)
	}
	if len(t.fails) >= throttleMaxKeys {
		t.fails = map[string][]time.Time{}
	}
}

// refund hands back an attempt that did not fail (the check could not run).
func (t *throttle) refund(a attempt) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, key := range a.keys() {
		t.remove(key, a.at)
	}
}

// succeed hands back the attempt and forgets the failures of this account
// from this address (the owner's own typos). The account's failures from
// other addresses stay: the owner's success says nothing about them.
func (t *throttle) succeed(a attempt) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.remove(a.addr, a.at)
	t.remove(a.account, a.at)
	delete(t.fails, a.pair)
}

func (t *throttle) remove(key string, at time.Time) {
	fs := t.fails[key]
	i := slices.IndexFunc(fs, func(f time.Time) bool { return f.Equal(at) })
	if i < 0 {
		return
	}
	if fs = slices.Delete(fs, i, i+1); len(fs) == 0 {
		delete(t.fails, key)
		return
	}
	t.fails[key] = fs
}
