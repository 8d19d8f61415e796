// Package stores opens the store a data directory holds, Badger or SQLite
// (server/store, server/store/sqlite), and restores a backup of either: the
// server and the admin commands choose through it.
package stores

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"art60/server/store"
	"art60/server/store/badgerstore"
	"art60/server/store/sqlite"
)

// The kinds of store.
const (
	Badger = "badger" // the default for a new data directory
	SQLite = "sqlite"
)

// Config opens a store of Kind in Dir; an empty Kind is the kind the
// directory holds (Held), Badger for a new one.
type Config struct {
	Kind   string
	Dir    string
	Key    []byte
	Logger *slog.Logger
	Now    func() time.Time
	// GCInterval and Space are Badger's (badgerstore.Config). SQLite has no GC
	// timer, and writes through pwrite: on a full disk a write fails
	// (store.ErrStorageFull) instead of killing the process, so it keeps
	// no reserve.
	GCInterval time.Duration
	Space      store.Space
	// Quota bounds what each CPAS stores; both stores enforce it.
	Quota store.Quota
}

// Held says which kind of store dir holds: SQLite when it has the SQLite
// database file, Badger when it has Badger's manifest, "" when neither.
func Held(dir string) string {
	switch {
	case exists(filepath.Join(dir, sqlite.FileName)):
		return SQLite
	case exists(filepath.Join(dir, "MANIFEST")):
		return Badger
	}
	return ""
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

// Open opens the store. A kind that is not the one the directory holds is
// refused: the other store would start empty beside the data.
func Open(c Config) (store.Store, error) {
	held := Held(c.Dir)
	kind := c.Kind
	if kind == "" {
		kind = held
	}
	if kind == "" {
		kind = Badger
	}
	if held != "" && held != kind {
		return nil, fmt.Errorf("store: %s holds a %s store, not %s: choose -store %s (or ART60_STORE), or another data directory",
			c.Dir, held, kind, held)
	}
	switch kind {
	case Badger:
		return badgerstore.Open(badgerstore.Config{Dir: c.Dir, Key: c.Key, Logger: c.Logger, Now: c.Now, GCInterval: c.GCInterval, Space: c.Space, Quota: c.Quota})
	case SQLite:
		return sqlite.Open(sqlite.Config{Dir: c.Dir, Key: c.Key, Logger: c.Logger, Now: c.Now, Quota: c.Quota})
	}
	return nil, fmt.Errorf("store: unknown store %q: badger or sqlite", kind)
}

// Restore loads a backup of either kind into dir (missing or empty), as
// badgerstore.Restore and sqlite.Restore do: the backup's own content says which.
func Restore(backup io.ReadSeeker, dir string, key []byte, log *slog.Logger) error {
	plain, err := store.OpenBackup(backup, key)
	if err != nil {
		return err
	}
	isSQLite, _, err := sqlite.IsBackup(plain)
	if err != nil {
		return err
	}
	if _, err := backup.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if isSQLite {
		return sqlite.Restore(backup, dir, key, log)
	}
	return badgerstore.Restore(backup, dir, key, log)
}
