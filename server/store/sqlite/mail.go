package sqlite

import (
	"context"
	"fmt"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The outbox keeps mail until it is sent, as Badger's does
// (server/store/mail.go); mail_due lists the pending mail by due time.

// EnqueueMail implements store.Store.
func (s *Store) EnqueueMail(_ context.Context, m store.Mail) (err error) {
	defer store.Wrap(&err, "sqlite: EnqueueMail")
	return s.w.do(func(t *wtx) error {
		var b batch
		if err := s.putMail(&b, m); err != nil {
			return err
		}
		return t.execAll(b)
	})
}

func (s *Store) putMail(b *batch, m store.Mail) error {
	now := s.now().UTC().Format(time.RFC3339)
	if m.CreatedAt == "" {
		m.CreatedAt = now
	}
	if m.NextAttemptAt == "" {
		m.NextAttemptAt = now
	}
	data, err := s.seal.SealJSON(sqlbase.ADMail(m.ID), m)
	if err != nil {
		return err
	}
	state := "pending"
	switch {
	case m.FailedAt != "":
		state = "failed"
	case m.SentAt != "":
		state = "sent"
	}
	b.add(`INSERT OR REPLACE INTO mail (id, state, next_attempt_at, data_sealed) VALUES (?, ?, ?, ?)`, m.ID, state, m.NextAttemptAt, data)
	return nil
}

// DueMail implements store.Store.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) (_ []store.Mail, err error) {
	defer store.Wrap(&err, "sqlite: DueMail")
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, data_sealed FROM mail WHERE state = 'pending' AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id LIMIT ?`, now.UTC().Format(time.RFC3339), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	defer rows.Close()
	out := []store.Mail{}
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var m store.Mail
		if err := s.seal.OpenJSON(sqlbase.ADMail(id), data, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkMailSent implements store.Store.
func (s *Store) MarkMailSent(_ context.Context, id string, at time.Time) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailSent(%s)", id)
	return s.updateMail(id, func(m *store.Mail) { m.SentAt = at.UTC().Format(time.RFC3339) })
}

// MarkMailRetry implements store.Store.
func (s *Store) MarkMailRetry(_ context.Context, id string, next time.Time, reason string) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailRetry(%s)", id)
	return s.updateMail(id, func(m *store.Mail) {
		m.Attempts++
		m.NextAttemptAt = next.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MarkMailFailed implements store.Store.
func (s *Store) MarkMailFailed(_ context.Context, id string, at time.Time, reason string) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailFailed(%s)", id)
	return s.updateMail(id, func(m *store.Mail) {
		m.Attempts++
		m.FailedAt = at.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MailStats implements store.Store.
func (s *Store) MailStats(ctx context.Context) (pending, failed int64, err error) {
	defer store.Wrap(&err, "sqlite: MailStats")
	err = s.rdb.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM mail WHERE state = 'pending'), (SELECT count(*) FROM mail WHERE state = 'failed')`).Scan(&pending, &failed)
	return pending, failed, err
}

// updateMail changes one mail; one already sent or given up stays as it is.
func (s *Store) updateMail(id string, fn func(*store.Mail)) error {
	return s.w.do(func(t *wtx) error {
		var data []byte
		if err := t.queryRow(`SELECT data_sealed FROM mail WHERE id = ?`, id).Scan(&data); err != nil {
			return notFound(err)
		}
		var m store.Mail
		if err := s.seal.OpenJSON(sqlbase.ADMail(id), data, &m); err != nil {
			return err
		}
		if m.SentAt != "" || m.FailedAt != "" {
			return nil // already settled: a late retry changes nothing
		}
		fn(&m)
		var b batch
		if err := s.putMail(&b, m); err != nil {
			return err
		}
		return t.execAll(b)
	})
}
