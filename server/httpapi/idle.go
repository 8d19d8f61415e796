package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// Idle timeout. A CPAS office shares computers between social workers, and
// a browser left signed in is a door into the files of everyone its user
// serves: a session unused for the idle timeout ends, besides the 12-hour
// limit of every session (server/README.md, Security). 30 minutes covers an
// interview or a meeting without working in the application; the
// administrator sets it with art60 serve -idle-timeout.
const (
	DefaultIdleTimeout = 30 * time.Minute
	// touchInterval is how often a session's last use is written to the
	// store: at most once a minute per session, not on every request (a
	// synced write costs a fsync). The idle timeout therefore runs from a
	// last use known to within this interval: a session may end up to a
	// minute early, never late.
	touchInterval  = time.Minute
	minIdleTimeout = 2 * touchInterval
)

// usedAt is when the caller's user last did something: now, or as long ago
// as the app's api.IdleHeader says (its background sync is not a use).
func usedAt(r *http.Request, now time.Time) time.Time {
	n, err := strconv.ParseInt(r.Header.Get(api.IdleHeader), 10, 64)
	if err != nil || n <= 0 {
		return now
	}
	return now.Add(-time.Duration(min(n, int64(sessionTTL/time.Second))) * time.Second)
}

// idleTimeout is the configured timeout, or the default.
func idleTimeout(d time.Duration) (time.Duration, error) {
	if d == 0 {
		return DefaultIdleTimeout, nil
	}
	if d < minIdleTimeout || d > sessionTTL {
		return 0, fmt.Errorf("httpapi: idle timeout %v: it must be from %v to %v (the session's lifetime)", d, minIdleTimeout, sessionTTL)
	}
	return d, nil
}

// checkIdle refuses a session unused for longer than the idle timeout, and
// records its use (usedAt) when the last recorded one is a minute old. The session
// stays in the store until its 12 hours are over, so that every call made
// with it answers session_expired (the app then says why the user must
// sign in again) rather than a bare unauthenticated.
func (s *Service) checkIdle(r *http.Request, hash string, p *principal, now time.Time) error {
	if now.Sub(p.session.LastUsed()) > s.idle {
		return errSessionExpired
	}
	at := usedAt(r, now)
	if !s.sessions.claimTouch(hash, at) {
		return nil
	}
	err := s.st.TouchSession(r.Context(), hash, at)
	if errors.Is(err, store.ErrNotFound) { // ended meanwhile (signed out everywhere)
		s.sessions.drop(hash)
		return errUnauthenticated
	}
	return err
}
