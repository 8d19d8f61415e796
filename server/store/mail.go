package store

import (
	"context"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The outbox keeps mail until it is sent, so a crash or an SMTP outage loses
// nothing: od/<next attempt>/<id> lists what is due, in time order.

// EnqueueMail implements Store.
func (s *Badger) EnqueueMail(_ context.Context, m Mail) error {
	return s.w.do(func(txn *badger.Txn) error { return putMail(txn, m) }, nil)
}

func putMail(txn *badger.Txn, m Mail) error {
	now := time.Now().UTC().Format(time.RFC3339)
	if m.CreatedAt == "" {
		m.CreatedAt = now
	}
	if m.NextAttemptAt == "" {
		m.NextAttemptAt = now
	}
	if err := setJSON(txn, mailKey(m.ID), m); err != nil {
		return err
	}
	return txn.Set(mailDueKey(m.NextAttemptAt, m.ID), nil)
}

// DueMail implements Store.
func (s *Badger) DueMail(_ context.Context, now time.Time, limit int) ([]Mail, error) {
	out := []Mail{}
	cut := now.UTC().Format(time.RFC3339)
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("od/")})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(out) < limit; it.Next() {
			parts := strings.SplitN(string(it.Item().Key()), "/", 3)
			if parts[1] > cut {
				return nil
			}
			var m Mail
			if err := getJSON(txn, mailKey(parts[2]), &m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// MarkMailSent implements Store.
func (s *Badger) MarkMailSent(_ context.Context, id string, at time.Time) error {
	return s.updateMail(id, func(m *Mail) { m.SentAt = at.UTC().Format(time.RFC3339) })
}

// MarkMailRetry implements Store.
func (s *Badger) MarkMailRetry(_ context.Context, id string, next time.Time, reason string) error {
	return s.updateMail(id, func(m *Mail) {
		m.Attempts++
		m.NextAttemptAt = next.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

func (s *Badger) updateMail(id string, fn func(*Mail)) error {
	return s.w.do(func(txn *badger.Txn) error {
		var m Mail
		if err := getJSON(txn, mailKey(id), &m); err != nil {
			return err
		}
		if err := txn.Delete(mailDueKey(m.NextAttemptAt, id)); err != nil {
			return err
		}
		fn(&m)
		if m.SentAt != "" {
			return setJSON(txn, mailKey(id), m)
		}
		return putMail(txn, m)
	}, nil)
}
