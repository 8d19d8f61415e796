package sqlite

import (
	"context"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The outbox keeps mail until it is sent, as Badger's does
// (server/store/mail.go; the statements are sqlbase's).

// EnqueueMail implements store.Store.
func (s *Store) EnqueueMail(_ context.Context, m store.Mail) (err error) {
	defer store.Wrap(&err, "sqlite: EnqueueMail")
	return s.w.do(func(t *wtx) error {
		var b batch
		if err := s.seal.PutMail(&b, m, s.now()); err != nil {
			return err
		}
		return t.execAll(b)
	})
}

// DueMail implements store.Store.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) (_ []store.Mail, err error) {
	defer store.Wrap(&err, "sqlite: DueMail")
	return s.seal.DueMail(s.readQuery(ctx), now, limit)
}

// MarkMailSent implements store.Store.
func (s *Store) MarkMailSent(_ context.Context, id string, at time.Time) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailSent(%s)", id)
	return s.updateMail(id, sqlbase.MailSent(at))
}

// MarkMailRetry implements store.Store.
func (s *Store) MarkMailRetry(_ context.Context, id string, next time.Time, reason string) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailRetry(%s)", id)
	return s.updateMail(id, sqlbase.MailRetry(next, reason))
}

// MarkMailFailed implements store.Store.
func (s *Store) MarkMailFailed(_ context.Context, id string, at time.Time, reason string) (err error) {
	defer store.Wrap(&err, "sqlite: MarkMailFailed(%s)", id)
	return s.updateMail(id, sqlbase.MailFailed(at, reason))
}

// MailStats implements store.Store.
func (s *Store) MailStats(ctx context.Context) (pending, failed int64, err error) {
	defer store.Wrap(&err, "sqlite: MailStats")
	return sqlbase.MailStats(s.reader(ctx))
}

// updateMail changes one mail; one already sent or given up stays as it is.
func (s *Store) updateMail(id string, fn func(*store.Mail)) error {
	return s.w.do(func(t *wtx) error {
		m, _, settled, err := s.seal.ReadMail(t.row, id)
		if err != nil || settled {
			return err
		}
		fn(&m)
		var b batch
		if err := s.seal.PutMail(&b, m, s.now()); err != nil {
			return err
		}
		return t.execAll(b)
	})
}
