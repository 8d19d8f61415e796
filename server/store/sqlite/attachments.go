package sqlite

import (
	"context"
	"errors"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutAttachment implements store.Store. Files are content-addressed: a
// second copy of one changes nothing (the primary key), and the upload is
// audited either way.
func (s *Store) PutAttachment(_ context.Context, a store.Attachment, data []byte, audit store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutAttachment")
	var refused error
	err = s.w.do(func(t *wtx) error {
		refused = s.attachmentQuota(t, a.CPASID, a.SHA256, int64(len(data)))
		if errors.Is(refused, store.ErrQuotaExceeded) {
			// Refused inside a successful operation, so that the others of
			// the group commit are not run again for it; nothing written.
			return nil
		} else if refused != nil {
			return refused
		}
		var b batch
		if err := s.seal.PutAttachment(&b, a, data, 0); err != nil {
			return err
		}
		if err := s.audit(t, &b, audit); err != nil {
			return err
		}
		return t.execAll(b)
	})
	if err != nil {
		return err
	}
	return refused
}

// Attachment implements store.Store.
func (s *Store) Attachment(ctx context.Context, cpasID, sha string) (_ store.Attachment, _ []byte, err error) {
	defer store.Wrap(&err, "sqlite: Attachment(%s, %s)", cpasID, sha)
	return s.seal.ReadAttachment(s.reader(ctx), s.readQuery(ctx), cpasID, sha)
}

// ScanAttachments implements store.Store.
func (s *Store) ScanAttachments(ctx context.Context, fn func(store.Attachment) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanAttachments")
	return sqlbase.ScanAttachments(s.readQuery(ctx), fn)
}
