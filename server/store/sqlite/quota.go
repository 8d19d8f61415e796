package sqlite

import (
	"context"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// The per-CPAS quota (store.Quota, sqlbase's queries) is read in the
// transaction of the write it guards: the writer runs one write at a time,
// so two uploads or two requests at once cannot both pass the last room
// left.

func (s *Store) requestQuota(t *wtx, cpasID string) (*api.Error, error) {
	return sqlbase.RequestQuota(t.row, s.quota, cpasID)
}

func (s *Store) attachmentQuota(t *wtx, cpasID, sha string, size int64) error {
	return sqlbase.AttachmentQuota(t.row, s.quota, cpasID, sha, size)
}

// Usage reads what a CPAS stores, as Badger's Usage does.
func (s *Store) Usage(ctx context.Context, cpasID string) (_ store.Usage, err error) {
	defer store.Wrap(&err, "sqlite: Usage(%s)", cpasID)
	return sqlbase.Usage(s.reader(ctx), cpasID)
}
