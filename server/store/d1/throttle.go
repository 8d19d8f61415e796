package d1

import (
	"context"
	"errors"
	"fmt"
	"time"

	"art60/server/store/sqlbase"
)

// The sign-in throttle's failures (httpapi.FailureLog) in the table
// signin_failures, so that every isolate of the Worker counts the same
// ones. A reservation reads the failures of its keys, lets the throttle
// decide, and writes its failures in one batch guarded on what it read
// (the count and the newest failure of each key): of concurrent
// reservations on one key one commits, the others are built again from
// fresh reads, as the in-memory log's lock would have them wait.

// Reserve implements httpapi.FailureLog.
func (s *Store) Reserve(ctx context.Context, keys []string, since, at time.Time, decide func(recent [][]time.Time) time.Duration) (_ time.Duration, err error) {
	defer wrapThrottle(&err, "Reserve")
	hashes := make([][]byte, len(keys))
	for i, k := range keys {
		hashes[i] = s.seal.ThrottleHMAC(k)
	}
	for attempt := 1; ; attempt++ {
		b := &batch{s: s, ctx: ctx}
		recent := make([][]time.Time, len(keys))
		for i, h := range hashes {
			var err error
			if recent[i], err = s.failures(ctx, h, since); err != nil {
				return 0, err
			}
			var newest int64
			if n := len(recent[i]); n > 0 {
				newest = recent[i][n-1].UnixMilli()
			}
			b.guard(`SELECT 1 WHERE (SELECT count(*) || ':' || coalesce(max(at), 0) FROM signin_failures WHERE key_hmac = ? AND at > ?) = ?`,
				h, since.UnixMilli(), fmt.Sprintf("%d:%d", len(recent[i]), newest))
		}
		if wait := decide(recent); wait > 0 {
			return wait, nil
		}
		s.purgeFailures(b, since)
		for _, h := range hashes {
			b.Add(`INSERT INTO signin_failures (key_hmac, at) VALUES (?, ?)`, h, at.UnixMilli())
		}
		err := s.x.Batch(ctx, b.Statements)
		if !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			return 0, err
		}
		if err := pause(ctx, attempt); err != nil {
			return 0, err
		}
	}
}

// failures reads a key's failures after since, oldest first.
func (s *Store) failures(ctx context.Context, hash []byte, since time.Time) ([]time.Time, error) {
	var out []time.Time
	err := sqlbase.Each(s.query(ctx), func(r Rows) (bool, error) {
		var ms int64
		err := r.Scan(&ms)
		out = append(out, time.UnixMilli(ms))
		return true, err
	}, `SELECT at FROM signin_failures WHERE key_hmac = ? AND at > ? ORDER BY at`, hash, since.UnixMilli())
	return out, err
}

// purgeFailures drops the failures of every key that left the window,
// once an hour of this isolate.
func (s *Store) purgeFailures(b *batch, since time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if since.Sub(s.failuresPurged) > time.Hour {
		b.Add(`DELETE FROM signin_failures WHERE at <= ?`, since.UnixMilli())
		s.failuresPurged = since
	}
}

// Forget implements httpapi.FailureLog: one failure at at under each key of
// remove (failures at the same millisecond are alike), every failure
// under each key of clear, in one batch.
func (s *Store) Forget(ctx context.Context, at time.Time, remove, clear []string) (err error) {
	defer wrapThrottle(&err, "Forget")
	b := &batch{s: s, ctx: ctx}
	for _, k := range remove {
		b.Add(`DELETE FROM signin_failures WHERE rowid =
			(SELECT rowid FROM signin_failures WHERE key_hmac = ? AND at = ? LIMIT 1)`, s.seal.ThrottleHMAC(k), at.UnixMilli())
	}
	for _, k := range clear {
		b.Add(`DELETE FROM signin_failures WHERE key_hmac = ?`, s.seal.ThrottleHMAC(k))
	}
	return s.x.Batch(ctx, b.Statements)
}

// wrapThrottle names the operation; the keys are not named (they hold a
// login and an address).
func wrapThrottle(err *error, op string) {
	if *err != nil {
		*err = fmt.Errorf("d1: sign-in throttle %s: %w", op, *err)
	}
}
