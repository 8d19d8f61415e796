package sqlite

import (
	"context"
	"fmt"

	"art60/server/api"
	"art60/server/store"
)

// The per-CPAS quota (store.Quota) is read from the tables in the
// transaction of the write it guards: the writer runs one write at a time,
// so two uploads or two requests at once cannot both pass the last room
// left. A CPAS's usage is what its rows add up to (Usage), with no counter
// to keep in step: a restored or older database is counted as it is.

// requestQuota refuses a new request of a CPAS that already stores as many
// requests as the quota allows (erased ones no longer count).
func (s *Store) requestQuota(t *wtx, cpasID string) (*api.Error, error) {
	if s.quota.Requests <= 0 {
		return nil, nil
	}
	var n int64
	if err := t.queryRow(`SELECT count(*) FROM requests WHERE cpas_id = ? AND status <> 'erased'`, cpasID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: count the requests of CPAS %s: %w", cpasID, err)
	}
	if n+1 > s.quota.Requests {
		return store.RequestQuotaExceeded(), nil
	}
	return nil, nil
}

// attachmentQuota returns store.ErrQuotaExceeded for a new file that would
// take its CPAS over its attachment quota; a file already stored takes no
// more room (content-addressed) and always passes.
func (s *Store) attachmentQuota(t *wtx, cpasID, sha string, size int64) error {
	if s.quota.AttachmentBytes <= 0 {
		return nil
	}
	var stored bool
	var used int64
	err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM attachments WHERE cpas_id = ?1 AND sha256 = ?2),
			coalesce((SELECT sum(json_extract(meta, '$.size')) FROM attachments WHERE cpas_id = ?1), 0)`,
		cpasID, sha).Scan(&stored, &used)
	if err != nil {
		return fmt.Errorf("store: read the attachment usage of CPAS %s: %w", cpasID, err)
	}
	if !stored && used+size > s.quota.AttachmentBytes {
		return store.ErrQuotaExceeded
	}
	return nil
}

// Usage reads what a CPAS stores, as Badger's Usage does.
func (s *Store) Usage(ctx context.Context, cpasID string) (_ store.Usage, err error) {
	defer store.Wrap(&err, "sqlite: Usage(%s)", cpasID)
	var u store.Usage
	err = s.rdb.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM requests WHERE cpas_id = ?1 AND status <> 'erased'),
			(SELECT count(*) FROM attachments WHERE cpas_id = ?1),
			coalesce((SELECT sum(json_extract(meta, '$.size')) FROM attachments WHERE cpas_id = ?1), 0)`,
		cpasID).Scan(&u.Requests, &u.Attachments, &u.AttachmentBytes)
	return u, err
}
