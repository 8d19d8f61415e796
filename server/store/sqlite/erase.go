package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// ScanRequests implements store.Store: every request but the erased ones,
// from one snapshot, opened one by one.
func (s *Store) ScanRequests(ctx context.Context, fn func(*api.Request) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanRequests")
	return s.readTx(ctx, func(tx *sql.Tx) error {
		return s.seal.ScanRequests(txQuery(ctx, tx), fn)
	})
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
	old, err := s.seal.ReadRequest(t.row, cpasID, id)
	if err != nil {
		return store.Erasure{}, err
	}
	files, err := sqlbase.UnsharedFiles(t.row, old)
	if err != nil {
		return store.Erasure{}, err
	}
	seq, err := t.nextSeq(cpasID)
	if err != nil {
		return store.Erasure{}, err
	}
	now := s.now()
	var b batch
	if err := s.seal.EraseRequest(&b, old, seq, now); err != nil {
		return store.Erasure{}, err
	}
	b.Add(`INSERT OR REPLACE INTO meta (name, value) VALUES ('purge', ?)`, now.UTC().Format(time.RFC3339))
	audit.CPASID, audit.RequestID = cpasID, id
	if err := s.audit(t, &b, audit); err != nil {
		return store.Erasure{}, err
	}
	return store.Erasure{Files: files}, t.execAll(b)
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
		b.Add(`INSERT OR REPLACE INTO meta (name, value) VALUES ('purge', ?)`, s.now().UTC().Format(time.RFC3339))
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
