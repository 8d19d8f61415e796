package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"art60/server/api"
)

// What another Store implementation (server/store/sqlite) shares with
// Badger, so that both keep one audit chain format and one backup format.

// ChainAudit links e after the entry whose hash is prev: it sets e.Prev and
// e.Hash and returns the canonical encoding to store (see AuditEntry).
func ChainAudit(e *AuditEntry, prev string) ([]byte, error) { return chainAudit(e, prev) }

// AuditWalk checks stored audit entries one by one, oldest first, by the
// rules of VerifyAudit.
type AuditWalk struct {
	c       AuditCheck
	last    AuditEntry
	chained bool
}

// Next checks the entry stored as raw under seq; it reports false once the
// chain is broken (Done says where and why).
func (w *AuditWalk) Next(seq int64, raw []byte) bool {
	w.c.Entries++
	if problem := checkLink(raw, seq, w.last, &w.chained); problem != "" {
		w.c.BrokenAt, w.c.Problem = seq, problem
		return false
	}
	if !w.chained {
		w.c.Unchained++
	}
	w.last = AuditEntry{}
	_ = json.Unmarshal(raw, &w.last) // checkLink decoded it already
	return true
}

// Unreadable ends the walk at a key that holds no audit entry: the chain
// breaks after the last entry read.
func (w *AuditWalk) Unreadable(problem string) AuditCheck {
	c := w.c
	c.BrokenAt, c.Problem = w.last.Seq+1, problem
	return c
}

// Done finishes the walk: counter is the last sequence number the store
// says it wrote, so entries cut from the end show too.
func (w *AuditWalk) Done(counter int64) AuditCheck {
	c := w.c
	if c.BrokenAt != 0 {
		return c
	}
	c.Head, c.HeadSeq = w.last.Hash, w.last.Seq
	if counter != w.last.Seq {
		c.BrokenAt = w.last.Seq + 1
		c.Problem = fmt.Sprintf("the audit counter says %d entries were written, the last one stored is %d: entries are missing at the end", counter, w.last.Seq)
	}
	return c
}

// SealBackup starts a backup file (backup.go's format) on w; what is
// written to the result is encrypted under a key derived from the store
// key, and Close writes the last chunk.
func SealBackup(w io.Writer, key []byte) (io.WriteCloser, error) { return newSealer(w, key) }

// OpenBackup reads what SealBackup wrote; a truncated, altered or
// reordered file, or one sealed with another key, is an error.
func OpenBackup(r io.Reader, key []byte) (io.Reader, error) { return newOpener(r, key) }

// NewEpoch is a fresh sync epoch (Cursor.Epoch), for a new or restored store.
func NewEpoch() string { return newEpoch() }

// QueueItem is what the queue and the reports know of a request of CPAS c.
func QueueItem(r *api.Request, c CPAS) api.QueueItem { return queueItem(r, c) }

// Applied is the result of a mutation that stored r.
func Applied(m Mutation, r *api.Request) api.MutationResult { return applied(m, r) }

// Rejected is the result of a mutation refused with e.
func Rejected(m Mutation, e *api.Error) api.MutationResult { return rejected(m, e) }

// The refusals a store gives a mutation by itself (Store.ApplyMutation),
// each a new value that the caller may change.

// MutationReused refuses a mutationId used before for other content.
func MutationReused() *api.Error {
	return &api.Error{Code: api.CodeMutationReused, Message: "this mutationId was already used for another change"}
}

// StaleMutation refuses a mutationId not above the device's last one.
func StaleMutation() *api.Error {
	return &api.Error{Code: api.CodeStaleMutation, Message: "mutationId is not above the last one applied for this device",
		Fields: []api.FieldError{{Path: "mutationId", Message: "already passed"}}}
}

// RequestIDTaken refuses a request whose id another CPAS holds.
func RequestIDTaken() *api.Error {
	return &api.Error{Code: api.CodeRequestIDTaken, Message: "this request id is already used: create the request again to get a new id",
		Fields: []api.FieldError{{Path: "request.id", Message: "already used"}}}
}

func newEpoch() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Wrap names the operation that failed in the error *errp, when there is
// one: store implementations call it deferred at the top of each method,
// after pkgsite's derrors.Wrap, so that a log line says which operation
// failed on which ids. The error stays matchable (errors.Is, errors.As).
// The arguments are ids, never a NISS, a name or a login.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// RequestQuotaExceeded is the refusal of a mutation whose request would take
// its CPAS over its request quota (Quota.Requests).
func RequestQuotaExceeded() *api.Error {
	return &api.Error{Code: api.CodeQuotaExceeded,
		Message: "the CPAS has sent as many requests as its quota allows: ask the administrator to raise it"}
}
