package badgerstore

import (
	"encoding/json"
	"errors"
	"fmt"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// Key layout. Keys hold ids only (never personal data) because Badger may
// log them. Numbers are fixed-width hex so that keys sort by number.
//
//	m/epoch                          sync epoch, new after a restore
//	m/seq/<cpas>                     last change sequence of a CPAS
//	m/audit                          last audit sequence
//	m/usage/<cpas>                   what the CPAS stores (Usage), against its Quota
//	r/<cpas>/<request>               api.Request without its explanation, packed (codec.go)
//	rx/<cpas>/<request>              its api.Explanation, packed
//	rid/<request>                    the CPAS that holds the request: an id names one request in the store
//	c/<cpas>/<seq>                   request id: its latest change
//	m/index                          version of the queue index (rebuilt when older)
//	q/<office>/<due>/<cpas>/<req>    sent requests waiting for ONEM (api.QueueItem)
//	qd/<office>/<decided>/<cpas>/<req>  decided requests, by decision time (api.QueueItem)
//	x/<cpas>/<root>/<request>        end-of-contract checks of an original request
//	i/<user>/<client>                last applied mutationId
//	ir/<user>/<client>/<mutation>    stored result of an applied mutation
//	f/<cpas>/<sha256>                attachment metadata; fd/… its bytes
//	k/<cpas>                         CPAS
//	u/<user>  ul/<login>             user, login → user id
//	s/<token hash>                   session (with a TTL)
//	a/<seq>   ar/<cpas>/<request>/<seq>  audit entry, and by request within its CPAS
//	o/<mail>  od/<due>/<mail>        outbox, and pending by due time
//	of/<mail>                        mail given up
var keyEpoch = []byte("m/epoch")

const (
	prefixQueue   = "q/"
	prefixDecided = "qd/"
	keyAuditSeq   = "m/audit"
	keyIndex      = "m/index"
	prefixOwner   = "rid/"
	prefixAuditBy = "ar/"
)

func k(format string, a ...any) []byte { return []byte(fmt.Sprintf(format, a...)) }

func seqKey(cpas string) []byte               { return k("m/seq/%s", cpas) }
func requestKey(cpas, id string) []byte       { return k("r/%s/%s", cpas, id) }
func explanationKey(cpas, id string) []byte   { return k("rx/%s/%s", cpas, id) }
func ownerKey(id string) []byte               { return k("rid/%s", id) }
func changePrefix(cpas string) []byte         { return k("c/%s/", cpas) }
func changeKey(cpas string, seq int64) []byte { return k("c/%s/%016x", cpas, seq) }
func queuePrefix(office string) []byte        { return k("q/%s/", office) }
func queueKey(office, due, cpas, id string) []byte {
	return k("q/%s/%s/%s/%s", office, due, cpas, id)
}
func decidedPrefix(office string) []byte { return k("qd/%s/", office) }
func decidedKey(office, at, cpas, id string) []byte {
	return k("qd/%s/%s/%s/%s", office, at, cpas, id)
}
func endCheckPrefix(cpas, root string) []byte { return k("x/%s/%s/", cpas, root) }
func endCheckKey(cpas, root, id string) []byte {
	return k("x/%s/%s/%s", cpas, root, id)
}
func lastMutationKey(user, client string) []byte { return k("i/%s/%s", user, client) }
func resultKey(user, client string, id int64) []byte {
	return k("ir/%s/%s/%016x", user, client, id)
}
func attachmentKey(cpas, sha string) []byte        { return k("f/%s/%s", cpas, sha) }
func attachmentDataKey(cpas, sha string) []byte    { return k("fd/%s/%s", cpas, sha) }
func cpasKey(id string) []byte                     { return k("k/%s", id) }
func userKey(id string) []byte                     { return k("u/%s", id) }
func loginKey(login string) []byte                 { return k("ul/%s", login) }
func sessionKey(hash string) []byte                { return k("s/%s", hash) }
func auditKey(seq int64) []byte                    { return k("a/%016x", seq) }
func auditByRequestPrefix(cpas, req string) []byte { return k("ar/%s/%s/", cpas, req) }
func auditByRequestKey(cpas, req string, seq int64) []byte {
	return k("ar/%s/%s/%016x", cpas, req, seq)
}
func mailKey(id string) []byte         { return k("o/%s", id) }
func mailDueKey(due, id string) []byte { return k("od/%s/%s", due, id) }
func mailFailedKey(id string) []byte   { return k("of/%s", id) }

// getJSON reads and decodes one value; ErrNotFound when the key is absent.
func getJSON(txn *badger.Txn, key []byte, v any) error {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(func(b []byte) error { return decodeValue(b, v) })
}

func setJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}

func exists(txn *badger.Txn, key []byte) (bool, error) {
	_, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// getInt reads a counter stored as decimal text; 0 when absent.
func getInt(txn *badger.Txn, key []byte) (int64, error) {
	var n int64
	err := getJSON(txn, key, &n)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return n, err
}

// next increments a counter inside the transaction and returns its new value.
func next(txn *badger.Txn, key []byte) (int64, error) {
	n, err := getInt(txn, key)
	if err != nil {
		return 0, err
	}
	n++
	return n, setJSON(txn, key, n)
}

func countPrefix(txn *badger.Txn, prefix []byte) (int64, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var n int64
	for it.Rewind(); it.Valid(); it.Next() {
		n++
	}
	return n, nil
}

// scanJSON decodes the values under prefix, starting at from (a full key,
// or nil for the start of the prefix), until fn returns false.
func scanJSON[T any](txn *badger.Txn, prefix, from []byte, fn func(key []byte, v T) bool) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	if from == nil {
		from = prefix
	}
	it.Seek(from)
	return decodeEach(it, fn)
}

// scanJSONReverse decodes the values under prefix from the last key back,
// until fn returns false.
func scanJSONReverse[T any](txn *badger.Txn, prefix []byte, fn func(key []byte, v T) bool) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	it.Seek(append(append([]byte{}, prefix...), 0xff))
	return decodeEach(it, fn)
}

// decodeEach decodes the values from the iterator's position on, until fn
// returns false.
func decodeEach[T any](it *badger.Iterator, fn func(key []byte, v T) bool) error {
	for ; it.Valid(); it.Next() {
		var v T
		item := it.Item()
		if err := item.Value(func(b []byte) error { return decodeValue(b, &v) }); err != nil {
			return err
		}
		if !fn(item.KeyCopy(nil), v) {
			return nil
		}
	}
	return nil
}
