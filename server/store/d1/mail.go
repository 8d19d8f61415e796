package d1

import (
	"context"
	"fmt"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// EnqueueMail implements store.Store.
func (s *Store) EnqueueMail(ctx context.Context, m store.Mail) (err error) {
	defer store.Wrap(&err, "d1: EnqueueMail")
	return s.write(ctx, func(b *batch) error { return s.putMail(b, m) })
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
	defer store.Wrap(&err, "d1: DueMail")
	out := []store.Mail{}
	err = s.each(ctx, func(r Rows) (bool, error) {
		var id string
		var data []byte
		if err := r.Scan(&id, &data); err != nil {
			return false, err
		}
		var m store.Mail
		err := s.seal.OpenJSON(sqlbase.ADMail(id), data, &m)
		out = append(out, m)
		return true, err
	}, `SELECT id, data_sealed FROM mail WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		now.UTC().Format(time.RFC3339), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	return out, nil
}

// MarkMailSent implements store.Store.
func (s *Store) MarkMailSent(ctx context.Context, id string, at time.Time) (err error) {
	defer store.Wrap(&err, "d1: MarkMailSent(%s)", id)
	return s.updateMail(ctx, id, func(m *store.Mail) { m.SentAt = at.UTC().Format(time.RFC3339) })
}

// MarkMailRetry implements store.Store.
func (s *Store) MarkMailRetry(ctx context.Context, id string, next time.Time, reason string) (err error) {
	defer store.Wrap(&err, "d1: MarkMailRetry(%s)", id)
	return s.updateMail(ctx, id, func(m *store.Mail) {
		m.Attempts++
		m.NextAttemptAt = next.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MarkMailFailed implements store.Store.
func (s *Store) MarkMailFailed(ctx context.Context, id string, at time.Time, reason string) (err error) {
	defer store.Wrap(&err, "d1: MarkMailFailed(%s)", id)
	return s.updateMail(ctx, id, func(m *store.Mail) {
		m.Attempts++
		m.FailedAt = at.UTC().Format(time.RFC3339)
		m.LastError = reason
	})
}

// MailStats implements store.Store.
func (s *Store) MailStats(ctx context.Context) (pending, failed int64, err error) {
	defer store.Wrap(&err, "d1: MailStats")
	err = s.row(ctx, `SELECT (SELECT count(*) FROM mail WHERE state = 'pending'), (SELECT count(*) FROM mail WHERE state = 'failed')`).
		Scan(&pending, &failed)
	return pending, failed, err
}

// updateMail changes one mail, guarded on the sealed value read; one
// already sent or given up stays as it is.
func (s *Store) updateMail(ctx context.Context, id string, fn func(*store.Mail)) error {
	return s.write(ctx, func(b *batch) error {
		var data []byte
		if err := s.row(ctx, `SELECT data_sealed FROM mail WHERE id = ?`, id).Scan(&data); err != nil {
			return err
		}
		var m store.Mail
		if err := s.seal.OpenJSON(sqlbase.ADMail(id), data, &m); err != nil {
			return err
		}
		if m.SentAt != "" || m.FailedAt != "" {
			return nil // already settled: a late retry changes nothing
		}
		fn(&m)
		b.guard(`SELECT 1 FROM mail WHERE id = ? AND data_sealed = ?`, id, data)
		return s.putMail(b, m)
	})
}
