package store

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// PutAttachment implements Store. Files are content-addressed, so storing
// the same file twice keeps one copy; the upload is audited either way.
func (s *Badger) PutAttachment(_ context.Context, a Attachment, data []byte, audit AuditEntry) error {
	return s.w.doIn(roomFor(len(data)), func(txn *badger.Txn) error {
		ok, err := exists(txn, attachmentKey(a.CPASID, a.SHA256))
		if err != nil {
			return err
		}
		if !ok {
			if err := txn.Set(attachmentDataKey(a.CPASID, a.SHA256), data); err != nil {
				return err
			}
			if err := setJSON(txn, attachmentKey(a.CPASID, a.SHA256), a); err != nil {
				return err
			}
		}
		return s.appendAudit(txn, audit)
	}, nil)
}

// Attachment implements Store.
func (s *Badger) Attachment(_ context.Context, cpasID, sha string) (Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := s.db.View(func(txn *badger.Txn) error {
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
