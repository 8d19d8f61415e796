package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// AppendAudit implements Store.
func (s *Badger) AppendAudit(_ context.Context, entries ...AuditEntry) error {
	return s.w.do(func(txn *badger.Txn) error {
		for _, e := range entries {
			if err := s.appendAudit(txn, e); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}

// appendAudit gives the entry the next audit sequence number and indexes it
// by request within its CPAS, so "who opened this file" is one prefix scan
// that no other tenant's entries can enter.
func (s *Badger) appendAudit(txn *badger.Txn, e AuditEntry) error {
	seq, err := next(txn, []byte(keyAuditSeq))
	if err != nil {
		return err
	}
	e.Seq = seq
	if e.Time == "" {
		e.Time = s.now().UTC().Format(time.RFC3339Nano)
	}
	if err := setJSON(txn, auditKey(seq), e); err != nil {
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
