package d1

import (
	"context"
	"fmt"
	"math"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The queue is the requests table read through its two partial indexes, as
// in the SQLite store: sent requests by due date, decided ones by decision.
const (
	itemColumns  = `r.id, r.cpas_id, r.office_id, c.name, r.item_sealed FROM requests r JOIN cpas c ON c.id = r.cpas_id`
	sentWhere    = `r.decided_at IS NULL AND r.status <> 'erased'`
	decidedWhere = `r.decided_at IS NOT NULL`
)

// Queue implements store.Store.
func (s *Store) Queue(ctx context.Context, q store.QueueQuery) (_ store.QueuePage, err error) {
	defer store.Wrap(&err, "d1: Queue")
	p := store.QueuePage{Items: []api.QueueItem{}}
	limit, max := -1, math.MaxInt // SQLite's LIMIT -1: none
	if q.Limit > 0 {
		limit, max = q.Limit+1, q.Limit
	}
	args := []any{q.OfficeID, string(q.Status), q.CPASID}
	query := `SELECT ` + itemColumns + ` WHERE r.office_id = ?1 AND r.status = ?2 AND (?3 = '' OR r.cpas_id = ?3) AND `
	if q.Status == api.StatusSent {
		query += sentWhere + ` AND (?4 = '' OR r.due_date >= ?4) AND (?5 = '' OR r.due_date < ?5)
			ORDER BY r.due_date, r.cpas_id, r.id LIMIT ?6`
		args = append(args, q.DueFrom, q.DueBefore, limit)
	} else {
		query += decidedWhere + ` ORDER BY r.decided_at DESC, r.cpas_id DESC, r.id DESC LIMIT ?4`
		args = append(args, limit)
	}
	err = s.eachItem(ctx, func(it api.QueueItem) bool {
		if len(p.Items) == max {
			p.More = true
			return false
		}
		p.Items = append(p.Items, it)
		return true
	}, query, args...)
	if err != nil {
		return p, fmt.Errorf("store: queue of office %s: %w", q.OfficeID, err)
	}
	return p, nil
}

// ScanQueue implements store.Store: the sent part, then the decided part.
func (s *Store) ScanQueue(ctx context.Context, officeID string, fn func(api.QueueItem) bool) (err error) {
	defer store.Wrap(&err, "d1: ScanQueue(%s)", officeID)
	stop := false
	each := func(it api.QueueItem) bool {
		stop = !fn(it)
		return !stop
	}
	for _, part := range []string{
		sentWhere + ` ORDER BY r.office_id, r.due_date, r.cpas_id, r.id`,
		decidedWhere + ` ORDER BY r.office_id, r.decided_at, r.cpas_id, r.id`,
	} {
		if err := s.eachItem(ctx, each, `SELECT `+itemColumns+` WHERE (?1 = '' OR r.office_id = ?1) AND `+part, officeID); err != nil || stop {
			return err
		}
	}
	return nil
}

// eachItem opens the queue item of each row until fn returns false.
func (s *Store) eachItem(ctx context.Context, fn func(api.QueueItem) bool, q string, args ...any) error {
	return s.each(ctx, func(rows Rows) (bool, error) {
		var id, cpasID, office, name string
		var sealed []byte
		if err := rows.Scan(&id, &cpasID, &office, &name, &sealed); err != nil {
			return false, err
		}
		var it api.QueueItem
		if err := s.seal.OpenJSON(sqlbase.ADItem(id), sealed, &it); err != nil {
			return false, err
		}
		it.CPASName, it.OfficeID = name, office
		return fn(it), nil
	}, q, args...)
}

// QueueSize implements store.Store. The metrics call it; an error is logged
// and counts 0.
func (s *Store) QueueSize() int64 {
	var n int64
	err := s.row(context.Background(), `SELECT count(*) FROM requests r WHERE `+sentWhere+` AND r.status = 'sent'`).Scan(&n)
	if err != nil {
		s.log.Error("count the queue", "err", err)
	}
	return n
}
