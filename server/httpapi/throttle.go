package httpapi

import (
	"sync"
	"time"
)

// Failed logins are limited per account and per client address, over a
// sliding window: guessing passwords must be slow without letting one
// attacker lock out a whole office behind one address (hence a higher
// limit per address).
const (
	throttleWindow     = 15 * time.Minute
	maxFailsPerAccount = 5
	maxFailsPerAddress = 20
	throttleMaxKeys    = 100000
)

type throttle struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

func newThrottle() *throttle { return &throttle{fails: map[string][]time.Time{}} }

// blocked returns how long the caller must wait, or 0.
func (t *throttle) blocked(now time.Time, account, addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(t.wait(now, "a:"+account, maxFailsPerAccount), t.wait(now, "ip:"+addr, maxFailsPerAddress))
}

func (t *throttle) wait(now time.Time, key string, limit int) time.Duration {
	fs := t.recent(now, key)
	if len(fs) < limit {
		return 0
	}
	return fs[len(fs)-limit].Add(throttleWindow).Sub(now)
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

func (t *throttle) fail(now time.Time, account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) > throttleMaxKeys {
		t.fails = map[string][]time.Time{} // a flood of keys: start over rather than grow without bound
	}
	for _, key := range []string{"a:" + account, "ip:" + addr} {
		t.fails[key] = append(t.recent(now, key), now)
	}
}

// succeed forgets the account's failures (not the address's).
func (t *throttle) succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, "a:"+account)
}
