package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The queue is the requests table read through two partial indexes: sent
// requests by due date (requests_sent) and decided ones by decision time
// (requests_decided), in the order of Badger's q/ and qd/ keys.
const (
	itemColumns  = `r.id, r.cpas_id, r.office_id, c.name, r.item_sealed FROM requests r JOIN cpas c ON c.id = r.cpas_id`
	sentWhere    = `r.decided_at IS NULL AND r.status <> 'erased'`
	decidedWhere = `r.decided_at IS NOT NULL`
)

// Queue implements store.Store.
func (s *Store) Queue(ctx context.Context, q store.QueueQuery) (_ store.QueuePage, err error) {
	defer store.Wrap(&err, "sqlite: Queue")
	p := store.QueuePage{Items: []api.QueueItem{}}
	limit, max := -1, math.MaxInt // SQLite's LIMIT -1: none
	if q.Limit > 0 {
		limit, max = q.Limit+1, q.Limit
	}
	args := []any{q.OfficeID, string(q.Status), q.CPASID}
	query := `SELECT ` + itemColumns + ` WHERE r.office_id = ? AND r.status = ? AND (?3 = '' OR r.cpas_id = ?3) AND `
	if q.Status == api.StatusSent {
		query += sentWhere + ` AND (?4 = '' OR r.due_date >= ?4) AND (?5 = '' OR r.due_date < ?5)
			ORDER BY r.due_date, r.cpas_id, r.id LIMIT ?6`
		args = append(args, q.DueFrom, q.DueBefore, limit)
	} else {
		query += decidedWhere + ` ORDER BY r.decided_at DESC, r.cpas_id DESC, r.id DESC LIMIT ?4`
		args = append(args, limit)
	}
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return p, fmt.Errorf("store: queue of office %s: %w", q.OfficeID, err)
	}
	err = s.eachItem(rows, func(it api.QueueItem) bool {
		if len(p.Items) == max {
			p.More = true
			return false
		}
		p.Items = append(p.Items, it)
		return true
	})
	return p, err
}

// ScanQueue implements store.Store.
func (s *Store) ScanQueue(ctx context.Context, officeID string, fn func(api.QueueItem) bool) (err error) {
	defer store.Wrap(&err, "sqlite: ScanQueue(%s)", officeID)
	return s.readTx(ctx, func(tx *sql.Tx) error {
		stop := false
		each := func(it api.QueueItem) bool {
			stop = !fn(it)
			return !stop
		}
		for _, part := range []string{
			sentWhere + ` ORDER BY r.office_id, r.due_date, r.cpas_id, r.id`,
			decidedWhere + ` ORDER BY r.office_id, r.decided_at, r.cpas_id, r.id`,
		} {
			rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+` WHERE (?1 = '' OR r.office_id = ?1) AND `+part, officeID)
			if err != nil {
				return err
			}
			if err := s.eachItem(rows, each); err != nil || stop {
				return err
			}
		}
		return nil
	})
}

// eachItem opens the queue item of each row until fn returns false.
func (s *Store) eachItem(rows *sql.Rows, fn func(api.QueueItem) bool) error {
	defer rows.Close()
	for rows.Next() {
		var id, cpasID, office, name string
		var sealed []byte
		if err := rows.Scan(&id, &cpasID, &office, &name, &sealed); err != nil {
			return err
		}
		var it api.QueueItem
		if err := s.seal.OpenJSON(sqlbase.ADItem(id), sealed, &it); err != nil {
			return err
		}
		it.CPASName, it.OfficeID = name, office
		if !fn(it) {
			return nil
		}
	}
	return rows.Err()
}

// QueueSize implements store.Store: it counts through requests_sent. The
// metrics call it; an error is logged and counts 0.
func (s *Store) QueueSize() int64 {
	var n int64
	err := s.rdb.QueryRow(`SELECT count(*) FROM requests r WHERE ` + sentWhere + ` AND r.status = 'sent'`).Scan(&n)
	if err != nil {
		s.log.Error("count the queue", "err", err)
	}
	return n
}
