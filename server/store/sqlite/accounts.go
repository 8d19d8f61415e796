package sqlite

import (
	"context"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutCPAS implements store.Store; the primary key refuses a taken id.
func (s *Store) PutCPAS(_ context.Context, c store.CPAS, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutCPAS")
	return s.w.do(func(t *wtx) error {
		var b batch
		sqlbase.AddCPAS(&b, c)
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

// CPAS implements store.Store.
func (s *Store) CPAS(ctx context.Context, id string) (_ store.CPAS, err error) {
	defer store.Wrap(&err, "sqlite: CPAS(%s)", id)
	return sqlbase.ReadCPAS(s.reader(ctx), id)
}

// ListCPAS implements store.Store, by id.
func (s *Store) ListCPAS(ctx context.Context) (_ []store.CPAS, err error) {
	defer store.Wrap(&err, "sqlite: ListCPAS")
	return sqlbase.ListCPAS(s.readQuery(ctx))
}

// AddUser implements store.Store: the id and the login's hash are unique.
func (s *Store) AddUser(_ context.Context, u store.User, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: AddUser")
	return s.w.do(func(t *wtx) error {
		var b batch
		if err := s.seal.AddUser(&b, u); err != nil {
			return err
		}
		return s.writeAudited(t, b, audit)
	})
}

// User implements store.Store.
func (s *Store) User(ctx context.Context, id string) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: User(%s)", id)
	u, _, err := s.seal.ReadUser(s.reader(ctx), `id = ?`, id)
	return u, err
}

// UserByLogin implements store.Store.
func (s *Store) UserByLogin(ctx context.Context, login string) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: UserByLogin")
	u, _, err := s.seal.ReadUser(s.reader(ctx), `login_hmac = ?`, s.seal.LoginHMAC(login))
	return u, err
}

// UpdateUser implements store.Store. The login cannot change.
func (s *Store) UpdateUser(_ context.Context, id string, fn func(*store.User) error, audit ...store.AuditEntry) (_ store.User, err error) {
	defer store.Wrap(&err, "sqlite: UpdateUser(%s)", id)
	var out store.User
	err = s.w.do(func(t *wtx) error {
		u, _, err := s.seal.ReadUser(t.row, `id = ?`, id)
		if err != nil {
			return err
		}
		login := u.Login
		if err := fn(&u); err != nil {
			return err
		}
		u.ID, u.Login = id, login
		var b batch
		if err := s.seal.PutUser(&b, u); err != nil {
			return err
		}
		out = u
		return s.writeAudited(t, b, audit)
	})
	return out, err
}

// ListUsers implements store.Store, by id.
func (s *Store) ListUsers(ctx context.Context) (_ []store.User, err error) {
	defer store.Wrap(&err, "sqlite: ListUsers")
	return s.seal.ListUsers(s.readQuery(ctx))
}

// PutSession implements store.Store. Sessions expired by the store's clock
// are deleted in the same batch.
func (s *Store) PutSession(_ context.Context, se store.Session, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutSession")
	var b batch
	if err := sqlbase.PutSession(&b, se, s.now()); err != nil {
		return err
	}
	return s.w.do(func(t *wtx) error { return s.writeAudited(t, b, audit) })
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, hash string) (_ store.Session, err error) {
	defer store.Wrap(&err, "sqlite: Session")
	se, _, err := sqlbase.ReadSession(s.reader(ctx), hash, s.now())
	return se, err
}

// DeleteSession implements store.Store.
func (s *Store) DeleteSession(_ context.Context, hash string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: DeleteSession")
	return s.w.do(func(t *wtx) error {
		var b batch
		b.Add(`DELETE FROM sessions WHERE token_hash = ?`, hash)
		return s.writeAudited(t, b, audit)
	})
}
