package d1

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		b.add(`INSERT INTO cpas (id, name, office_id, created_at) VALUES (?, ?, ?, ?)`, c.ID, c.Name, c.OfficeID, c.CreatedAt)
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

const cpasColumns = `SELECT id, name, office_id, created_at FROM cpas`

func scanCPAS(row interface{ Scan(...any) error }) (store.CPAS, error) {
	var c store.CPAS
	return c, row.Scan(&c.ID, &c.Name, &c.OfficeID, &c.CreatedAt)
}

// CPAS implements store.Store.
func (s *Store) CPAS(ctx context.Context, id string) (_ store.CPAS, err error) {
	defer store.Wrap(&err, "d1: CPAS(%s)", id)
	return scanCPAS(s.row(ctx, cpasColumns+` WHERE id = ?`, id))
}

// ListCPAS implements store.Store, by id.
func (s *Store) ListCPAS(ctx context.Context) (_ []store.CPAS, err error) {
	defer store.Wrap(&err, "d1: ListCPAS")
	out := []store.CPAS{}
	err = s.each(ctx, func(r Rows) (bool, error) {
		c, err := scanCPAS(r)
		out = append(out, c)
		return true, err
	}, cpasColumns+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the CPAS: %w", err)
	}
	return out, nil
}

// AddUser implements store.Store: the id and the login's hash are unique.
func (s *Store) AddUser(ctx context.Context, u store.User, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: AddUser")
	data, err := s.seal.SealJSON(sqlbase.ADUser(u.ID), u)
	if err != nil {
		return err
	}
	login := s.seal.LoginHMAC(u.Login)
	return s.write(ctx, func(b *batch) error {
		if err := s.absent(ctx, `SELECT 1 FROM users WHERE id = ? OR login_hmac = ?`, u.ID, login); err != nil {
			return err
		}
		b.add(`INSERT INTO users (id, login_hmac, data_sealed) VALUES (?, ?, ?)`, u.ID, login, data)
		return b.audit(audit...)
	})
}

// user reads an account and its sealed value as stored (the guard of a
// change compares it).
func (s *Store) user(ctx context.Context, where string, arg any) (store.User, []byte, error) {
	var id string
	var data []byte
	if err := s.row(ctx, `SELECT id, data_sealed FROM users WHERE `+where, arg).Scan(&id, &data); err != nil {
		return store.User{}, nil, err
	}
	var u store.User
	return u, data, s.seal.OpenJSON(sqlbase.ADUser(id), data, &u)
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
	data, err := s.seal.SealJSON(sqlbase.ADUser(u.ID), u)
	if err != nil {
		return err
	}
	b.guard(`SELECT 1 FROM users WHERE id = ? AND data_sealed = ?`, u.ID, old)
	b.add(`UPDATE users SET data_sealed = ? WHERE id = ?`, data, u.ID)
	return nil
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
	out := []store.User{}
	err = s.each(ctx, func(r Rows) (bool, error) {
		var id string
		var data []byte
		if err := r.Scan(&id, &data); err != nil {
			return false, err
		}
		var u store.User
		err := s.seal.OpenJSON(sqlbase.ADUser(id), data, &u)
		out = append(out, u)
		return true, err
	}, `SELECT id, data_sealed FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the users: %w", err)
	}
	return out, nil
}

// PutSession implements store.Store. Sessions expired by the store's clock
// are deleted in the same batch.
func (s *Store) PutSession(ctx context.Context, se store.Session, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: PutSession")
	now := s.now()
	if !se.ExpiresAt.After(now) {
		return errors.New("store: session already expired")
	}
	data, err := json.Marshal(se)
	if err != nil {
		return err
	}
	return s.write(ctx, func(b *batch) error {
		b.add(`DELETE FROM sessions WHERE expires_at <= ?`, now.UnixNano())
		b.add(`INSERT OR REPLACE INTO sessions (token_hash, user_id, expires_at, data) VALUES (?, ?, ?, ?)`,
			se.TokenHash, se.UserID, se.ExpiresAt.UnixNano(), string(data))
		return b.audit(audit...)
	})
}

// session reads a session and its stored JSON; store.ErrNotFound when it
// is gone or expired by the store's clock.
func (s *Store) session(ctx context.Context, hash string) (store.Session, string, error) {
	var raw string
	if err := s.row(ctx, `SELECT data FROM sessions WHERE token_hash = ?`, hash).Scan(&raw); err != nil {
		return store.Session{}, "", err
	}
	var se store.Session
	if err := json.Unmarshal([]byte(raw), &se); err != nil {
		return store.Session{}, "", err
	}
	if !s.now().Before(se.ExpiresAt) {
		return store.Session{}, "", store.ErrNotFound
	}
	return se, raw, nil
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, hash string) (_ store.Session, err error) {
	defer store.Wrap(&err, "d1: Session")
	se, _, err := s.session(ctx, hash)
	return se, err
}

// DeleteSession implements store.Store.
func (s *Store) DeleteSession(ctx context.Context, hash string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: DeleteSession")
	return s.write(ctx, func(b *batch) error {
		b.add(`DELETE FROM sessions WHERE token_hash = ?`, hash)
		return b.audit(audit...)
	})
}

// TouchSession implements store.Store: the last use moves forward only,
// guarded on the session as read.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) (err error) {
	defer store.Wrap(&err, "d1: TouchSession")
	return s.write(ctx, func(b *batch) error {
		se, raw, err := s.session(ctx, hash)
		if err != nil || !at.After(se.LastUsedAt) {
			return err
		}
		se.LastUsedAt = at
		data, err := json.Marshal(se)
		if err != nil {
			return err
		}
		b.guard(`SELECT 1 FROM sessions WHERE token_hash = ? AND data = ?`, hash, raw)
		b.add(`UPDATE sessions SET data = ? WHERE token_hash = ?`, string(data), hash)
		return nil
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
		b.add(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
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
		b.add(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
		return b.audit(audit...)
	})
}
