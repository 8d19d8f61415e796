package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

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
