package badgerstore

import (
	"context"
	"errors"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// PutCPAS implements Store.
func (s *Badger) PutCPAS(_ context.Context, c store.CPAS, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: PutCPAS")
	return s.w.do(func(txn *badger.Txn) error {
		if ok, err := exists(txn, cpasKey(c.ID)); err != nil || ok {
			return errors.Join(err, existsIf(ok))
		}
		if err := setJSON(txn, cpasKey(c.ID), c); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
}

func existsIf(ok bool) error {
	if ok {
		return store.ErrExists
	}
	return nil
}

// CPAS implements Store.
func (s *Badger) CPAS(_ context.Context, id string) (_ store.CPAS, err error) {
	defer store.Wrap(&err, "badger: CPAS(%s)", id)
	var c store.CPAS
	err = s.db.View(func(txn *badger.Txn) error { return getJSON(txn, cpasKey(id), &c) })
	return c, err
}

// ListCPAS implements Store.
func (s *Badger) ListCPAS(_ context.Context) (_ []store.CPAS, err error) {
	defer store.Wrap(&err, "badger: ListCPAS")
	return list[store.CPAS](s.db, []byte("k/"))
}

// AddUser implements Store.
func (s *Badger) AddUser(_ context.Context, u store.User, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: AddUser")
	return s.w.do(func(txn *badger.Txn) error {
		if ok, err := exists(txn, loginKey(u.Login)); err != nil || ok {
			return errors.Join(err, existsIf(ok))
		}
		if ok, err := exists(txn, userKey(u.ID)); err != nil || ok {
			return errors.Join(err, existsIf(ok))
		}
		if err := setJSON(txn, userKey(u.ID), u); err != nil {
			return err
		}
		if err := txn.Set(loginKey(u.Login), []byte(u.ID)); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
}

// User implements Store.
func (s *Badger) User(_ context.Context, id string) (_ store.User, err error) {
	defer store.Wrap(&err, "badger: User(%s)", id)
	var u store.User
	err = s.db.View(func(txn *badger.Txn) error { return getJSON(txn, userKey(id), &u) })
	return u, err
}

// UserByLogin implements Store.
func (s *Badger) UserByLogin(_ context.Context, login string) (_ store.User, err error) {
	defer store.Wrap(&err, "badger: UserByLogin")
	var u store.User
	err = s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(loginKey(login))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		id, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		return getJSON(txn, userKey(string(id)), &u)
	})
	return u, err
}

// UpdateUser implements Store. The login cannot change.
func (s *Badger) UpdateUser(_ context.Context, id string, fn func(*store.User) error, audit ...store.AuditEntry) (_ store.User, err error) {
	defer store.Wrap(&err, "badger: UpdateUser(%s)", id)
	var out store.User
	err = s.w.do(func(txn *badger.Txn) error {
		var u store.User
		if err := getJSON(txn, userKey(id), &u); err != nil {
			return err
		}
		login := u.Login
		if err := fn(&u); err != nil {
			return err
		}
		u.ID, u.Login = id, login
		out = u
		if err := setJSON(txn, userKey(id), u); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
	return out, err
}

// ListUsers implements Store.
func (s *Badger) ListUsers(_ context.Context) (_ []store.User, err error) {
	defer store.Wrap(&err, "badger: ListUsers")
	return list[store.User](s.db, []byte("u/"))
}

func list[T any](db *badger.DB, prefix []byte) ([]T, error) {
	out := []T{}
	err := db.View(func(txn *badger.Txn) error {
		return scanJSON(txn, prefix, nil, func(_ []byte, v T) bool {
			out = append(out, v)
			return true
		})
	})
	return out, err
}

// PutSession implements Store. The entry expires with the session.
func (s *Badger) PutSession(_ context.Context, se store.Session, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: PutSession")
	if !se.ExpiresAt.After(s.now()) {
		return errors.New("store: session already expired")
	}
	return s.w.do(func(txn *badger.Txn) error {
		if err := s.setSession(txn, se); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
}

// Session implements Store.
func (s *Badger) Session(_ context.Context, hash string) (_ store.Session, err error) {
	defer store.Wrap(&err, "badger: Session")
	var se store.Session
	err = s.db.View(func(txn *badger.Txn) error { return getJSON(txn, sessionKey(hash), &se) })
	if err == nil && !s.now().Before(se.ExpiresAt) {
		return store.Session{}, store.ErrNotFound
	}
	return se, err
}

// DeleteSession implements Store.
func (s *Badger) DeleteSession(_ context.Context, hash string, audit ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: DeleteSession")
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error {
		if err := txn.Delete(sessionKey(hash)); err != nil {
			return err
		}
		return s.appendAudits(txn, audit)
	}, nil)
}
