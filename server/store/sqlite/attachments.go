package sqlite

import (
	"context"
	"encoding/json"
	"errors"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutAttachment implements store.Store. Files are content-addressed: a
// second copy of one changes nothing (the primary key), and the upload is
// audited either way.
func (s *Store) PutAttachment(_ context.Context, a store.Attachment, data []byte, audit store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: PutAttachment")
	meta, err := json.Marshal(a)
	if err != nil {
		return err
	}
	sealed := s.seal.Seal(sqlbase.ADAttachment(a.CPASID, a.SHA256), data)
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
		b.add(`INSERT INTO attachments (cpas_id, sha256, meta, data_sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			a.CPASID, a.SHA256, string(meta), sealed)
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
	var meta, sealed []byte
	err = s.rdb.QueryRowContext(ctx, `SELECT meta, data_sealed FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&meta, &sealed)
	if err != nil {
		return store.Attachment{}, nil, notFound(err)
	}
	var a store.Attachment
	if err := json.Unmarshal(meta, &a); err != nil {
		return store.Attachment{}, nil, err
	}
	data, err := s.seal.Open(sqlbase.ADAttachment(cpasID, sha), sealed)
	return a, data, err
}

// ScanAttachments implements store.Store.
func (s *Store) ScanAttachments(ctx context.Context, fn func(store.Attachment) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanAttachments")
	rows, err := s.rdb.QueryContext(ctx, `SELECT meta FROM attachments ORDER BY cpas_id, sha256`)
	if err != nil {
		return err
	}
	return eachJSON(rows, fn)
}
