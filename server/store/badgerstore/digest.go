package badgerstore

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// Digest hashes every live key and value except those under the skipped
// prefixes: two stores with the same digest hold the same data. Tests use it
// to show that a refused input changed nothing.
func (s *Badger) Digest(skip ...string) (_ string, err error) {
	defer store.Wrap(&err, "badger: Digest")
	h := sha256.New()
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			if hasAnyPrefix(string(key), skip) {
				continue
			}
			h.Write(key)
			h.Write([]byte{0})
			if err := it.Item().Value(func(v []byte) error { h.Write(v); return nil }); err != nil {
				return err
			}
			h.Write([]byte{0})
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
