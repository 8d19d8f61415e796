package sqlbase

import (
	"fmt"
	"time"

	"art60/server/store"
)

// The outbox keeps mail until it is sent, as Badger's does
// (server/store/mail.go); the mail_due index lists the pending mail by due
// time.

// PutMail adds the statement that stores m, sealed, in its state (pending,
// sent or failed); now stamps a new mail.
func (s *Sealer) PutMail(b *Statements, m store.Mail, now time.Time) error {
	at := now.UTC().Format(time.RFC3339)
	if m.CreatedAt == "" {
		m.CreatedAt = at
	}
	if m.NextAttemptAt == "" {
		m.NextAttemptAt = at
	}
	data, err := s.SealJSON(ADMail(m.ID), m)
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
	b.Add(`INSERT OR REPLACE INTO mail (id, state, next_attempt_at, data_sealed) VALUES (?, ?, ?, ?)`, m.ID, state, m.NextAttemptAt, data)
	return nil
}

// DueMail reads the pending mail due at now, oldest due first.
func (s *Sealer) DueMail(query Query, now time.Time, limit int) ([]store.Mail, error) {
	out := []store.Mail{}
	err := Each(query, func(r Rows) (bool, error) {
		var id string
		var data []byte
		if err := r.Scan(&id, &data); err != nil {
			return false, err
		}
		var m store.Mail
		err := s.OpenJSON(ADMail(id), data, &m)
		out = append(out, m)
		return true, err
	}, `SELECT id, data_sealed FROM mail WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		now.UTC().Format(time.RFC3339), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	return out, nil
}

// ReadMail reads one mail and its sealed value as stored (the D1 store's
// guard compares it); settled says it was sent or given up already, so
// that a late mark changes nothing.
func (s *Sealer) ReadMail(row QueryRow, id string) (m store.Mail, sealed []byte, settled bool, err error) {
	if err := row(`SELECT data_sealed FROM mail WHERE id = ?`, id).Scan(&sealed); err != nil {
		return m, nil, false, NotFound(err)
	}
	if err := s.OpenJSON(ADMail(id), sealed, &m); err != nil {
		return m, nil, false, err
	}
	return m, sealed, m.SentAt != "" || m.FailedAt != "", nil
}

// The changes of store.Store's MarkMailSent, MarkMailRetry and
// MarkMailFailed.
func MailSent(at time.Time) func(*store.Mail) {
	return func(m *store.Mail) { m.SentAt = at.UTC().Format(time.RFC3339) }
}

func MailRetry(next time.Time, reason string) func(*store.Mail) {
	return func(m *store.Mail) {
		m.Attempts++
		m.NextAttemptAt = next.UTC().Format(time.RFC3339)
		m.LastError = reason
	}
}

func MailFailed(at time.Time, reason string) func(*store.Mail) {
	return func(m *store.Mail) {
		m.Attempts++
		m.FailedAt = at.UTC().Format(time.RFC3339)
		m.LastError = reason
	}
}

// MailStats counts the pending and the failed mail.
func MailStats(row QueryRow) (pending, failed int64, err error) {
	err = row(`SELECT (SELECT count(*) FROM mail WHERE state = 'pending'), (SELECT count(*) FROM mail WHERE state = 'failed')`).
		Scan(&pending, &failed)
	return pending, failed, err
}
