package badgerstore

import (
	"context"
	"errors"
	"time"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// TouchSession implements Store. The entry keeps its expiry: only its last
// use moves, and never backwards (two requests may race to record it).
// Like sign-out, the session writes are small enough to go through when
// the disk is nearly full (roomSmall): signing out everywhere or changing
// a leaked password must work then too.
func (s *Badger) TouchSession(_ context.Context, hash string, at time.Time) (err error) {
	defer store.Wrap(&err, "badger: TouchSession")
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error {
		var se store.Session
		if err := getJSON(txn, sessionKey(hash), &se); err != nil {
			return err
		}
		if !at.After(se.LastUsedAt) {
			return nil
		}
		se.LastUsedAt = at
		return s.setSession(txn, se)
	}, nil)
}

// setSession writes a session with a TTL that ends with it, so Badger drops
// old sessions by itself.
func (s *Badger) setSession(txn *badger.Txn, se store.Session) error {
	ttl := se.ExpiresAt.Sub(s.now())
	if ttl <= 0 {
		return store.ErrNotFound // expired meanwhile: nothing to keep
	}
	b, err := marshal(se)
	if err != nil {
		return err
	}
	return txn.SetEntry(badger.NewEntry(sessionKey(se.TokenHash), b).WithTTL(ttl))
}

// DeleteUserSessions implements Store. Sessions are keyed by their token's
// hash alone, so this reads them all: they last 12 hours at most, so there
// are only the sign-ins of one day to read, and doing it in the writer's
// transaction makes it atomic with the audit entry (a session opened while
// it runs is either ended or opened after it).
func (s *Badger) DeleteUserSessions(_ context.Context, userID, keep string, audit ...store.AuditEntry) (_ int, err error) {
	defer store.Wrap(&err, "badger: DeleteUserSessions(%s)", userID)
	var n int
	err = s.w.doIn(roomSmall, func(txn *badger.Txn) error {
		var err error
		if n, err = deleteSessionsOf(txn, userID, keep); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
	return n, err
}

// deleteSessionsOf deletes the sessions of a user but the one whose token
// hash is keep ("" for none) and returns how many it deleted.
func deleteSessionsOf(txn *badger.Txn, userID, keep string) (int, error) {
	var doomed [][]byte
	err := scanJSON(txn, sessionKey(""), nil, func(key []byte, se store.Session) bool {
		if se.UserID == userID && se.TokenHash != keep {
			doomed = append(doomed, key)
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	for _, key := range doomed {
		if err := txn.Delete(key); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// SetPassword implements Store: the new hash and the end of the user's
// other sessions are one transaction, so no session opened with the old
// password survives the change.
func (s *Badger) SetPassword(_ context.Context, userID, hash, keep string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: SetPassword(%s)", userID)
	if hash == "" {
		return errors.New("store: set password: empty hash")
	}
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error {
		var u store.User
		if err := getJSON(txn, userKey(userID), &u); err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := setJSON(txn, userKey(userID), u); err != nil {
			return err
		}
		if _, err := deleteSessionsOf(txn, userID, keep); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
}
