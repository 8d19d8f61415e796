package sqlbase

import (
	"fmt"
	"math"

	"art60/server/api"
	"art60/server/store"
)

// The queue is the requests table read through two partial indexes: sent
// requests by due date (requests_sent) and decided ones by decision time
// (requests_decided), in the order of Badger's q/ and qd/ keys.
const (
	itemColumns  = `r.id, r.cpas_id, r.office_id, c.name, r.item_sealed FROM requests r JOIN cpas c ON c.id = r.cpas_id`
	sentWhere    = `r.decided_at IS NULL AND r.status <> 'erased'`
	decidedWhere = `r.decided_at IS NOT NULL`
)

// QueueSizeSQL counts the requests waiting for ONEM, through requests_sent.
const QueueSizeSQL = `SELECT count(*) FROM requests r WHERE ` + sentWhere + ` AND r.status = 'sent'`

// Queue reads a page of an office's queue.
func (s *Sealer) Queue(query Query, q store.QueueQuery) (store.QueuePage, error) {
	p := store.QueuePage{Items: []api.QueueItem{}}
	limit, max := -1, math.MaxInt // SQLite's LIMIT -1: none
	if q.Limit > 0 {
		limit, max = q.Limit+1, q.Limit
	}
	args := []any{q.OfficeID, string(q.Status), q.CPASID}
	sql := `SELECT ` + itemColumns + ` WHERE r.office_id = ?1 AND r.status = ?2 AND (?3 = '' OR r.cpas_id = ?3) AND `
	if q.Status == api.StatusSent {
		sql += sentWhere + ` AND (?4 = '' OR r.due_date >= ?4) AND (?5 = '' OR r.due_date < ?5)
			ORDER BY r.due_date, r.cpas_id, r.id LIMIT ?6`
		args = append(args, q.DueFrom, q.DueBefore, limit)
	} else {
		sql += decidedWhere + ` ORDER BY r.decided_at DESC, r.cpas_id DESC, r.id DESC LIMIT ?4`
		args = append(args, limit)
	}
	err := s.eachItem(query, func(it api.QueueItem) bool {
		if len(p.Items) == max {
			p.More = true
			return false
		}
		p.Items = append(p.Items, it)
		return true
	}, sql, args...)
	if err != nil {
		return p, fmt.Errorf("store: queue of office %s: %w", q.OfficeID, err)
	}
	return p, nil
}

// ScanQueue reads the queue of one office ("" for all): the sent part,
// then the decided part.
func (s *Sealer) ScanQueue(query Query, officeID string, fn func(api.QueueItem) bool) error {
	stop := false
	each := func(it api.QueueItem) bool {
		stop = !fn(it)
		return !stop
	}
	for _, part := range []string{
		sentWhere + ` ORDER BY r.office_id, r.due_date, r.cpas_id, r.id`,
		decidedWhere + ` ORDER BY r.office_id, r.decided_at, r.cpas_id, r.id`,
	} {
		if err := s.eachItem(query, each, `SELECT `+itemColumns+` WHERE (?1 = '' OR r.office_id = ?1) AND `+part, officeID); err != nil || stop {
			return err
		}
	}
	return nil
}

// eachItem opens the queue item of each row until fn returns false.
func (s *Sealer) eachItem(query Query, fn func(api.QueueItem) bool, q string, args ...any) error {
	return Each(query, func(rows Rows) (bool, error) {
		var id, cpasID, office, name string
		var sealed []byte
		if err := rows.Scan(&id, &cpasID, &office, &name, &sealed); err != nil {
			return false, err
		}
		var it api.QueueItem
		if err := s.OpenJSON(ADItem(id), sealed, &it); err != nil {
			return false, err
		}
		it.CPASName, it.OfficeID = name, office
		return fn(it), nil
	}, q, args...)
}
