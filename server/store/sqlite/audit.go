package sqlite

import (
	"context"
	"database/sql"

	"art60/server/store"
	"art60/server/store/sqlbase"
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
	return sqlbase.AppendAudit(b, &t.w.head, s.now(), entries...)
}

// Audit implements store.Store.
func (s *Store) Audit(ctx context.Context, after int64, requestID string, limit int) (_ []store.AuditEntry, err error) {
	defer store.Wrap(&err, "sqlite: Audit(%s)", requestID)
	return sqlbase.Audit(s.readQuery(ctx), after, requestID, limit)
}

// VerifyAudit implements store.Store, on one snapshot, by the rules of
// store.AuditWalk (the same as Badger's).
func (s *Store) VerifyAudit(ctx context.Context) (_ store.AuditCheck, err error) {
	defer store.Wrap(&err, "sqlite: VerifyAudit")
	var c store.AuditCheck
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = sqlbase.VerifyAudit(txRow(ctx, tx), txQuery(ctx, tx), false)
		return err
	})
	return c, err
}
