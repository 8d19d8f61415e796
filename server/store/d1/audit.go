package d1

import (
	"context"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// audit adds the statements that append entries to the chain at the head
// the operation read first: a batch built on a head another writer has
// moved fails on the audit table's primary key (ErrConflict).
func (b *batch) audit(entries ...store.AuditEntry) error {
	return sqlbase.AppendAudit(&b.Statements, &b.head, b.s.now(), entries...)
}

// AppendAudit implements store.Store.
func (s *Store) AppendAudit(ctx context.Context, entries ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "d1: AppendAudit")
	return s.write(ctx, func(b *batch) error { return b.audit(entries...) })
}

// Audit implements store.Store.
func (s *Store) Audit(ctx context.Context, after int64, requestID string, limit int) (_ []store.AuditEntry, err error) {
	defer store.Wrap(&err, "d1: Audit(%s)", requestID)
	return sqlbase.Audit(s.query(ctx), after, requestID, limit)
}

// VerifyAudit implements store.Store. D1 has no read snapshot: the walk
// stops at the counter read first.
func (s *Store) VerifyAudit(ctx context.Context) (_ store.AuditCheck, err error) {
	defer store.Wrap(&err, "d1: VerifyAudit")
	return sqlbase.VerifyAudit(s.rows(ctx), s.query(ctx), true)
}
