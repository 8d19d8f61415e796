package sqlbase

import (
	"fmt"
	"math"
	"time"

	"art60/server/store"
)

// AuditHead is the audit chain's head: the last entry's sequence number
// and hash.
type AuditHead struct {
	Seq  int64
	Hash string
}

// AppendAudit adds the statements that append entries to the chain at
// head, and moves head past them; now stamps an entry without a time.
// The audit table's primary key on seq refuses an entry computed from a
// stale head.
func AppendAudit(b *Statements, head *AuditHead, now time.Time, entries ...store.AuditEntry) error {
	for _, e := range entries {
		e.Seq = head.Seq + 1
		if e.Time == "" {
			e.Time = now.UTC().Format(time.RFC3339Nano)
		}
		raw, err := store.ChainAudit(&e, head.Hash)
		if err != nil {
			return err
		}
		b.Add(`INSERT INTO audit (seq, cpas_id, request_id, entry) VALUES (?, ?, ?, ?)`,
			e.Seq, Nullable(e.CPASID), Nullable(e.RequestID), string(raw))
		*head = AuditHead{Seq: e.Seq, Hash: e.Hash}
	}
	return nil
}

// Audit reads the entries after a sequence number, all or those of one
// request: the entries of the CPAS that holds its id, as Badger lists them.
func Audit(query Query, after int64, requestID string, limit int) ([]store.AuditEntry, error) {
	out := []store.AuditEntry{}
	add := func(e store.AuditEntry) bool { out = append(out, e); return true }
	var err error
	if requestID == "" {
		err = EachJSON(query, add, `SELECT entry FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	} else {
		err = EachJSON(query, add, `SELECT a.entry FROM audit a JOIN requests r ON r.id = a.request_id AND r.cpas_id = a.cpas_id
			WHERE a.request_id = ? AND a.seq > ? ORDER BY a.seq LIMIT ?`, requestID, after, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the audit trail: %w", err)
	}
	return out, nil
}

// VerifyAudit walks the chain by the rules of store.AuditWalk against the
// audit counter, read first. On one snapshot (the SQLite store) it walks
// every entry; without one (D1, toCounter) it stops at the counter, so
// that entries appended meanwhile are not taken for a broken tail.
func VerifyAudit(row QueryRow, query Query, toCounter bool) (store.AuditCheck, error) {
	var counter int64
	if err := row(`SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'audit_seq'`).Scan(&counter); err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	var w store.AuditWalk
	bound := int64(math.MaxInt64)
	if toCounter {
		bound = counter
	}
	err := Each(query, func(r Rows) (bool, error) {
		var seq int64
		var raw []byte
		if err := r.Scan(&seq, &raw); err != nil {
			return false, err
		}
		return w.Next(seq, raw), nil
	}, `SELECT seq, entry FROM audit WHERE seq <= ? ORDER BY seq`, bound)
	if err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	return w.Done(counter), nil
}
