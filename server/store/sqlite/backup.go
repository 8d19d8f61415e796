package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// A SQLite backup is a copy of the database file (VACUUM INTO: one
// consistent snapshot, taken while writes go on) sealed in Badger's backup
// format (store.SealBackup), so a backup file needs the store key too. The
// database file itself already holds no readable personal data.

// sqliteMagic starts every SQLite database file: Restore tells a SQLite
// backup from a Badger one by it.
var sqliteMagic = []byte("SQLite format 3\x00")

// Backup implements store.Store.
func (s *Store) Backup(w io.Writer) (err error) {
	defer store.Wrap(&err, "sqlite: Backup")
	tmp, err := s.snapshot()
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer os.Remove(tmp)
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	sw, err := store.SealBackup(w, s.seal.StoreKey())
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := io.Copy(sw, f); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return sw.Close()
}

// snapshot copies the database into a new file beside it (same directory,
// same permissions) and returns its name. VACUUM INTO needs a connection
// that may write (to the new file), so it gets its own.
func (s *Store) snapshot() (string, error) {
	f, err := os.CreateTemp(filepath.Dir(s.path), ".backup-*.db")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	os.Remove(name) // VACUUM INTO wants a file that does not exist
	db, err := sql.Open("sqlite", dsn(s.path, false))
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `VACUUM INTO ?`, name); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// IsBackup says whether the opened backup stream (store.OpenBackup) holds
// a SQLite database; it reads the first bytes of it.
func IsBackup(plain io.Reader) (bool, io.Reader, error) {
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(plain, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, nil, err
	}
	return bytes.Equal(head[:n], sqliteMagic), io.MultiReader(bytes.NewReader(head[:n]), plain), nil
}

// Restore loads a SQLite backup into dir, which must be missing or empty,
// gives the restored store a new sync epoch (every device resynchronises)
// and drops the sessions (one signed out after the backup would come back
// to life), as badgerstore.Restore does for Badger.
func Restore(r io.Reader, dir string, key []byte, log *slog.Logger) (err error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("store: restore: %s is not empty", dir)
	}
	sealer, err := sqlbase.NewSealer(key)
	if err != nil {
		return err
	}
	plain, err := store.OpenBackup(r, sealer.StoreKey())
	if err != nil {
		return err
	}
	ok, plain, err := IsBackup(plain)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("store: restore: this backup is not of a SQLite store")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := writeFile(filepath.Join(dir, FileName), plain); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	s, err := Open(Config{Dir: dir, Key: key, Logger: log})
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	return s.w.do(func(t *wtx) error {
		var b batch
		b.Add(`DELETE FROM sessions`)
		b.Add(`UPDATE meta SET value = ? WHERE name = 'epoch'`, store.NewEpoch())
		return t.execAll(b)
	})
}

// writeFile writes the whole stream (reaching its last chunk detects a
// truncated backup) and syncs it.
func writeFile(name string, r io.Reader) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
