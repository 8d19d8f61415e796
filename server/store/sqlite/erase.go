package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// ScanRequests implements store.Store: every request but the erased ones,
// from one snapshot, opened one by one.
func (s *Store) ScanRequests(ctx context.Context, fn func(*api.Request) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanRequests")
	return s.readTx(ctx, func(tx *sql.Tx) error {
		return s.eachRequest(ctx, tx, fn, `SELECT id, seq, data_sealed FROM requests WHERE status <> 'erased' ORDER BY cpas_id, id`)
	})
}

// eachRequest opens the requests a query selects (id, seq, data_sealed),
// one by one, until fn returns false.
func (s *Store) eachRequest(ctx context.Context, tx *sql.Tx, fn func(*api.Request) bool, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var seq int64
		var data []byte
		if err := rows.Scan(&id, &seq, &data); err != nil {
			return err
		}
		r, err := s.openRequest(id, seq, data)
		if err != nil {
			return err
		}
		if !fn(r) {
			return nil
		}
	}
	return rows.Err()
}

// EraseRequest implements store.Store, as Badger does (server/store/erase.go):
// the request becomes its mark (id, CPAS, kind, root, status erased, a new
// sequence number), out of the queue and of the NISS index; the files no
// other request of its CPAS names are deleted; the audit entry is written in
// the same transaction. secure_delete overwrites the old values in the
// database file; Compact empties the write-ahead log.
func (s *Store) EraseRequest(_ context.Context, cpasID, id string, audit store.AuditEntry) (_ store.Erasure, err error) {
	defer store.Wrap(&err, "sqlite: EraseRequest(%s, %s)", cpasID, id)
	var e store.Erasure
	err = s.w.do(func(t *wtx) error {
		var err error
		e, err = s.erase(t, cpasID, id, audit)
		return err
	})
	return e, err
}

func (s *Store) erase(t *wtx, cpasID, id string, audit store.AuditEntry) (store.Erasure, error) {
	old, err := s.request(t.queryRow, cpasID, id)
	if err != nil {
		return store.Erasure{}, err
	}
	now := s.now().UTC().Format(time.RFC3339)
	mark := api.Request{Submission: api.Submission{ID: old.ID, Kind: old.Kind}, CPASID: old.CPASID,
		RootID: old.RootID, Status: api.StatusErased, UpdatedAt: now}
	data, err := s.seal.SealRequest(&mark)
	if err != nil {
		return store.Erasure{}, err
	}
	audit.CPASID, audit.RequestID = cpasID, id
	var b batch
	b.add(`UPDATE requests SET status = 'erased', due_date = '', received_at = '', decided_at = NULL, niss_hmac = NULL,
		item_sealed = NULL, data_sealed = ?, seq = (SELECT seq FROM cpas WHERE id = ?) WHERE id = ?`, data, cpasID, id)
	b.add(`DELETE FROM request_files WHERE request_id = ?`, id)
	b.add(`INSERT OR REPLACE INTO meta (name, value) VALUES ('purge', ?)`, now)
	if err := s.audit(t, &b, audit); err != nil {
		return store.Erasure{}, err
	}
	files, err := dropFiles(t, old)
	if err != nil {
		return store.Erasure{}, err
	}
	if _, err := t.nextSeq(cpasID); err != nil {
		return store.Erasure{}, err
	}
	return store.Erasure{Files: files}, t.execAll(b)
}

// dropFiles deletes the request's attachments that no other request of its
// CPAS names (files are stored once per CPAS by content).
func dropFiles(t *wtx, r *api.Request) (int, error) {
	if len(r.Attachments) == 0 {
		return 0, nil
	}
	res, err := t.exec(`DELETE FROM attachments WHERE cpas_id = ?1
		AND sha256 IN (SELECT sha256 FROM request_files WHERE request_id = ?2)
		AND sha256 NOT IN (SELECT sha256 FROM request_files WHERE cpas_id = ?1 AND request_id <> ?2)`, r.CPASID, r.ID)
	if err != nil {
		return 0, fmt.Errorf("store: delete the files of request %s: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteUnusedAttachment implements store.Store: the DELETE itself checks
// that no request names the file, and the audit entry is written only when
// it deleted one.
func (s *Store) DeleteUnusedAttachment(_ context.Context, cpasID, sha string, audit store.AuditEntry) (_ bool, err error) {
	defer store.Wrap(&err, "sqlite: DeleteUnusedAttachment(%s, %s)", cpasID, sha)
	var deleted bool
	err = s.w.do(func(t *wtx) error {
		res, err := t.exec(`DELETE FROM attachments WHERE cpas_id = ?1 AND sha256 = ?2
			AND NOT EXISTS (SELECT 1 FROM request_files WHERE cpas_id = ?1 AND sha256 = ?2)`, cpasID, sha)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if deleted = n > 0; err != nil || !deleted {
			return err
		}
		audit.CPASID, audit.Object = cpasID, sha
		var b batch
		b.add(`INSERT OR REPLACE INTO meta (name, value) VALUES ('purge', ?)`, s.now().UTC().Format(time.RFC3339))
		if err := s.audit(t, &b, audit); err != nil {
			return err
		}
		return t.execAll(b)
	})
	return deleted, err
}

// Compact implements store.Store. secure_delete has overwritten deleted
// and replaced values in the database file already; their older copies may
// still be in the write-ahead log, which a TRUNCATE checkpoint copies into
// the database and empties. It runs between two batches of the writer; a
// reader still on an older snapshot makes the checkpoint wait (busy), and
// it is tried again.
func (s *Store) Compact(ctx context.Context) (err error) {
	defer store.Wrap(&err, "sqlite: Compact")
	for ctx.Err() == nil {
		var busy int
		err := s.w.exclusive(func(conn *sql.Conn) error {
			var log, done int
			return conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done)
		})
		if err != nil {
			return fmt.Errorf("store: compact: %w", err)
		}
		if busy == 0 {
			return s.w.do(func(t *wtx) error {
				_, err := t.exec(`DELETE FROM meta WHERE name = 'purge'`)
				return err
			})
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ctx.Err()
}
