package badgerstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// AppendAudit implements Store.
func (s *Badger) AppendAudit(_ context.Context, entries ...store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: AppendAudit")
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error { return s.appendAudits(txn, entries) }, nil)
}

// appendAudits gives each entry the next audit sequence number, links it
// to the chain and indexes it by request within its CPAS, so "who opened
// this file" is one prefix scan that no other tenant's entries can enter.
// The counter and the previous entry's hash are read once for the whole
// batch (a pull audits up to a page of reads at once).
//
// It runs only inside the store's single writer (writer.go), in the
// transaction of the change it records: the writer runs one operation after
// the other, and a transaction reads its own pending writes, so the entry
// before this one is the previous link even when many appends share one
// group commit, and concurrent appends form one chain.
func (s *Badger) appendAudits(txn *badger.Txn, entries []store.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	last, err := getInt(txn, []byte(keyAuditSeq))
	if err != nil {
		return err
	}
	// The chain starts at the first entry written by code that chains:
	// the entries of an older store have no hash, so the first new entry
	// after them gets Prev "" like the first entry of a new store
	// (server/README.md, "Audit trail").
	var prev store.AuditEntry
	if err := getJSON(txn, auditKey(last), &prev); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("store: read the previous audit entry: %w", err)
	}
	now := s.now().UTC().Format(time.RFC3339Nano)
	hash := prev.Hash
	for _, e := range entries {
		last++
		e.Seq = last
		if e.Time == "" {
			e.Time = now
		}
		b, err := store.ChainAudit(&e, hash)
		if err != nil {
			return err
		}
		hash = e.Hash
		if err := txn.Set(auditKey(e.Seq), b); err != nil {
			return err
		}
		if e.RequestID == "" {
			continue
		}
		if err := txn.Set(auditByRequestKey(e.CPASID, e.RequestID, e.Seq), nil); err != nil {
			return err
		}
	}
	return setJSON(txn, []byte(keyAuditSeq), last)
}

// appendAudit appends one entry (appendAudits).
func (s *Badger) appendAudit(txn *badger.Txn, e store.AuditEntry) error {
	return s.appendAudits(txn, []store.AuditEntry{e})
}

// Audit implements Store.
func (s *Badger) Audit(_ context.Context, after int64, requestID string, limit int) (_ []store.AuditEntry, err error) {
	defer store.Wrap(&err, "badger: Audit(%s)", requestID)
	out := []store.AuditEntry{}
	err = s.db.View(func(txn *badger.Txn) error {
		if requestID == "" {
			return scanJSON(txn, []byte("a/"), auditKey(after+1), func(_ []byte, e store.AuditEntry) bool {
				out = append(out, e)
				return len(out) < limit
			})
		}
		return auditOfRequest(txn, requestID, after, limit, &out)
	})
	return out, err
}

// auditOfRequest lists the entries of the request the id names: those of
// the CPAS that holds it (requests.go, owner), none for an unknown id.
func auditOfRequest(txn *badger.Txn, requestID string, after int64, limit int, out *[]store.AuditEntry) error {
	cpas, err := owner(txn, requestID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: auditByRequestPrefix(cpas, requestID)})
	defer it.Close()
	for it.Seek(auditByRequestKey(cpas, requestID, after+1)); it.Valid() && len(*out) < limit; it.Next() {
		key := string(it.Item().Key())
		seq, err := strconv.ParseInt(key[strings.LastIndexByte(key, '/')+1:], 16, 64)
		if err != nil {
			return err
		}
		var e store.AuditEntry
		if err := getJSON(txn, auditKey(seq), &e); err != nil {
			return err
		}
		*out = append(*out, e)
	}
	return nil
}

func marshal(v any) ([]byte, error) { return json.Marshal(v) }

// VerifyAudit implements Store. It reads one snapshot, so appends that
// commit meanwhile are simply not seen. Each entry must be stored in its
// canonical encoding, carry the next sequence number, hash to its Hash and
// name the previous entry's Hash as Prev. Entries without a hash are
// accepted only before the first chained entry (written by older code,
// server/README.md); the first chained entry then has Prev "". The audit
// counter must name the last entry, so entries cut from the end show too.
func (s *Badger) VerifyAudit(_ context.Context) (_ store.AuditCheck, err error) {
	defer store.Wrap(&err, "badger: VerifyAudit")
	var c store.AuditCheck
	err = s.db.View(func(txn *badger.Txn) error {
		counter, err := getInt(txn, []byte(keyAuditSeq))
		if err != nil {
			return fmt.Errorf("store: read the audit counter: %w", err)
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		var w store.AuditWalk
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			seq, err := strconv.ParseInt(string(item.Key()[len("a/"):]), 16, 64)
			if err != nil {
				c = w.Unreadable(fmt.Sprintf("a key %q that is no audit sequence number", item.Key()))
				return nil
			}
			raw, err := item.ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("store: read audit entry %d: %w", seq, err)
			}
			if !w.Next(seq, raw) {
				break
			}
		}
		c = w.Done(counter)
		return nil
	})
	if err != nil {
		return store.AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	return c, nil
}
