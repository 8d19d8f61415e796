package httpapi

import (
	"sync"
	"time"
)

// sessionCache keeps recently checked sessions for a moment: reading the
// session and the user from the store costs about a tenth of a push's CPU.
// The price is that a disabled account keeps working for up to
// sessionCacheTTL; sign-out on this server takes effect at once.
const (
	sessionCacheTTL  = 2 * time.Second
	sessionCacheSize = 10000
)

type sessionCache struct {
	ttl time.Duration // 0: nothing is served from the cache (Deps.NoSessionCache)
	mu  sync.Mutex
	m   map[string]cachedPrincipal
}

type cachedPrincipal struct {
	p     principal
	until time.Time
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, m: map[string]cachedPrincipal{}}
}

// sessionTTLOf is how long the Deps let a checked session be served from
// the cache. Without the cache, entries are still put: claimTouch reads the
// last use of the session as just loaded.
func sessionTTLOf(d Deps) time.Duration {
	if d.NoSessionCache {
		return 0
	}
	return sessionCacheTTL
}

// get returns a copy of the cached principal, so callers may set its address.
func (c *sessionCache) get(hash string, now time.Time) (*principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	// now is the service's clock, which sessions expire by; an entry is
	// fresh only within sessionCacheTTL after it was put, so a clock set
	// back (tests move it to any date) does not keep it for longer.
	fresh := now.Before(e.until) && !now.Before(e.until.Add(-c.ttl))
	if !ok || !fresh || !now.Before(e.p.session.ExpiresAt) {
		return nil, false
	}
	p := e.p
	return &p, true
}

func (c *sessionCache) put(hash string, p *principal, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= sessionCacheSize {
		c.m = map[string]cachedPrincipal{} // cheaper than tracking age; it refills in two seconds
	}
	c.m[hash] = cachedPrincipal{p: *p, until: now.Add(c.ttl)}
}

func (c *sessionCache) drop(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, hash)
}

// claimTouch says whether the caller should record a use of the session at
// at: the cached last use is at least touchInterval older. It moves the
// cached last use first, so that of the requests arriving together only one
// writes. The entry must be cached (authenticate puts it).
func (c *sessionCache) claimTouch(hash string, at time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || at.Sub(e.p.session.LastUsed()) < touchInterval {
		return false
	}
	e.p.session.LastUsedAt = at
	c.m[hash] = e
	return true
}

// dropUser forgets the cached sessions of a user (all but keep), so that
// ending them takes effect at once on this server.
func (c *sessionCache) dropUser(userID, keep string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for hash, e := range c.m {
		if e.p.user.ID == userID && hash != keep {
			delete(c.m, hash)
		}
	}
}
