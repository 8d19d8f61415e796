package badgerstore

import (
	"context"
	"errors"
	"fmt"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// PutAttachment implements Store. Files are content-addressed, so storing
// the same file twice keeps one copy (counted once in the CPAS's usage); the
// upload is audited either way. A new file over the CPAS's quota is refused
// with ErrQuotaExceeded and nothing is written, not even the audit entry.
func (s *Badger) PutAttachment(_ context.Context, a store.Attachment, data []byte, audit store.AuditEntry) (err error) {
	defer store.Wrap(&err, "badger: PutAttachment")
	var refused error
	err = s.w.doIn(roomFor(len(data)), func(txn *badger.Txn) error {
		refused = nil
		ok, err := exists(txn, attachmentKey(a.CPASID, a.SHA256))
		if err != nil {
			return err
		}
		if !ok {
			err := s.storeAttachment(txn, a, data)
			if errors.Is(err, store.ErrQuotaExceeded) {
				// Refused inside a successful operation, so that the other
				// operations of the group commit are not retried for it.
				refused = err
				return nil
			}
			if err != nil {
				return err
			}
		}
		return s.appendAudit(txn, audit)
	}, nil)
	if err != nil {
		return err
	}
	return refused
}

// storeAttachment counts a new file in its CPAS's usage and writes it, or
// returns ErrQuotaExceeded having written nothing.
func (s *Badger) storeAttachment(txn *badger.Txn, a store.Attachment, data []byte) error {
	if err := s.addAttachmentUsage(txn, a.CPASID, int64(len(data))); err != nil {
		return err
	}
	if err := txn.Set(attachmentDataKey(a.CPASID, a.SHA256), data); err != nil {
		return err
	}
	return setJSON(txn, attachmentKey(a.CPASID, a.SHA256), a)
}

// Attachment implements Store.
func (s *Badger) Attachment(_ context.Context, cpasID, sha string) (_ store.Attachment, _ []byte, err error) {
	defer store.Wrap(&err, "badger: Attachment(%s, %s)", cpasID, sha)
	var a store.Attachment
	var data []byte
	err = s.db.View(func(txn *badger.Txn) error {
		if err := getJSON(txn, attachmentKey(cpasID, sha), &a); err != nil {
			return err
		}
		item, err := txn.Get(attachmentDataKey(cpasID, sha))
		if err != nil {
			return err
		}
		data, err = item.ValueCopy(nil)
		if err != nil {
			return err
		}
		// Badger answers a value it cannot read from its value log (its
		// checksum verified on read) with empty bytes and no error
		// (filecheck.go): never hand those out. The API refuses empty
		// uploads; art60 admin check compares every upload with its SHA-256.
		if len(data) == 0 || a.Size > 0 && a.Size != int64(len(data)) {
			return fmt.Errorf("%w: attachment %s of CPAS %s: %d bytes read of %d (run art60 admin check)", ErrDamaged, sha, cpasID, len(data), a.Size)
		}
		return nil
	})
	return a, data, err
}
