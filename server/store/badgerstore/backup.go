package badgerstore

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// Backup implements Store: an online, consistent copy (a snapshot at the
// moment it starts; writes go on meanwhile).
func (s *Badger) Backup(w io.Writer) (err error) {
	defer store.Wrap(&err, "badger: Backup")
	sw, err := store.SealBackup(w, s.key)
	if err != nil {
		return err
	}
	if _, err := s.db.Backup(sw, 0); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return sw.Close()
}

// Restore loads a backup into dir, which must be missing or empty, and gives
// the restored store a new sync epoch so that every device resynchronises.
func Restore(r io.Reader, dir string, key []byte, log *slog.Logger) (err error) {
	if err := checkEmpty(dir); err != nil {
		return err
	}
	if log == nil {
		log = slog.Default()
	}
	or, err := store.OpenBackup(r, key)
	if err != nil {
		return err
	}
	db, err := badger.Open(options(dir, key, log))
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer func() {
		err = errors.Join(err, db.Close())
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := db.Load(bufio.NewReaderSize(or, 1<<20), 64); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := io.Copy(io.Discard, or); err != nil { // reach the last chunk: detects truncation
		return err
	}
	// Sessions are not restored: one signed out after the backup would
	// come back to life. Everyone signs in again on the restored store.
	if err := db.DropPrefix(sessionKey("")); err != nil {
		return fmt.Errorf("store: restore: drop sessions: %w", err)
	}
	return db.Update(func(txn *badger.Txn) error { return txn.Set(keyEpoch, []byte(store.NewEpoch())) })
}

func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("store: restore: %s is not empty", dir)
	}
	return nil
}
