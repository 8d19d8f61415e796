package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"art60/server/store"
)

// AppendAudit implements store.Store.
func (s *Store) AppendAudit(_ context.Context, entries ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "sqlite: AppendAudit")
	return s.w.do(func(t *wtx) error {
		var b batch
		if err := s.audit(t, &b, entries...); err != nil {
			return err
		}
		return t.execAll(b)
	})
}

// audit adds the statements that append entries to the chain: each gets
// the next sequence number and the previous entry's hash from the writer's
// head (writer.go). The head moves now; the writer puts it back if the
// operation fails, and writes the counter once per commit.
func (s *Store) audit(t *wtx, b *batch, entries ...store.AuditEntry) error {
	for _, e := range entries {
		e.Seq = t.w.head.seq + 1
		if e.Time == "" {
			e.Time = s.now().UTC().Format(time.RFC3339Nano)
		}
		raw, err := store.ChainAudit(&e, t.w.head.hash)
		if err != nil {
			return err
		}
		b.add(`INSERT INTO audit (seq, cpas_id, request_id, entry) VALUES (?, ?, ?, ?)`,
			e.Seq, nullable(e.CPASID), nullable(e.RequestID), string(raw))
		t.w.head = auditHead{seq: e.Seq, hash: e.Hash}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Audit implements store.Store. The entries of one request are those of
// the CPAS that holds its id, as Badger lists them.
func (s *Store) Audit(ctx context.Context, after int64, requestID string, limit int) (_ []store.AuditEntry, err error) {
	defer store.Wrap(&err, "sqlite: Audit(%s)", requestID)
	var rows *sql.Rows
	if requestID == "" {
		rows, err = s.rdb.QueryContext(ctx, `SELECT entry FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	} else {
		rows, err = s.rdb.QueryContext(ctx, `SELECT a.entry FROM audit a JOIN requests r ON r.id = a.request_id AND r.cpas_id = a.cpas_id
			WHERE a.request_id = ? AND a.seq > ? ORDER BY a.seq LIMIT ?`, requestID, after, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the audit trail: %w", err)
	}
	out := []store.AuditEntry{}
	err = eachJSON(rows, func(e store.AuditEntry) bool { out = append(out, e); return true })
	return out, err
}

// VerifyAudit implements store.Store, on one snapshot, by the rules of
// store.AuditWalk (the same as Badger's).
func (s *Store) VerifyAudit(ctx context.Context) (_ store.AuditCheck, err error) {
	defer store.Wrap(&err, "sqlite: VerifyAudit")
	var c store.AuditCheck
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var counter int64
		if err := tx.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'audit_seq'`).Scan(&counter); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq, entry FROM audit ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var w store.AuditWalk
		for rows.Next() {
			var seq int64
			var raw []byte
			if err := rows.Scan(&seq, &raw); err != nil {
				return err
			}
			if !w.Next(seq, raw) {
				c = w.Done(counter)
				return nil
			}
		}
		c = w.Done(counter)
		return rows.Err()
	})
	if err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	return c, nil
}
