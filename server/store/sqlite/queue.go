package sqlite

import (
	"context"
	"database/sql"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The queue is the requests table read through two partial indexes
// (sqlbase.Queue).

// Queue implements store.Store.
func (s *Store) Queue(ctx context.Context, q store.QueueQuery) (_ store.QueuePage, err error) {
	defer store.Wrap(&err, "sqlite: Queue")
	return s.seal.Queue(s.readQuery(ctx), q)
}

// ScanQueue implements store.Store, on one snapshot.
func (s *Store) ScanQueue(ctx context.Context, officeID string, fn func(api.QueueItem) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanQueue(%s)", officeID)
	return s.readTx(ctx, func(tx *sql.Tx) error {
		return s.seal.ScanQueue(txQuery(ctx, tx), officeID, fn)
	})
}

// QueueSize implements store.Store: it counts through requests_sent. The
// metrics call it; an error is logged and counts 0.
func (s *Store) QueueSize() int64 {
	var n int64
	if err := s.rdb.QueryRow(sqlbase.QueueSizeSQL).Scan(&n); err != nil {
		s.log.Error("count the queue", "err", err)
	}
	return n
}
