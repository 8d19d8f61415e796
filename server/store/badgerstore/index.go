package badgerstore

import (
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// indexVersion is the layout of the indexes computed from the data: the
// queue (q/ and qd/), the holders of request ids (rid/) and the audit by
// request (ar/). Raise it when one of them changes: a store with an older
// version has them rebuilt when it opens (version 1, issue 5, indexed sent
// requests with fewer fields and no decided ones; version 2 had no rid/ and
// an audit by request that mixed the CPAS using one id; version 3 had no
// names in the queue; version 4 did not count each CPAS's usage, m/usage/).
const indexVersion = 5

// upgradeIndex rebuilds the indexes when they are older than the code. It
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
	s.log.Info("rebuilding the indexes", "from", v, "to", indexVersion)
	if err := s.db.DropPrefix([]byte(prefixQueue), []byte(prefixDecided), []byte(prefixOwner), []byte(prefixAuditBy), []byte(prefixUsage)); err != nil {
		return fmt.Errorf("store: drop the old indexes: %w", err)
	}
	entries, err := s.indexEntries()
	if err != nil {
		return fmt.Errorf("store: compute the indexes: %w", err)
	}
	if err := s.writeEntries(entries); err != nil {
		return fmt.Errorf("store: write the indexes: %w", err)
	}
	return s.db.Update(func(txn *badger.Txn) error { return setJSON(txn, []byte(keyIndex), int64(indexVersion)) })
}

func (s *Badger) writeEntries(entries map[string][]byte) error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for key, value := range entries {
		if err := wb.Set([]byte(key), value); err != nil {
			return err
		}
	}
	return wb.Flush()
}

// indexEntries computes every index entry from the stored requests and
// audit trail.
func (s *Badger) indexEntries() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := s.db.View(func(txn *badger.Txn) error {
		holders, err := s.holders(txn)
		if err != nil {
			return err
		}
		for id, r := range holders {
			out[string(ownerKey(id))] = []byte(r.CPASID)
		}
		if err := queueEntries(txn, holders, out); err != nil {
			return err
		}
		if err := usageEntries(txn, out); err != nil {
			return err
		}
		return scanJSON(txn, []byte("a/"), nil, func(_ []byte, e store.AuditEntry) bool {
			if e.RequestID != "" {
				out[string(auditByRequestKey(e.CPASID, e.RequestID, e.Seq))] = nil
			}
			return true
		})
	})
	return out, err
}

// holders picks, for each request id, the request that holds it. A store
// written before ids were unique in the whole store may hold one id in two
// CPAS: the request received first keeps it (a copy can only be made of an
// id already known); the others stay in their CPAS's sync, out of the
// agents' reach, and are logged.
func (s *Badger) holders(txn *badger.Txn) (map[string]api.Request, error) {
	out := map[string]api.Request{}
	err := scanJSON(txn, []byte("r/"), nil, func(_ []byte, r api.Request) bool {
		if cur, ok := out[r.ID]; ok {
			keep, drop := cur, r
			if receivedBefore(&r, &cur) {
				keep, drop = r, cur
			}
			out[r.ID] = keep
			s.log.Warn("one request id in two CPAS: the later copy is left out of the queue", "request", r.ID,
				"holder", keep.CPASID, "leftOut", drop.CPASID)
			return true
		}
		out[r.ID] = r
		return true
	})
	return out, err
}

// receivedBefore orders by receipt time, then by CPAS for a stable choice.
func receivedBefore(a, b *api.Request) bool {
	ta, errA := time.Parse(time.RFC3339, a.ReceivedAt)
	tb, errB := time.Parse(time.RFC3339, b.ReceivedAt)
	if errA == nil && errB == nil && !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a.CPASID < b.CPASID
}

// queueEntries computes the queue index entry of every request that holds
// its id.
func queueEntries(txn *badger.Txn, holders map[string]api.Request, out map[string][]byte) error {
	cpas := map[string]store.CPAS{}
	err := scanJSON(txn, []byte("k/"), nil, func(_ []byte, c store.CPAS) bool { cpas[c.ID] = c; return true })
	if err != nil {
		return err
	}
	for _, r := range holders {
		if r.Status == api.StatusErased {
			continue // out of every queue
		}
		c, ok := cpas[r.CPASID]
		if !ok {
			return errors.New("store: request of an unknown CPAS")
		}
		b, err := marshal(store.QueueItem(&r, c))
		if err != nil {
			return err
		}
		out[string(indexKey(c.OfficeID, &r))] = b
	}
	return nil
}
