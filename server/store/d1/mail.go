package d1

import (
	"context"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// EnqueueMail implements store.Store.
func (s *Store) EnqueueMail(ctx context.Context, m store.Mail) (err error) {
	defer store.Wrap(&err, "d1: EnqueueMail")
	return s.write(ctx, func(b *batch) error { return s.seal.PutMail(&b.Statements, m, s.now()) })
}

// DueMail implements store.Store.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) (_ []store.Mail, err error) {
	defer store.Wrap(&err, "d1: DueMail")
	return s.seal.DueMail(s.query(ctx), now, limit)
}

// MarkMailSent implements store.Store.
func (s *Store) MarkMailSent(ctx context.Context, id string, at time.Time) (err error) {
	defer store.Wrap(&err, "d1: MarkMailSent(%s)", id)
	return s.updateMail(ctx, id, sqlbase.MailSent(at))
}

// MarkMailRetry implements store.Store.
func (s *Store) MarkMailRetry(ctx context.Context, id string, next time.Time, reason string) (err error) {
	defer store.Wrap(&err, "d1: MarkMailRetry(%s)", id)
	return s.updateMail(ctx, id, sqlbase.MailRetry(next, reason))
}

// MarkMailFailed implements store.Store.
func (s *Store) MarkMailFailed(ctx context.Context, id string, at time.Time, reason string) (err error) {
	defer store.Wrap(&err, "d1: MarkMailFailed(%s)", id)
	return s.updateMail(ctx, id, sqlbase.MailFailed(at, reason))
}

// MailStats implements store.Store.
func (s *Store) MailStats(ctx context.Context) (pending, failed int64, err error) {
	defer store.Wrap(&err, "d1: MailStats")
	return sqlbase.MailStats(s.rows(ctx))
}

// updateMail changes one mail, guarded on the sealed value read; one
// already sent or given up stays as it is.
func (s *Store) updateMail(ctx context.Context, id string, fn func(*store.Mail)) error {
	return s.write(ctx, func(b *batch) error {
		m, sealed, settled, err := s.seal.ReadMail(s.rows(ctx), id)
		if err != nil || settled {
			return err
		}
		fn(&m)
		b.guard(`SELECT 1 FROM mail WHERE id = ? AND data_sealed = ?`, id, sealed)
		return s.seal.PutMail(&b.Statements, m, s.now())
	})
}
