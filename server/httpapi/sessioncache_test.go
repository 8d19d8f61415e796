package httpapi

import (
	"testing"
	"time"

	"art60/server/store"
)

// TestSessionCacheKeepsAnEntryOnlyForItsTTLOnTheServiceClock: the cache
// ages by the clock it is given (the service's), and an entry is not
// served when that clock is set back before the entry was put, nor once
// the session has expired.
func TestSessionCacheKeepsAnEntryOnlyForItsTTLOnTheServiceClock(t *testing.T) {
	at := time.Date(2031, 6, 15, 10, 0, 0, 0, time.UTC)
	c := newSessionCache()
	c.put("h", &principal{session: store.Session{ExpiresAt: at.Add(time.Second)}}, at)
	for _, tc := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"when put", at, true},
		{"a moment later", at.Add(500 * time.Millisecond), true},
		{"past the session's expiry", at.Add(time.Second), false},
		{"past the cache's TTL", at.Add(sessionCacheTTL), false},
		{"clock set back", at.Add(-time.Millisecond), false},
		{"clock set back a year", at.AddDate(-1, 0, 0), false},
	} {
		if _, ok := c.get("h", tc.now); ok != tc.want {
			t.Errorf("%s: cached %v, want %v", tc.name, ok, tc.want)
		}
	}
}
