package badgerstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

var _ store.Checker = (*Badger)(nil)

// Check reads the whole store and reports what is wrong, writing nothing:
// the checksums of every table block (Badger's VerifyChecksum), every value
// read and decoded (Badger answers a value it cannot read from the value
// log with empty bytes and no error, so an empty or undecodable value is
// the sign of a damaged value log), each upload against its SHA-256, the
// indexes against the data they are computed from (the queue, the holders
// of request ids, the audit by request, the usage of each CPAS:
// indexEntries), each change entry
// against its request, and the audit chain (VerifyAudit).
func (s *Badger) Check(ctx context.Context) (_ store.CheckReport, err error) {
	defer store.Wrap(&err, "badger: Check")
	rep := store.CheckReport{Keys: map[string]int{}}
	if err := s.db.VerifyChecksum(); err != nil {
		rep.Problem("table checksums: %s", firstLine(err.Error()))
	}
	if err := s.db.View(func(txn *badger.Txn) error { return s.checkValues(txn, &rep) }); err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	if err := s.checkIndexes(&rep); err != nil {
		rep.Problem("indexes: %v", err)
	}
	audit, err := s.VerifyAudit(ctx)
	if err != nil {
		rep.Problem("audit chain: %v", err)
	}
	rep.Audit = audit
	if !audit.OK() {
		rep.Problem("audit chain broken at entry %d: %s", audit.BrokenAt, audit.Problem)
	}
	return rep, nil
}

// valueKinds says what each key prefix holds (keys.go): JSON, raw bytes
// that cannot be empty, or nothing. Longer prefixes come first.
var valueKinds = []struct {
	prefix, kind string
	shape        byte // 'j' JSON, 'b' non-empty bytes, '0' empty
}{
	{"m/epoch", "sync epoch", 'b'}, {"m/purge", "erasure awaiting compaction", '0'}, {"m/pad", "compaction padding", 'b'},
	{"m/flush", "flush marker", 'b'}, {"m/usage/", "CPAS usage", 'j'}, {"m/seq/", "change sequence", 'j'}, {"m/audit", "audit sequence", 'j'},
	{"m/index", "index version", 'j'}, {"rid/", "request id holder", 'b'}, {"r/", "request", 'j'}, {"rx/", "request explanation", 'j'},
	{"c/", "change entry", 'b'}, {"qd/", "decided queue entry", 'j'}, {"q/", "queue entry", 'j'},
	{"x/", "end-of-contract check mark", '0'}, {"ir/", "mutation result", 'j'}, {"i/", "last mutation", 'j'},
	{"fd/", "attachment data", 'b'}, {"f/", "attachment", 'j'}, {"k/", "CPAS", 'j'}, {"ul/", "login", 'b'},
	{"u/", "user", 'j'}, {"s/", "session", 'j'}, {"ar/", "audit by request", '0'}, {"a/", "audit entry", 'j'},
	{"od/", "mail due", '0'}, {"of/", "mail given up", '0'}, {"o/", "mail", 'j'},
}

func (s *Badger) checkValues(txn *badger.Txn, rep *store.CheckReport) error {
	it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 16})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		key := string(item.KeyCopy(nil))
		v, err := item.ValueCopy(nil)
		if err != nil {
			rep.Problem("%s: %v", key, err)
			continue
		}
		checkValue(rep, key, v)
	}
	return nil
}

func checkValue(rep *store.CheckReport, key string, v []byte) {
	for _, vk := range valueKinds {
		if !strings.HasPrefix(key, vk.prefix) {
			continue
		}
		rep.Keys[vk.kind]++
		switch {
		case vk.shape == 'j' && !readable(v):
			rep.Problem("%s (%s): the value is not readable (%d bytes): the value log is damaged", key, vk.kind, len(v))
		case vk.shape == 'b' && len(v) == 0:
			rep.Problem("%s (%s): the value is empty: the value log is damaged", key, vk.kind)
		case vk.shape == '0' && len(v) != 0:
			rep.Problem("%s (%s): a value where none is written", key, vk.kind)
		case vk.prefix == "fd/":
			checkUpload(rep, key, v)
		case vk.prefix == "r/":
			checkRequest(rep, key, v)
		}
		return
	}
	rep.Keys["unknown"]++
	rep.Problem("%s: a key of no known kind", key)
}

// checkUpload compares an upload with the SHA-256 its key names.
func checkUpload(rep *store.CheckReport, key string, data []byte) {
	sum := sha256.Sum256(data)
	if !strings.HasSuffix(key, "/"+hex.EncodeToString(sum[:])) {
		rep.Problem("%s (attachment data): the bytes do not match their SHA-256 (%d bytes): the value log is damaged", key, len(data))
	}
}

// checkRequest decodes a request and compares it with its key.
func checkRequest(rep *store.CheckReport, key string, v []byte) {
	var r api.Request
	if err := decodeValue(v, &r); err != nil {
		rep.Problem("%s (request): %v", key, err)
		return
	}
	if want := string(requestKey(r.CPASID, r.ID)); want != key {
		rep.Problem("%s (request): holds request %s of CPAS %s", key, r.ID, r.CPASID)
	}
}

// checkIndexes compares the stored index entries with those computed from
// the data, and each change entry with the request it names.
func (s *Badger) checkIndexes(rep *store.CheckReport) error {
	want, err := s.indexEntries()
	if err != nil {
		return err
	}
	rep.Indexed = len(want)
	return s.db.View(func(txn *badger.Txn) error {
		for _, prefix := range []string{prefixQueue, prefixDecided, prefixOwner, prefixAuditBy, prefixUsage} {
			if err := compareIndex(txn, prefix, want, rep); err != nil {
				return err
			}
		}
		for key, v := range want {
			rep.Problem("%s: index entry missing (%d bytes expected)", key, len(v))
		}
		return checkChanges(txn, rep)
	})
}

// compareIndex reads the stored entries under prefix and removes each one
// found from want.
func compareIndex(txn *badger.Txn, prefix string, want map[string][]byte, rep *store.CheckReport) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		key := string(it.Item().KeyCopy(nil))
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		w, ok := want[key]
		switch {
		case !ok:
			rep.Problem("%s: index entry for nothing in the data", key)
		case !bytes.Equal(w, v):
			rep.Problem("%s: index entry differs from the data", key)
		}
		delete(want, key)
	}
	return nil
}

// checkChanges: every change entry c/<cpas>/<seq> names a request of that CPAS.
func checkChanges(txn *badger.Txn, rep *store.CheckReport) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("c/"), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		key := string(it.Item().KeyCopy(nil))
		id, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		parts := strings.Split(key, "/")
		if len(parts) != 3 {
			rep.Problem("%s: malformed change key", key)
			continue
		}
		if ok, err := exists(txn, requestKey(parts[1], string(id))); err != nil {
			return err
		} else if !ok {
			rep.Problem("%s: change of request %s, which is not stored", key, id)
		}
	}
	return nil
}

// readable says whether a value decodes as JSON, packed or not (codec.go).
func readable(v []byte) bool {
	var any json.RawMessage
	return decodeValue(v, &any) == nil
}
