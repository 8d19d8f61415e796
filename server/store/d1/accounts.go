package d1

import (
	"context"
	"errors"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutCPAS implements store.Store: a taken id is store.ErrExists, found by
// the read before the batch or, in a race, by the primary key and the read
// of the next run.
func (s *Store) PutCPAS(ctx context.Context, c store.CPAS, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: PutCPAS")
	return s.write(ctx, func(b *batch) error {
		if err := s.absent(ctx, `SELECT 1 FROM cpas WHERE id = ?`, c.ID); err != nil {
			return err
		}
		sqlbase.AddCPAS(&b.Statements, c)
		return b.audit(audit...)
	})
}

// absent is store.ErrExists when the query finds a row.
func (s *Store) absent(ctx context.Context, q string, args ...any) error {
	var one int
	err := s.row(ctx, q, args...).Scan(&one)
	if err == nil {
		return store.ErrExists
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// CPAS implements store.Store.
func (s *Store) CPAS(ctx context.Context, id string) (_ store.CPAS, err error) {
	defer store.Wrap(&err, "d1: CPAS(%s)", id)
	return sqlbase.ReadCPAS(s.rows(ctx), id)
}

// ListCPAS implements store.Store, by id.
func (s *Store) ListCPAS(ctx context.Context) (_ []store.CPAS, err error) {
	defer store.Wrap(&err, "d1: ListCPAS")
	return sqlbase.ListCPAS(s.query(ctx))
}

// AddUser implements store.Store: the id and the login's hash are unique.
func (s *Store) AddUser(ctx context.Context, u store.User, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: AddUser")
	return s.write(ctx, func(b *batch) error {
		if err := s.absent(ctx, `SELECT 1 FROM users WHERE id = ? OR login_hmac = ?`, u.ID, s.seal.LoginHMAC(u.Login)); err != nil {
			return err
		}
		if err := s.seal.AddUser(&b.Statements, u); err != nil {
			return err
		}
		return b.audit(audit...)
	})
}

// user reads an account and its sealed value as stored (the guard of a
// change compares it).
func (s *Store) user(ctx context.Context, where string, arg any) (store.User, []byte, error) {
	return s.seal.ReadUser(s.rows(ctx), where, arg)
}

// User implements store.Store.
func (s *Store) User(ctx context.Context, id string) (_ store.User, err error) {
	defer store.Wrap(&err, "d1: User(%s)", id)
	u, _, err := s.user(ctx, `id = ?`, id)
	return u, err
}

// UserByLogin implements store.Store.
func (s *Store) UserByLogin(ctx context.Context, login string) (_ store.User, err error) {
	defer store.Wrap(&err, "d1: UserByLogin")
	u, _, err := s.user(ctx, `login_hmac = ?`, s.seal.LoginHMAC(login))
	return u, err
}

// changeUser adds the statements that replace a user's account, guarded on
// the sealed value read (a fresh nonce each time: equal means unchanged).
func (s *Store) changeUser(b *batch, u store.User, old []byte) error {
	b.guard(`SELECT 1 FROM users WHERE id = ? AND data_sealed = ?`, u.ID, old)
	return s.seal.PutUser(&b.Statements, u)
}

// UpdateUser implements store.Store. The login cannot change.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(*store.User) error, audit ...store.AuditEntry) (_ store.User, err error) {
	defer store.Wrap(&err, "d1: UpdateUser(%s)", id)
	var out store.User
	err = s.write(ctx, func(b *batch) error {
		u, old, err := s.user(ctx, `id = ?`, id)
		if err != nil {
			return err
		}
		login := u.Login
		if err := fn(&u); err != nil {
			return err
		}
		u.ID, u.Login = id, login
		if err := s.changeUser(b, u, old); err != nil {
			return err
		}
		out = u
		return b.audit(audit...)
	})
	return out, err
}

// ListUsers implements store.Store, by id.
func (s *Store) ListUsers(ctx context.Context) (_ []store.User, err error) {
	defer store.Wrap(&err, "d1: ListUsers")
	return s.seal.ListUsers(s.query(ctx))
}

// PutSession implements store.Store. Sessions expired by the store's clock
// are deleted in the same batch.
func (s *Store) PutSession(ctx context.Context, se store.Session, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: PutSession")
	return s.write(ctx, func(b *batch) error {
		if err := sqlbase.PutSession(&b.Statements, se, s.now()); err != nil {
			return err
		}
		return b.audit(audit...)
	})
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, hash string) (_ store.Session, err error) {
	defer store.Wrap(&err, "d1: Session")
	se, _, err := sqlbase.ReadSession(s.rows(ctx), hash, s.now())
	return se, err
}

// DeleteSession implements store.Store.
func (s *Store) DeleteSession(ctx context.Context, hash string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: DeleteSession")
	return s.write(ctx, func(b *batch) error {
		b.Add(`DELETE FROM sessions WHERE token_hash = ?`, hash)
		return b.audit(audit...)
	})
}

// TouchSession implements store.Store: the last use moves forward only,
// guarded on the session as read.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) (err error) {
	defer store.Wrap(&err, "d1: TouchSession")
	return s.write(ctx, func(b *batch) error {
		se, raw, err := sqlbase.ReadSession(s.rows(ctx), hash, s.now())
		if err != nil || !at.After(se.LastUsedAt) {
			return err
		}
		b.guard(`SELECT 1 FROM sessions WHERE token_hash = ? AND data = ?`, hash, raw)
		return sqlbase.TouchSession(&b.Statements, hash, se, at)
	})
}

// DeleteUserSessions implements store.Store: the sessions to end are
// counted, then deleted in a batch that checks the count still holds.
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keep string, audit ...store.AuditEntry) (_ int, err error) {
	defer store.Wrap(&err, "d1: DeleteUserSessions(%s)", userID)
	var n int
	err = s.write(ctx, func(b *batch) error {
		if err := s.row(ctx, `SELECT count(*) FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep).Scan(&n); err != nil {
			return err
		}
		b.guard(`SELECT 1 WHERE (SELECT count(*) FROM sessions WHERE user_id = ? AND token_hash <> ?) = ?`, userID, keep, n)
		b.Add(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
		return b.audit(audit...)
	})
	return n, err
}

// SetPassword implements store.Store: the new hash and the end of the
// user's other sessions are one batch, so no session opened with the old
// password survives the change.
func (s *Store) SetPassword(ctx context.Context, userID, hash, keep string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: SetPassword(%s)", userID)
	if hash == "" {
		return errors.New("store: set password: empty hash")
	}
	return s.write(ctx, func(b *batch) error {
		u, old, err := s.user(ctx, `id = ?`, userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := s.changeUser(b, u, old); err != nil {
			return err
		}
		b.Add(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
		return b.audit(audit...)
	})
}
