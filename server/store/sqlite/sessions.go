package sqlite

import (
	"context"
	"errors"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// TouchSession implements store.Store: the last use moves forward only; a
// session gone or expired by the store's clock is store.ErrNotFound.
func (s *Store) TouchSession(_ context.Context, hash string, at time.Time) (err error) {
	defer store.Wrap(&err, "sqlite: TouchSession")
	return s.w.do(func(t *wtx) error {
		se, _, err := sqlbase.ReadSession(t.row, hash, s.now())
		if err != nil {
			return err
		}
		var b batch
		if err := sqlbase.TouchSession(&b, hash, se, at); err != nil {
			return err
		}
		return t.execAll(b)
	})
}

// DeleteUserSessions implements store.Store: one DELETE by the user_id
// column, with the audit entries, in one batch.
func (s *Store) DeleteUserSessions(_ context.Context, userID, keep string, audit ...store.AuditEntry) (_ int, err error) {
	defer store.Wrap(&err, "sqlite: DeleteUserSessions(%s)", userID)
	var n int64
	err = s.w.do(func(t *wtx) error {
		res, err := t.exec(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		var b batch
		return s.writeAudited(t, b, audit)
	})
	return int(n), err
}

// SetPassword implements store.Store: the new hash and the end of the
// user's other sessions are one transaction, so no session opened with the
// old password survives the change.
func (s *Store) SetPassword(_ context.Context, userID, hash, keep string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: SetPassword(%s)", userID)
	if hash == "" {
		return errors.New("store: set password: empty hash")
	}
	return s.w.do(func(t *wtx) error {
		u, _, err := s.seal.ReadUser(t.row, `id = ?`, userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		var b batch
		if err := s.seal.PutUser(&b, u); err != nil {
			return err
		}
		b.Add(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
		return s.writeAudited(t, b, audit)
	})
}
