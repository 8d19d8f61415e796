package d1

import (
	"context"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The queue is the requests table read through its two partial indexes, as
// in the SQLite store (sqlbase.Queue).

// Queue implements store.Store.
func (s *Store) Queue(ctx context.Context, q store.QueueQuery) (_ store.QueuePage, err error) {
	defer store.Wrap(&err, "d1: Queue")
	return s.seal.Queue(s.query(ctx), q)
}

// ScanQueue implements store.Store: the sent part, then the decided part.
func (s *Store) ScanQueue(ctx context.Context, officeID string, fn func(api.QueueItem) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanQueue(%s)", officeID)
	return s.seal.ScanQueue(s.query(ctx), officeID, fn)
}

// QueueSize implements store.Store. The metrics call it; an error is logged
// and counts 0.
func (s *Store) QueueSize() int64 {
	var n int64
	if err := s.row(context.Background(), sqlbase.QueueSizeSQL).Scan(&n); err != nil {
		s.log.Error("count the queue", "err", err)
	}
	return n
}
