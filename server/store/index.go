package store

import (
	"errors"

	"art60/server/api"

	"github.com/dgraph-io/badger/v4"
)

// indexVersion is the layout of the queue index (q/ and qd/). Raise it when
// api.QueueItem or the index keys change: a store with an older version has
// its index rebuilt from the requests when it opens (version 1, issue 5,
// indexed sent requests with fewer fields and no decided ones).
const indexVersion = 2

// upgradeIndex rebuilds the queue index when it is older than the code. It
// runs before the writer starts, so nothing else writes meanwhile; if it is
// cut short, the version is not raised and the next open starts over.
func (s *Badger) upgradeIndex() error {
	var v int64
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		v, err = getInt(txn, []byte(keyIndex))
		return err
	})
	if err != nil || v >= indexVersion {
		return err
	}
	s.log.Info("rebuilding the queue index", "from", v, "to", indexVersion)
	if err := s.db.DropPrefix([]byte(prefixQueue), []byte(prefixDecided)); err != nil {
		return err
	}
	entries, err := s.indexEntries()
	if err != nil {
		return err
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for key, item := range entries {
		b, err := marshal(item)
		if err != nil {
			return err
		}
		if err := wb.Set([]byte(key), b); err != nil {
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return setJSON(txn, []byte(keyIndex), int64(indexVersion)) })
}

// indexEntries computes the queue index entry of every stored request.
func (s *Badger) indexEntries() (map[string]api.QueueItem, error) {
	cpas := map[string]CPAS{}
	out := map[string]api.QueueItem{}
	err := s.db.View(func(txn *badger.Txn) error {
		err := scanJSON(txn, []byte("k/"), nil, func(_ []byte, c CPAS) bool { cpas[c.ID] = c; return true })
		if err != nil {
			return err
		}
		var missing error
		err = scanJSON(txn, []byte("r/"), nil, func(_ []byte, r api.Request) bool {
			c, ok := cpas[r.CPASID]
			if !ok {
				missing = errors.New("store: request of an unknown CPAS")
				return false
			}
			out[string(indexKey(c.OfficeID, &r))] = queueItem(&r, c)
			return true
		})
		return errors.Join(err, missing)
	})
	return out, err
}
