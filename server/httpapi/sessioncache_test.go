package httpapi

import (
	"context"
	"net/url"
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
	c := newSessionCache(sessionCacheTTL)
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

// Without the session cache (the Worker, whose isolates each run a
// Service on one store), a session ended in the store by another process
// (another isolate's sign-out) is refused on the next call, not up to
// sessionCacheTTL later as the cache of one server allows.
func TestWithoutTheCacheASessionEndedElsewhereIsRefusedAtOnce(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.NoSessionCache = true })
	c := f.login("worker-a")
	if res := c.do("GET", "/api/v1/session", nil); res.status != 200 {
		t.Fatalf("signed in: %d", res.status)
	}
	u, _ := url.Parse(f.srv.URL + "/api/")
	var token string
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == cookieName {
			token = ck.Value
		}
	}
	if err := f.st.DeleteSession(context.Background(), hashToken(token)); err != nil {
		t.Fatal(err)
	}
	if res := c.do("GET", "/api/v1/session", nil); res.status != 401 {
		t.Fatalf("a session ended elsewhere, the next call: %d, want 401", res.status)
	}
}
