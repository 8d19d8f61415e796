package sqlbase

import (
	"fmt"

	"art60/server/api"
	"art60/server/store"
)

// The per-CPAS quota (store.Quota) is read from the tables, with no counter
// to keep in step: a CPAS's usage is what its rows add up to. The SQLite
// store reads it in the transaction of the write it guards, the D1 store
// before its batch (the audit head makes that read as good as a snapshot).

// Row is one row's Scan, as *sql.Row has it.
type Row interface{ Scan(dest ...any) error }

// QueryRow runs a query for one row.
type QueryRow func(q string, args ...any) Row

// RequestQuota refuses a new request of a CPAS that already stores as many
// requests as the quota allows (erased ones no longer count).
func RequestQuota(row QueryRow, q store.Quota, cpasID string) (*api.Error, error) {
	if q.Requests <= 0 {
		return nil, nil
	}
	var n int64
	if err := row(`SELECT count(*) FROM requests WHERE cpas_id = ? AND status <> 'erased'`, cpasID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: count the requests of CPAS %s: %w", cpasID, err)
	}
	if n+1 > q.Requests {
		return store.RequestQuotaExceeded(), nil
	}
	return nil, nil
}

// AttachmentQuota returns store.ErrQuotaExceeded for a new file that would
// take its CPAS over its attachment quota; a file already stored takes no
// more room (content-addressed) and always passes.
func AttachmentQuota(row QueryRow, q store.Quota, cpasID, sha string, size int64) error {
	if q.AttachmentBytes <= 0 {
		return nil
	}
	var stored bool
	var used int64
	err := row(`SELECT EXISTS (SELECT 1 FROM attachments WHERE cpas_id = ?1 AND sha256 = ?2),
			coalesce((SELECT sum(json_extract(meta, '$.size')) FROM attachments WHERE cpas_id = ?1), 0)`,
		cpasID, sha).Scan(&stored, &used)
	if err != nil {
		return fmt.Errorf("store: read the attachment usage of CPAS %s: %w", cpasID, err)
	}
	if !stored && used+size > q.AttachmentBytes {
		return store.ErrQuotaExceeded
	}
	return nil
}

// Usage reads what a CPAS stores, as Badger's Usage does.
func Usage(row QueryRow, cpasID string) (store.Usage, error) {
	var u store.Usage
	err := row(`SELECT
			(SELECT count(*) FROM requests WHERE cpas_id = ?1 AND status <> 'erased'),
			(SELECT count(*) FROM attachments WHERE cpas_id = ?1),
			coalesce((SELECT sum(json_extract(meta, '$.size')) FROM attachments WHERE cpas_id = ?1), 0)`,
		cpasID).Scan(&u.Requests, &u.Attachments, &u.AttachmentBytes)
	return u, err
}
