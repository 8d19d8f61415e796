package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// keyPurge records that something was erased and not yet pushed off the
// disk by Compact; the GC timer compacts while it is set, so a Compact that
// failed or was cut by a crash is done again.
var keyPurge = []byte("m/purge")

// ScanRequests calls fn with every stored request, erased ones left out,
// until fn returns false. It reads one consistent snapshot.
func (s *Badger) ScanRequests(_ context.Context, fn func(*api.Request) bool) (err error) {
	defer store.Wrap(&err, "badger: ScanRequests")
	return s.db.View(func(txn *badger.Txn) error {
		var failed error
		err := scanJSON(txn, []byte("r/"), nil, func(_ []byte, r api.Request) bool {
			if r.Status == api.StatusErased {
				return true
			}
			if failed = explain(txn, &r); failed != nil {
				return false
			}
			return fn(&r)
		})
		return errors.Join(err, failed)
	})
}

// EraseRequest removes a request's data for good: the request with its
// case, names, comments and decision, its place in the queue, and the
// attachments no other request of its CPAS uses. What is left is the mark
// (id, CPAS, status erased, a new sequence), so that pull tells the CPAS's
// devices to drop their copies and the id is never given to another
// request. The audit trail, which holds ids only, is kept; audit is written
// in the same transaction with its CPAS and request filled in. Compact then
// pushes the erased values off the disk.
func (s *Badger) EraseRequest(_ context.Context, cpasID, id string, audit store.AuditEntry) (_ store.Erasure, err error) {
	defer store.Wrap(&err, "badger: EraseRequest(%s, %s)", cpasID, id)
	var e store.Erasure
	var queued int64
	err = s.w.do(func(txn *badger.Txn) error {
		var err error
		e, queued, err = s.erase(txn, cpasID, id, audit)
		return err
	}, func() { s.queue.Add(queued) })
	return e, err
}

func (s *Badger) erase(txn *badger.Txn, cpasID, id string, audit store.AuditEntry) (store.Erasure, int64, error) {
	var old api.Request
	if err := getJSON(txn, requestKey(cpasID, id), &old); err != nil {
		return store.Erasure{}, 0, err
	}
	if old.Status == api.StatusErased {
		return store.Erasure{}, 0, store.ErrErased
	}
	var c store.CPAS
	if err := getJSON(txn, cpasKey(cpasID), &c); err != nil {
		return store.Erasure{}, 0, err
	}
	var queued int64
	if old.Status == api.StatusSent {
		queued = -1
	}
	for _, key := range [][]byte{indexKey(c.OfficeID, &old), changeKey(cpasID, old.Seq), endCheckKey(cpasID, old.RootID, id)} {
		if err := txn.Delete(key); err != nil {
			return store.Erasure{}, 0, err
		}
	}
	files, err := dropFiles(txn, &old)
	if err != nil {
		return store.Erasure{}, 0, err
	}
	if err := putMark(txn, &old, s.now().UTC().Format(time.RFC3339)); err != nil {
		return store.Erasure{}, 0, err
	}
	if err := releaseUsage(txn, cpasID, store.Usage{Requests: 1}); err != nil { // the mark holds no data
		return store.Erasure{}, 0, err
	}
	if err := txn.Set(keyPurge, nil); err != nil {
		return store.Erasure{}, 0, err
	}
	audit.CPASID, audit.RequestID = cpasID, id
	return store.Erasure{Files: files}, queued, s.appendAudit(txn, audit)
}

// putMark replaces the request by its erased mark at the CPAS's next
// change sequence.
func putMark(txn *badger.Txn, old *api.Request, now string) error {
	seq, err := next(txn, seqKey(old.CPASID))
	if err != nil {
		return err
	}
	mark := api.Request{Submission: api.Submission{ID: old.ID, Kind: old.Kind}, CPASID: old.CPASID,
		RootID: old.RootID, Status: api.StatusErased, Seq: seq, UpdatedAt: now}
	if err := setRequest(txn, &mark); err != nil {
		return err
	}
	return txn.Set(changeKey(old.CPASID, seq), []byte(old.ID))
}

// dropFiles deletes the request's attachments that no other stored request
// of its CPAS names (files are stored once per CPAS by content).
func dropFiles(txn *badger.Txn, r *api.Request) (int, error) {
	if len(r.Attachments) == 0 {
		return 0, nil
	}
	used, err := filesInUse(txn, r.CPASID, r.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sha := range r.Attachments {
		if used[sha] {
			continue
		}
		if err := deleteFile(txn, r.CPASID, sha); err != nil {
			return n, err
		}
		used[sha] = true // named twice: deleted once
		n++
	}
	return n, nil
}

// filesInUse is the set of attachments the CPAS's requests name, the one
// with id except.
func filesInUse(txn *badger.Txn, cpasID, except string) (map[string]bool, error) {
	used := map[string]bool{}
	err := scanJSON(txn, k("r/%s/", cpasID), nil, func(_ []byte, r api.Request) bool {
		if r.ID != except {
			for _, sha := range r.Attachments {
				used[sha] = true
			}
		}
		return true
	})
	return used, err
}

// deleteFile deletes a stored file and takes it off its CPAS's usage.
func deleteFile(txn *badger.Txn, cpasID, sha string) error {
	var a store.Attachment
	if err := getJSON(txn, attachmentKey(cpasID, sha), &a); err != nil {
		return err
	}
	if err := txn.Delete(attachmentKey(cpasID, sha)); err != nil {
		return err
	}
	if err := txn.Delete(attachmentDataKey(cpasID, sha)); err != nil {
		return err
	}
	return releaseUsage(txn, cpasID, store.Usage{AttachmentBytes: a.Size, Attachments: 1})
}

// ScanAttachments calls fn with every stored attachment's description
// until fn returns false.
func (s *Badger) ScanAttachments(_ context.Context, fn func(store.Attachment) bool) (err error) {
	defer store.Wrap(&err, "badger: ScanAttachments")
	return s.db.View(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte("f/"), nil, func(_ []byte, a store.Attachment) bool { return fn(a) })
	})
}

