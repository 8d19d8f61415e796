package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// AppendAudit implements Store.
func (s *Badger) AppendAudit(_ context.Context, entries ...AuditEntry) error {
	return s.w.doIn(roomSmall, func(txn *badger.Txn) error { return s.appendAudits(txn, entries) }, nil)
}

func (s *Badger) appendAudits(txn *badger.Txn, entries []AuditEntry) error {
	for _, e := range entries {
		if err := s.appendAudit(txn, e); err != nil {
			return err
		}
	}
	return nil
}

// appendAudit gives the entry the next audit sequence number, links it to
// the chain and indexes it by request within its CPAS, so "who opened this
// file" is one prefix scan that no other tenant's entries can enter.
//
// It runs only inside the store's single writer (writer.go), in the
// transaction of the change it records: the writer runs one operation after
// the other, and a transaction reads its own pending writes, so the entry
// before this one is the previous link even when many appends share one
// group commit, and concurrent appends form one chain.
func (s *Badger) appendAudit(txn *badger.Txn, e AuditEntry) error {
	seq, err := next(txn, []byte(keyAuditSeq))
	if err != nil {
		return err
	}
	e.Seq = seq
	if e.Time == "" {
		e.Time = s.now().UTC().Format(time.RFC3339Nano)
	}
	// The chain starts at the first entry written by code that chains:
	// the entries of an older store have no hash, so the first new entry
	// after them gets Prev "" like the first entry of a new store
	// (server/README.md, "Audit trail").
	var prev AuditEntry
	if err := getJSON(txn, auditKey(seq-1), &prev); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("store: read the previous audit entry: %w", err)
	}
	b, err := chainAudit(&e, prev.Hash)
	if err != nil {
		return err
	}
	if err := txn.Set(auditKey(seq), b); err != nil {
		return err
	}
	if e.RequestID == "" {
		return nil
	}
	return txn.Set(auditByRequestKey(e.CPASID, e.RequestID, seq), nil)
}

// Audit implements Store.
func (s *Badger) Audit(_ context.Context, after int64, requestID string, limit int) ([]AuditEntry, error) {
	out := []AuditEntry{}
	err := s.db.View(func(txn *badger.Txn) error {
		if requestID == "" {
			return scanJSON(txn, []byte("a/"), auditKey(after+1), func(_ []byte, e AuditEntry) bool {
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
func auditOfRequest(txn *badger.Txn, requestID string, after int64, limit int, out *[]AuditEntry) error {
	cpas, err := owner(txn, requestID)
	if errors.Is(err, ErrNotFound) {
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
		var e AuditEntry
		if err := getJSON(txn, auditKey(seq), &e); err != nil {
			return err
		}
		*out = append(*out, e)
	}
	return nil
}

func marshal(v any) ([]byte, error) { return json.Marshal(v) }

// chainAudit links e after the entry whose hash is prev: it sets e.Prev and
// e.Hash and returns the encoding to store, the canonical one.
func chainAudit(e *AuditEntry, prev string) ([]byte, error) {
	e.Prev = prev
	h, err := auditHash(*e)
	if err != nil {
		return nil, err
	}
	e.Hash = h
	return json.Marshal(e)
}

// auditHash is the hex SHA-256 of an entry's canonical encoding: its JSON
// (encoding/json, the field order of AuditEntry) with Hash empty.
func auditHash(e AuditEntry) (string, error) {
	e.Hash = ""
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("store: encode an audit entry: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// AuditCheck is the result of VerifyAudit.
type AuditCheck struct {
	Entries   int64  // entries read
	Unchained int64  // entries of an older store, written before the chain started
	Head      string // Hash of the last entry: note it elsewhere to detect a rewritten chain
	HeadSeq   int64
	// BrokenAt is the sequence number of the first entry that breaks the
	// chain (0 when it holds) and Problem says what is wrong with it.
	BrokenAt int64
	Problem  string
}

// OK says whether the chain holds.
func (c AuditCheck) OK() bool { return c.BrokenAt == 0 }

// VerifyAudit implements Store. It reads one snapshot, so appends that
// commit meanwhile are simply not seen. Each entry must be stored in its
// canonical encoding, carry the next sequence number, hash to its Hash and
// name the previous entry's Hash as Prev. Entries without a hash are
// accepted only before the first chained entry (written by older code,
// server/README.md); the first chained entry then has Prev "". The audit
// counter must name the last entry, so entries cut from the end show too.
func (s *Badger) VerifyAudit(_ context.Context) (AuditCheck, error) {
	var c AuditCheck
	err := s.db.View(func(txn *badger.Txn) error {
		counter, err := getInt(txn, []byte(keyAuditSeq))
		if err != nil {
			return fmt.Errorf("store: read the audit counter: %w", err)
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		var last AuditEntry
		chained := false
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			seq, err := strconv.ParseInt(string(item.Key()[len("a/"):]), 16, 64)
			if err != nil {
				c.BrokenAt, c.Problem = last.Seq+1, fmt.Sprintf("a key %q that is no audit sequence number", item.Key())
				return nil
			}
			raw, err := item.ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("store: read audit entry %d: %w", seq, err)
			}
			c.Entries++
			if problem := checkLink(raw, seq, last, &chained); problem != "" {
				c.BrokenAt, c.Problem = seq, problem
				return nil
			}
			if !chained {
				c.Unchained++
			}
			json.Unmarshal(raw, &last) // checkLink decoded it already
		}
		c.Head, c.HeadSeq = last.Hash, last.Seq
		if counter != last.Seq {
			c.BrokenAt = last.Seq + 1
			c.Problem = fmt.Sprintf("the audit counter says %d entries were written, the last one stored is %d: entries are missing at the end", counter, last.Seq)
		}
		return nil
	})
	if err != nil {
		return AuditCheck{}, fmt.Errorf("store: verify the audit chain: %w", err)
	}
	return c, nil
}

// checkLink checks the entry stored as raw under seq against the entry
// before it (zero for the first); it returns what is wrong, or "".
func checkLink(raw []byte, seq int64, before AuditEntry, chained *bool) string {
	var e AuditEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return "it is not an audit entry: " + err.Error()
	}
	switch {
	case e.Seq != seq:
		return fmt.Sprintf("it is stored under sequence number %d but says %d", seq, e.Seq)
	case seq != before.Seq+1:
		return fmt.Sprintf("entries %d to %d are missing", before.Seq+1, seq-1)
	}
	if e.Hash == "" && e.Prev == "" && !*chained {
		return "" // written before the chain started
	}
	if e.Hash == "" {
		return "it has no hash, after the chain started"
	}
	if e.Prev != before.Hash {
		if !*chained && before.Seq != 0 {
			return "the first chained entry must have an empty prev, and it names another entry"
		}
		return "its prev is not the hash of the entry before it"
	}
	*chained = true
	h, err := auditHash(e)
	if err != nil {
		return err.Error()
	}
	if h != e.Hash {
		return "its hash does not match its content: the entry was altered"
	}
	canonical, err := json.Marshal(e)
	if err != nil || !bytes.Equal(canonical, raw) {
		return "it is not stored in its canonical encoding: the record was altered"
	}
	return ""
}
