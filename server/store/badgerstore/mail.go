package badgerstore

import (
	"context"
	"strings"
	"time"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// The outbox keeps mail until it is sent, so a crash or an SMTP outage loses
// nothing: od/<next attempt>/<id> lists what is due, in time order.

// EnqueueMail implements Store.
func (s *Badger) EnqueueMail(_ context.Context, m store.Mail) (err error) {
	defer store.Wrap(&err, "badger: EnqueueMail")
	return s.w.do(func(txn *badger.Txn) error { return s.putMail(txn, m) }, nil)
}

func (s *Badger) putMail(txn *badger.Txn, m store.Mail) error {
	now := s.now().UTC().Format(time.RFC3339)
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
func (s *Badger) DueMail(_ context.Context, now time.Time, limit int) (_ []store.Mail, err error) {
	defer store.Wrap(&err, "badger: DueMail")
	out := []store.Mail{}
	cut := now.UTC().Format(time.RFC3339)
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("od/")})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(out) < limit; it.Next() {
			parts := strings.SplitN(string(it.Item().Key()), "/", 3)
			if parts[1] > cut {
				return nil
			}
			var m store.Mail
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
func (s *Badger) MarkMailSent(_ context.Context, id string, at time.Time) (err error) {
	defer store.Wrap(&err, "badger: MarkMailSent(%s)", id)
	return s.updateMail(id, func(m *store.Mail) { m.SentAt = at.UTC().Format(time.RFC3339) })
}

// MarkMailRetry implements Store.
func (s *Badger) MarkMailRetry(_ context.Context, id string, next time.Time, reason string) (err error) {
	defer store.Wrap(&err, "badger: MarkMailRetry(%s)", id)
	return s.updateMail(id, func(m *store.Mail) {
		m.Attempts++
		m.NextAttemptAt = next.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MarkMailFailed implements Store.
func (s *Badger) MarkMailFailed(_ context.Context, id string, at time.Time, reason string) (err error) {
	defer store.Wrap(&err, "badger: MarkMailFailed(%s)", id)
	return s.updateMail(id, func(m *store.Mail) {
		m.Attempts++
		m.FailedAt = at.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MailStats implements Store.
func (s *Badger) MailStats(context.Context) (pending, failed int64, err error) {
	defer store.Wrap(&err, "badger: MailStats")
	err = s.db.View(func(txn *badger.Txn) error {
		var err error
		if pending, err = countPrefix(txn, []byte("od/")); err != nil {
			return err
		}
		failed, err = countPrefix(txn, []byte("of/"))
		return err
	})
	return pending, failed, err
}

// updateMail changes one mail; a mail that is sent or given up leaves the
// list of due mail.
func (s *Badger) updateMail(id string, fn func(*store.Mail)) error {
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error {
		var m store.Mail
		if err := getJSON(txn, mailKey(id), &m); err != nil {
			return err
		}
		if m.SentAt != "" || m.FailedAt != "" {
			return nil // already settled: a late retry changes nothing
		}
		if err := txn.Delete(mailDueKey(m.NextAttemptAt, id)); err != nil {
			return err
		}
		fn(&m)
		switch {
		case m.FailedAt != "":
			if err := txn.Set(mailFailedKey(id), nil); err != nil {
				return err
			}
			return setJSON(txn, mailKey(id), m)
		case m.SentAt != "":
			return setJSON(txn, mailKey(id), m)
		}
		return s.putMail(txn, m)
	}, nil)
}