// DeleteUnusedAttachment deletes an uploaded file that no request of its
// CPAS names (an upload never attached, at the end of its retention); it
// reports false, and deletes nothing, when a request names it meanwhile.
func (s *Badger) DeleteUnusedAttachment(_ context.Context, cpasID, sha string, audit store.AuditEntry) (_ bool, err error) {
	defer store.Wrap(&err, "badger: DeleteUnusedAttachment(%s, %s)", cpasID, sha)
	var deleted bool
	err = s.w.do(func(txn *badger.Txn) error {
		deleted = false
		if ok, err := exists(txn, attachmentKey(cpasID, sha)); err != nil || !ok {
			return err
		}
		used, err := filesInUse(txn, cpasID, "")
		if err != nil || used[sha] {
			return err
		}
		if err := deleteFile(txn, cpasID, sha); err != nil {
			return err
		}
		if err := txn.Set(keyPurge, nil); err != nil {
			return err
		}
		audit.CPASID, audit.Object = cpasID, sha
		deleted = true
		return s.appendAudit(txn, audit)
	}, nil)
	return deleted, err
}

// keyPad is the value Compact writes to close the value-log file being
// written (see Compact).
var keyPad = []byte("m/pad")

// Compact pushes deleted and erased values off the disk, so that an
// erasure is an erasure of the files too and not only of the answers.
// Badger keeps a deleted value until (1) the memtable holding its last
// write is flushed, (2) compaction drops the versions the deletion hides
// and (3) value-log GC rewrites the value-log file that holds it; the file
// being written is never rewritten until it is full. So Compact:
//
//  1. writes a padding value as large as a value-log file and deletes it,
//     which closes the file being written;
//  2. flushes the memtables (DropPrefix of a marker key: Badger's only
//     public flush), with no other write in flight;
//  3. compacts the whole tree into one level (Flatten), which drops the
//     hidden versions and counts the value-log bytes they held;
//  4. rewrites every value-log file that holds any such byte.
//
// It costs a rewrite of the files with garbage: run it after erasures, not
// on every write. The erased data stays in backups made before (README,
// "Personal data").
func (s *Badger) Compact(ctx context.Context) (err error) {
	defer store.Wrap(&err, "badger: Compact")
	pad := make([]byte, s.db.Opts().ValueLogFileSize)
	if err := s.w.doIn(roomFor(len(pad)), func(txn *badger.Txn) error { return txn.Set(keyPad, pad) }, nil); err != nil {
		return fmt.Errorf("store: compact: close the value log: %w", err)
	}
	if err := s.w.do(func(txn *badger.Txn) error { return txn.Delete(keyPad) }, nil); err != nil {
		return fmt.Errorf("store: compact: close the value log: %w", err)
	}
	err = s.w.exclusive(func() error {
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(keyFlush, []byte{1}) }); err != nil {
			return err
		}
		return s.db.DropPrefix(keyFlush)
	})
	if err != nil {
		return fmt.Errorf("store: compact: flush: %w", err)
	}
	if err := s.db.Flatten(1); err != nil {
		return fmt.Errorf("store: compact: flatten: %w", err)
	}
	for ctx.Err() == nil {
		err := s.db.RunValueLogGC(anyGarbage)
		if errors.Is(err, badger.ErrNoRewrite) {
			break
		}
		if errors.Is(err, badger.ErrRejected) { // the GC timer's pass is running
			time.Sleep(50 * time.Millisecond)
		} else if err != nil {
			return fmt.Errorf("store: compact: value log: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.w.do(func(txn *badger.Txn) error { return txn.Delete(keyPurge) }, nil)
}

// keyFlush is the marker Compact drops to flush the memtables.
var keyFlush = []byte("m/flush")

// anyGarbage is the smallest discard ratio Badger accepts: rewrite a
// value-log file for a single erased value.
const anyGarbage = 1e-9

// purgePending says whether an erasure still waits for Compact.
func (s *Badger) purgePending() bool {
	var ok bool
	s.db.View(func(txn *badger.Txn) error {
		var err error
		ok, err = exists(txn, keyPurge)
		return err
	})
	return ok
}
