package d1

import (
	"context"
	"fmt"
	"time"

	"art60/server/store"
)

// audit adds the statements that append entries to the chain at the head
// the operation read first: a batch built on a head another writer has
// moved fails on the audit table's primary key (ErrConflict).
func (b *batch) audit(entries ...store.AuditEntry) error {
	for _, e := range entries {
		e.Seq = b.head.seq + 1
		if e.Time == "" {
			e.Time = b.s.now().UTC().Format(time.RFC3339Nano)
		}
		raw, err := store.ChainAudit(&e, b.head.hash)
		if err != nil {
			return err
		}
		b.add(`INSERT INTO audit (seq, cpas_id, request_id, entry) VALUES (?, ?, ?, ?)`,
			e.Seq, nullable(e.CPASID), nullable(e.RequestID), string(raw))
		b.head = auditHead{seq: e.Seq, hash: e.Hash}
	}
	return nil
}

// AppendAudit implements store.Store.
func (s *Store) AppendAudit(ctx context.Context, entries ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: AppendAudit")
	return s.write(ctx, func(b *batch) error { return b.audit(entries...) })
}

// Audit implements store.Store. The entries of one request are those of
// the CPAS that holds its id, as the other stores list them.
func (s *Store) Audit(ctx context.Context, after int64, requestID string, limit int) (_ []store.AuditEntry, err error) {
	defer store.Wrap(&err, "d1: Audit(%s)", requestID)
	out := []store.AuditEntry{}
	add := func(e store.AuditEntry) bool { out = append(out, e); return true }
	if requestID == "" {
		err = eachJSON(s, ctx, add, `SELECT entry FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	} else {
		err = eachJSON(s, ctx, add, `SELECT a.entry FROM audit a JOIN requests r ON r.id = a.request_id AND r.cpas_id = a.cpas_id
			WHERE a.request_id = ? AND a.seq > ? ORDER BY a.seq LIMIT ?`, requestID, after, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the audit trail: %w", err)
	}
	return out, nil
}

// VerifyAudit implements store.Store by the rules of store.AuditWalk. D1
// has no read snapshot: the walk stops at the counter read first, so that
// entries appended meanwhile are not taken for a broken tail.
func (s *Store) VerifyAudit(ctx context.Context) (_ store.AuditCheck, err error) {
	defer store.Wrap(&err, "d1: VerifyAudit")
	var counter int64
	if err := s.row(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'audit_seq'`).Scan(&counter); err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	var w store.AuditWalk
	err = s.each(ctx, func(r Rows) (bool, error) {
		var seq int64
		var raw []byte
		if err := r.Scan(&seq, &raw); err != nil {
			return false, err
		}
		return w.Next(seq, raw), nil
	}, `SELECT seq, entry FROM audit WHERE seq <= ? ORDER BY seq`, counter)
	if err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	return w.Done(counter), nil
}
