package d1

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// PutAttachment implements store.Store. Files are content-addressed: a
// second copy of one changes nothing (the primary key), and the upload is
// audited either way.
func (s *Store) PutAttachment(ctx context.Context, a store.Attachment, data []byte, audit store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: PutAttachment")
	meta, err := json.Marshal(a)
	if err != nil {
		return err
	}
	sealed := s.seal.Seal(sqlbase.ADAttachment(a.CPASID, a.SHA256), data)
	return s.write(ctx, func(b *batch) error {
		if err := sqlbase.AttachmentQuota(s.rows(ctx), s.quota, a.CPASID, a.SHA256, int64(len(data))); err != nil {
			return err
		}
		b.add(`INSERT INTO attachments (cpas_id, sha256, meta, data_sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			a.CPASID, a.SHA256, string(meta), sealed)
		return b.audit(audit)
	})
}

// Attachment implements store.Store.
func (s *Store) Attachment(ctx context.Context, cpasID, sha string) (_ store.Attachment, _ []byte, err error) {
	defer store.Wrap(&err, "d1: Attachment(%s, %s)", cpasID, sha)
	var meta, sealed []byte
	if err := s.row(ctx, `SELECT meta, data_sealed FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&meta, &sealed); err != nil {
		return store.Attachment{}, nil, err
	}
	var a store.Attachment
	if err := json.Unmarshal(meta, &a); err != nil {
		return store.Attachment{}, nil, err
	}
	data, err := s.seal.Open(sqlbase.ADAttachment(cpasID, sha), sealed)
	return a, data, err
}

// Usage reads what a CPAS stores, as the other stores' Usage does.
func (s *Store) Usage(ctx context.Context, cpasID string) (_ store.Usage, err error) {
	defer store.Wrap(&err, "d1: Usage(%s)", cpasID)
	return sqlbase.Usage(s.rows(ctx), cpasID)
}

// ScanAttachments implements store.Store.
func (s *Store) ScanAttachments(ctx context.Context, fn func(store.Attachment) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanAttachments")
	return eachJSON(s, ctx, fn, `SELECT meta FROM attachments ORDER BY cpas_id, sha256`)
}

// ScanRequests implements store.Store: every request but the erased ones.
func (s *Store) ScanRequests(ctx context.Context, fn func(*api.Request) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanRequests")
	return s.eachRequest(ctx, fn, `SELECT id, seq, data_sealed FROM requests WHERE status <> 'erased' ORDER BY cpas_id, id`)
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
	mark := api.Request{Submission: api.Submission{ID: old.ID, Kind: old.Kind}, CPASID: old.CPASID,
		RootID: old.RootID, Status: api.StatusErased, UpdatedAt: s.now().UTC().Format(time.RFC3339)}
	data, err := s.seal.SealRequest(&mark)
	if err != nil {
		return store.Erasure{}, err
	}
	files, err := s.unsharedFiles(b, old)
	if err != nil {
		return store.Erasure{}, err
	}
	seq, err := s.nextSeq(b, cpasID)
	if err != nil {
		return store.Erasure{}, err
	}
	b.add(`DELETE FROM attachments WHERE cpas_id = ?1
		AND sha256 IN (SELECT sha256 FROM request_files WHERE request_id = ?2)
		AND sha256 NOT IN (SELECT sha256 FROM request_files WHERE cpas_id = ?1 AND request_id <> ?2)`, cpasID, id)
	b.add(`UPDATE requests SET status = 'erased', due_date = '', received_at = '', decided_at = NULL, niss_hmac = NULL,
		item_sealed = NULL, data_sealed = ?, seq = ? WHERE id = ?`, data, seq, id)
	b.add(`DELETE FROM request_files WHERE request_id = ?`, id)
	audit.CPASID, audit.RequestID = cpasID, id
	return store.Erasure{Files: files}, b.audit(audit)
}

// unsharedFiles counts the request's attachments that no other request of
// its CPAS names: the batch deletes them (files are stored once per CPAS
// by content).
func (s *Store) unsharedFiles(b *batch, r *api.Request) (int, error) {
	if len(r.Attachments) == 0 {
		return 0, nil
	}
	var n int
	err := s.row(b.ctx, `SELECT count(*) FROM attachments WHERE cpas_id = ?1
		AND sha256 IN (SELECT sha256 FROM request_files WHERE request_id = ?2)
		AND sha256 NOT IN (SELECT sha256 FROM request_files WHERE cpas_id = ?1 AND request_id <> ?2)`, r.CPASID, r.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count the files of request %s: %w", r.ID, err)
	}
	return n, nil
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
		b.add(`DELETE FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha)
		audit.CPASID, audit.Object = cpasID, sha
		return b.audit(audit)
	})
	return deleted, err
}
