package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutCPAS implements store.Store; the primary key refuses a taken id.
func (s *Store) PutCPAS(_ context.Context, c store.CPAS, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutCPAS")
	return s.w.do(func(t *wtx) error {
		var b batch
		b.add(`INSERT INTO cpas (id, name, office_id, created_at) VALUES (?, ?, ?, ?)`, c.ID, c.Name, c.OfficeID, c.CreatedAt)
		return s.writeAudited(t, b, audit)
	})
}

// writeAudited runs b and the audit entries' statements; a UNIQUE or
// primary key violation is store.ErrExists.
func (s *Store) writeAudited(t *wtx, b batch, audit []store.AuditEntry) error {
	if err := s.audit(t, &b, audit...); err != nil {
		return err
	}
	err := t.execAll(b)
	if isConstraint(err) {
		return store.ErrExists
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
	defer store.Wrap(&err, "sqlite: CPAS(%s)", id)
	c, err := scanCPAS(s.rdb.QueryRowContext(ctx, cpasColumns+` WHERE id = ?`, id))
	return c, notFound(err)
}

// ListCPAS implements store.Store, by id.
func (s *Store) ListCPAS(ctx context.Context) (_ []store.CPAS, err error) {
	defer store.Wrap(&err, "sqlite: ListCPAS")
	rows, err := s.rdb.QueryContext(ctx, cpasColumns+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the CPAS: %w", err)
	}
	defer rows.Close()
	out := []store.CPAS{}
	for rows.Next() {
		c, err := scanCPAS(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddUser implements store.Store: the id and the login's hash are unique.
func (s *Store) AddUser(_ context.Context, u store.User, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: AddUser")
	data, err := s.seal.SealJSON(sqlbase.ADUser(u.ID), u)
	if err != nil {
		return err
	}
	return s.w.do(func(t *wtx) error {
		var b batch
		b.add(`INSERT INTO users (id, login_hmac, data_sealed) VALUES (?, ?, ?)`, u.ID, s.seal.LoginHMAC(u.Login), data)
		return s.writeAudited(t, b, audit)
	})
}

func (s *Store) openUser(id string, data []byte) (store.User, error) {
	var u store.User
	return u, s.seal.OpenJSON(sqlbase.ADUser(id), data, &u)
}

func (s *Store) user(row rowFunc, where string, arg any) (store.User, error) {
	var id string
	var data []byte
	if err := row(`SELECT id, data_sealed FROM users WHERE `+where, arg).Scan(&id, &data); err != nil {
		return store.User{}, notFound(err)
	}
	return s.openUser(id, data)
}

// User implements store.Store.
func (s *Store) User(ctx context.Context, id string) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: User(%s)", id)
	return s.user(s.reader(ctx), `id = ?`, id)
}

// UserByLogin implements store.Store.
func (s *Store) UserByLogin(ctx context.Context, login string) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: UserByLogin")
	return s.user(s.reader(ctx), `login_hmac = ?`, s.seal.LoginHMAC(login))
}

// UpdateUser implements store.Store. The login cannot change.
func (s *Store) UpdateUser(_ context.Context, id string, fn func(*store.User) error, audit ...store.AuditEntry) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: UpdateUser(%s)", id)
	var out store.User
	err = s.w.do(func(t *wtx) error {
		u, err := s.user(t.queryRow, `id = ?`, id)
		if err != nil {
			return err
		}
		login := u.Login
		if err := fn(&u); err != nil {
			return err
		}
		u.ID, u.Login = id, login
		data, err := s.seal.SealJSON(sqlbase.ADUser(id), u)
		if err != nil {
			return err
		}
		var b batch
		b.add(`UPDATE users SET data_sealed = ? WHERE id = ?`, data, id)
		out = u
		return s.writeAudited(t, b, audit)
	})
	return out, err
}

// ListUsers implements store.Store, by id.
func (s *Store) ListUsers(ctx context.Context) (_ []store.User, err error) {
	defer store.Wrap(&err, "sqlite: ListUsers")
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, data_sealed FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the users: %w", err)
	}
	defer rows.Close()
	out := []store.User{}
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		u, err := s.openUser(id, data)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// PutSession implements store.Store. Sessions expired by the store's clock
// are deleted in the same batch.
func (s *Store) PutSession(_ context.Context, se store.Session, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutSession")
	now := s.now()
	if !se.ExpiresAt.After(now) {
		return errors.New("store: session already expired")
	}
	data, err := json.Marshal(se)
	if err != nil {
		return err
	}
	return s.w.do(func(t *wtx) error {
		var b batch
		b.add(`DELETE FROM sessions WHERE expires_at <= ?`, now.UnixNano())
		b.add(`INSERT OR REPLACE INTO sessions (token_hash, user_id, expires_at, data) VALUES (?, ?, ?, ?)`,
			se.TokenHash, se.UserID, se.ExpiresAt.UnixNano(), string(data))
		return s.writeAudited(t, b, audit)
	})
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, hash string) (_ store.Session, err error) {
	defer store.Wrap(&err, "sqlite: Session")
	var raw []byte
	err = s.rdb.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = ?`, hash).Scan(&raw)
	if err != nil {
		return store.Session{}, notFound(err)
	}
	var se store.Session
	if err := json.Unmarshal(raw, &se); err != nil {
		return store.Session{}, err
	}
	if !s.now().Before(se.ExpiresAt) {
		return store.Session{}, store.ErrNotFound
	}
	return se, nil
}

// DeleteSession implements store.Store.
func (s *Store) DeleteSession(_ context.Context, hash string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: DeleteSession")
	return s.w.do(func(t *wtx) error {
		var b batch
		b.add(`DELETE FROM sessions WHERE token_hash = ?`, hash)
		return s.writeAudited(t, b, audit)
	})
}
