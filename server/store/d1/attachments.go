package d1

import (
	"context"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// partSize bounds each value of a stored file: D1 refuses a string or BLOB
// over 2,000,000 bytes, and the API takes files up to 10 MB.
const partSize = 1 << 20

// PutAttachment implements store.Store. Files are content-addressed: a
// second copy of one changes nothing (the primary key), and the upload is
// audited either way.
func (s *Store) PutAttachment(ctx context.Context, a store.Attachment, data []byte, audit store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: PutAttachment")
	return s.write(ctx, func(b *batch) error {
		if err := sqlbase.AttachmentQuota(s.rows(ctx), s.quota, a.CPASID, a.SHA256, int64(len(data))); err != nil {
			return err
		}
		if err := s.seal.PutAttachment(&b.Statements, a, data, partSize); err != nil {
			return err
		}
		return b.audit(audit)
	})
}

// Attachment implements store.Store.
func (s *Store) Attachment(ctx context.Context, cpasID, sha string) (_ store.Attachment, _ []byte, err error) {
	defer store.Wrap(&err, "d1: Attachment(%s, %s)", cpasID, sha)
	return s.seal.ReadAttachment(s.rows(ctx), s.query(ctx), cpasID, sha)
}

// Usage reads what a CPAS stores, as the other stores' Usage does.
func (s *Store) Usage(ctx context.Context, cpasID string) (_ store.Usage, err error) {
	defer store.Wrap(&err, "d1: Usage(%s)", cpasID)
	return sqlbase.Usage(s.rows(ctx), cpasID)
}

// ScanAttachments implements store.Store.
func (s *Store) ScanAttachments(ctx context.Context, fn func(store.Attachment) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanAttachments")
	return sqlbase.ScanAttachments(s.query(ctx), fn)
}

// ScanRequests implements store.Store: every request but the erased ones.
func (s *Store) ScanRequests(ctx context.Context, fn func(*api.Request) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanRequests")
	return s.seal.ScanRequests(s.query(ctx), fn)
}

// EraseRequest implements store.Store, as the other stores do: the request
// becomes its mark (id, CPAS, kind, root, status erased, a new sequence
// number), out of the queue and of the NISS index; the files no other
// request of its CPAS names are deleted; the audit entry is in the batch.
func (s *Store) EraseRequest(ctx context.Context, cpasID, id string, audit store.AuditEntry) (_ store.Erasure, err error) {
	defer store.Wrap(&err, "d1: EraseRequest(%s, %s)", cpasID, id)
	var e store.Erasure
	err = s.write(ctx, func(b *batch) error {
		var err error
		e, err = s.erase(b, cpasID, id, audit)
		return err
	})
	return e, err
}

func (s *Store) erase(b *batch, cpasID, id string, audit store.AuditEntry) (store.Erasure, error) {
	old, err := s.request(b.ctx, cpasID, id)
	if err != nil {
		return store.Erasure{}, err
	}
	files, err := sqlbase.UnsharedFiles(s.rows(b.ctx), old)
	if err != nil {
		return store.Erasure{}, err
	}
	seq, err := s.nextSeq(b, cpasID)
	if err != nil {
		return store.Erasure{}, err
	}
	if err := s.seal.EraseRequest(&b.Statements, old, seq, s.now()); err != nil {
		return store.Erasure{}, err
	}
	audit.CPASID, audit.RequestID = cpasID, id
	return store.Erasure{Files: files}, b.audit(audit)
}

// DeleteUnusedAttachment implements store.Store: the file is deleted, with
// its audit entry, only if no request names it, checked by a read and by
// the batch's guard.
func (s *Store) DeleteUnusedAttachment(ctx context.Context, cpasID, sha string, audit store.AuditEntry) (_ bool, err error) {
	defer store.Wrap(&err, "d1: DeleteUnusedAttachment(%s, %s)", cpasID, sha)
	const unused = `SELECT 1 FROM attachments WHERE cpas_id = ?1 AND sha256 = ?2
		AND NOT EXISTS (SELECT 1 FROM request_files WHERE cpas_id = ?1 AND sha256 = ?2)`
	var deleted bool
	err = s.write(ctx, func(b *batch) error {
		var one int
		err := s.row(ctx, unused, cpasID, sha).Scan(&one)
		if deleted = err == nil; !deleted {
			return ignoreNotFound(err)
		}
		b.guard(unused, cpasID, sha)
		b.Add(`DELETE FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha)
		audit.CPASID, audit.Object = cpasID, sha
		return b.audit(audit)
	})
	return deleted, err
}
