package sqlbase

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"art60/server/store"
)

const cpasColumns = `SELECT id, name, office_id, created_at FROM cpas`

func scanCPAS(row Row) (store.CPAS, error) {
	var c store.CPAS
	return c, row.Scan(&c.ID, &c.Name, &c.OfficeID, &c.CreatedAt)
}

// AddCPAS adds the statement that inserts a CPAS (its primary key refuses a
// taken id).
func AddCPAS(b *Statements, c store.CPAS) {
	b.Add(`INSERT INTO cpas (id, name, office_id, created_at) VALUES (?, ?, ?, ?)`, c.ID, c.Name, c.OfficeID, c.CreatedAt)
}

// ReadCPAS reads one CPAS.
func ReadCPAS(row QueryRow, id string) (store.CPAS, error) {
	c, err := scanCPAS(row(cpasColumns+` WHERE id = ?`, id))
	return c, NotFound(err)
}

// ListCPAS reads every CPAS, by id.
func ListCPAS(query Query) ([]store.CPAS, error) {
	out := []store.CPAS{}
	err := Each(query, func(r Rows) (bool, error) {
		c, err := scanCPAS(r)
		out = append(out, c)
		return true, err
	}, cpasColumns+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the CPAS: %w", err)
	}
	return out, nil
}

// AddUser adds the statement that inserts an account (the id and the
// login's hash are unique).
func (s *Sealer) AddUser(b *Statements, u store.User) error {
	data, err := s.SealJSON(ADUser(u.ID), u)
	if err != nil {
		return err
	}
	b.Add(`INSERT INTO users (id, login_hmac, data_sealed) VALUES (?, ?, ?)`, u.ID, s.LoginHMAC(u.Login), data)
	return nil
}

// ReadUser reads an account by id (where "id = ?") or by the login's hash
// ("login_hmac = ?"), and its sealed value as stored (the D1 store's guard
// compares it).
func (s *Sealer) ReadUser(row QueryRow, where string, arg any) (store.User, []byte, error) {
	var id string
	var data []byte
	if err := row(`SELECT id, data_sealed FROM users WHERE `+where, arg).Scan(&id, &data); err != nil {
		return store.User{}, nil, NotFound(err)
	}
	var u store.User
	return u, data, s.OpenJSON(ADUser(id), data, &u)
}

// PutUser adds the statement that replaces an account's sealed value.
func (s *Sealer) PutUser(b *Statements, u store.User) error {
	data, err := s.SealJSON(ADUser(u.ID), u)
	if err != nil {
		return err
	}
	b.Add(`UPDATE users SET data_sealed = ? WHERE id = ?`, data, u.ID)
	return nil
}

// ListUsers reads every account, by id.
func (s *Sealer) ListUsers(query Query) ([]store.User, error) {
	out := []store.User{}
	err := Each(query, func(r Rows) (bool, error) {
		var id string
		var data []byte
		if err := r.Scan(&id, &data); err != nil {
			return false, err
		}
		var u store.User
		err := s.OpenJSON(ADUser(id), data, &u)
		out = append(out, u)
		return true, err
	}, `SELECT id, data_sealed FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list the users: %w", err)
	}
	return out, nil
}

// PutSession adds the statements that store a session and delete the
// sessions expired by the store's clock (now).
func PutSession(b *Statements, se store.Session, now time.Time) error {
	if !se.ExpiresAt.After(now) {
		return errors.New("store: session already expired")
	}
	data, err := json.Marshal(se)
	if err != nil {
		return err
	}
	b.Add(`DELETE FROM sessions WHERE expires_at <= ?`, now.UnixNano())
	b.Add(`INSERT OR REPLACE INTO sessions (token_hash, user_id, expires_at, data) VALUES (?, ?, ?, ?)`,
		se.TokenHash, se.UserID, se.ExpiresAt.UnixNano(), string(data))
	return nil
}

// ReadSession reads a session and its stored JSON; store.ErrNotFound when
// it is gone or expired by the store's clock (now).
func ReadSession(row QueryRow, hash string, now time.Time) (store.Session, string, error) {
	var raw string
	if err := row(`SELECT data FROM sessions WHERE token_hash = ?`, hash).Scan(&raw); err != nil {
		return store.Session{}, "", NotFound(err)
	}
	var se store.Session
	if err := json.Unmarshal([]byte(raw), &se); err != nil {
		return store.Session{}, "", err
	}
	if !now.Before(se.ExpiresAt) {
		return store.Session{}, "", store.ErrNotFound
	}
	return se, raw, nil
}

// TouchSession adds the statement that moves a session's last use to at;
// none when at is not after it (the last use moves forward only).
func TouchSession(b *Statements, hash string, se store.Session, at time.Time) error {
	if !at.After(se.LastUsedAt) {
		return nil
	}
	se.LastUsedAt = at
	data, err := json.Marshal(se)
	if err != nil {
		return err
	}
	b.Add(`UPDATE sessions SET data = ? WHERE token_hash = ?`, string(data), hash)
	return nil
}
