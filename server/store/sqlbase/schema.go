package sqlbase

import (
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations holds the schema's numbered migration files,
// migrations/NNNN_name.sql: the SQLite store applies them at open
// (Migrate), the D1 store's database gets them from wrangler d1 migrations
// (wrangler.toml names this directory), so both run the same schema.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Migrate applies the migrations not applied yet, in the order of their
// numbers, each in one transaction with its row in schema_migrations;
// init, when not nil, runs in the transaction of each migration applied.
func Migrate(db *sql.DB, init func(tx *sql.Tx, version int) error) error {
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	names, err := fs.Glob(Migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateOne(db, name, init); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

func migrateOne(db *sql.DB, name string, init func(tx *sql.Tx, version int) error) error {
	n, _, _ := strings.Cut(filepath.Base(name), "_")
	version, err := strconv.Atoi(n)
	if err != nil {
		return errors.New("a migration's name must start with its number")
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRow(`SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&done); err != nil || done > 0 {
		return err
	}
	body, err := Migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return err
	}
	if init != nil {
		if err := init(tx, version); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version,
		time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// The key check: the first open seals a known value in meta ('key_check'),
// each later open must open it, so that a wrong key is refused at open
// instead of failing every read (store.ErrWrongKey).
const keyCheckAD, keyCheckPlain = "meta.key_check", "art60"

// KeyCheck is the value to store under meta 'key_check' in a new store.
func (s *Sealer) KeyCheck() string {
	return hex.EncodeToString(s.Seal(keyCheckAD, []byte(keyCheckPlain)))
}

// OpensKeyCheck says whether a stored key check was sealed under this key.
func (s *Sealer) OpensKeyCheck(v string) bool {
	sealed, err := hex.DecodeString(v)
	if err != nil {
		return false
	}
	_, err = s.Open(keyCheckAD, sealed)
	return err == nil
}
