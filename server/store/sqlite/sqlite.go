// Package sqlite is the SQLite implementation of store.Store, through the
// pure-Go driver modernc.org/sqlite. Personal data is sealed in its columns
// with AES-256-GCM under the store key (server/store/sqlbase), so the database file holds
// no readable NISS or name; server/README.md, "The SQLite store", describes
// the schema and what a port to Cloudflare D1 must change.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"

	"modernc.org/sqlite"
)

// Config opens a SQLite store.
type Config struct {
	Dir    string // the directory of the database file (FileName)
	Key    []byte // the store key, 32 bytes
	Logger *slog.Logger
	// Now is the clock sessions expire by and that stamps the outbox, the
	// audit trail and the stored mutation results; nil is the wall clock.
	Now func() time.Time
	// Quota bounds what each CPAS stores (store.Quota); zero fields leave
	// a limit off.
	Quota store.Quota
}

// FileName is the database file in Config.Dir; its presence tells the
// admin commands that a directory holds a SQLite store.
const FileName = "art60.db"

// Store is the SQLite store.
type Store struct {
	path  string
	rdb   *sql.DB // the readers
	cdb   *sql.DB // the checkpointer (checkpoint.go)
	w     *writer // the one writing connection
	seal  *sqlbase.Sealer
	log   *slog.Logger
	now   func() time.Time
	quota store.Quota
	lock  *os.File
	// resultsPurged is when record last dropped expired mutation results
	// (store clock); only the writer's goroutine touches it.
	resultsPurged time.Time
	close         sync.Once

	stopCkpt, ckptDone chan struct{}
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the store in c.Dir; store.ErrLocked when
// another process has it open.
func Open(c Config) (*Store, error) {
	if len(c.Key) != 32 {
		return nil, errors.New("store: the encryption key must be 32 bytes")
	}
	s := &Store{path: filepath.Join(c.Dir, FileName), log: c.Logger, now: c.Now, quota: c.Quota}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.seal, err = sqlbase.NewSealer(c.Key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", c.Dir, err)
	}
	if s.lock, err = lockFile(s.path + ".lock"); err != nil {
		return nil, err
	}
	if err := s.open(); err != nil {
		unlock(s.lock)
		return nil, err
	}
	if err := s.compactIfPending(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) open() error {
	wdb, err := sql.Open("sqlite", dsn(s.path, false)+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	// One connection writes: SQLite has one writer anyway, and the writer
	// goroutine owns the audit chain's head (writer.go).
	wdb.SetMaxOpenConns(1)
	if err := migrate(wdb); err != nil {
		wdb.Close()
		return err
	}
	if err := checkKey(wdb, s.seal, filepath.Dir(s.path)); err != nil {
		wdb.Close()
		return err
	}
	s.rdb, err = sql.Open("sqlite", dsn(s.path, true))
	if err != nil {
		wdb.Close()
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	s.rdb.SetMaxOpenConns(4)
	s.cdb, err = sql.Open("sqlite", dsn(s.path, false))
	if err == nil {
		s.cdb.SetMaxOpenConns(1)
		s.w, err = newWriter(wdb)
	}
	if err != nil {
		s.rdb.Close()
		if s.cdb != nil {
			s.cdb.Close()
		}
		wdb.Close()
		return err
	}
	s.startCheckpoints()
	return nil
}

// compactIfPending finishes an erasure whose Compact failed or was cut by
// a crash (the purge mark is still set).
func (s *Store) compactIfPending() error {
	var n int
	if err := s.rdb.QueryRow(`SELECT count(*) FROM meta WHERE name = 'purge'`).Scan(&n); err != nil || n == 0 {
		if err != nil {
			s.Close()
		}
		return err
	}
	if err := s.Compact(context.Background()); err != nil {
		s.Close()
		return err
	}
	return nil
}

// checkKey refuses a key that is not the store's (store.ErrWrongKey, the
// check of sqlbase.Sealer.KeyCheck).
func checkKey(db *sql.DB, seal *sqlbase.Sealer, dir string) error {
	var v string
	err := db.QueryRow(`SELECT value FROM meta WHERE name = 'key_check'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = db.Exec(`INSERT INTO meta (name, value) VALUES ('key_check', ?)`, seal.KeyCheck())
		return err
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", dir, err)
	}
	if !seal.OpensKeyCheck(v) {
		return fmt.Errorf("%w in %s: it was created with another key; start with the key file that belongs to this store "+
			"(or %s), never a new one", store.ErrWrongKey, dir, store.KeyEnv)
	}
	return nil
}

// dsn sets each connection up: WAL (readers never wait for the writer),
// synchronous=FULL (nothing is acknowledged before it is on disk, as
// Badger's SyncWrites), secure_delete (a deleted or replaced value is
// overwritten with zeros in the file, see Compact), foreign keys, and a
// busy timeout for the moments a checkpoint holds the file; the savepoint
// journals in memory (temp_store: each operation's savepoint would
// otherwise write a temporary file, measured at 9 % of a push's CPU).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)",
		"foreign_keys(ON)", "secure_delete(ON)", "temp_store(MEMORY)", "cache_size(-16384)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// migrate applies the shared schema (sqlbase.Migrations); the first
// migration's transaction also sets the sync epoch and the audit counter.
func migrate(db *sql.DB) error {
	return sqlbase.Migrate(db, func(tx *sql.Tx, version int) error {
		if version != 1 {
			return nil
		}
		_, err := tx.Exec(`INSERT INTO meta (name, value) VALUES ('epoch', ?), ('audit_seq', '0')`, store.NewEpoch())
		return err
	})
}

// Now implements store.Store.
func (s *Store) Now() time.Time { return s.now() }

// Close finishes pending writes and closes the database.
func (s *Store) Close() (err error) {
	defer store.Wrap(&err, "sqlite: Close")
	s.close.Do(func() {
		s.stopCheckpoints()
		err = errors.Join(s.w.close(), s.rdb.Close())
		unlock(s.lock)
	})
	return err
}

// isConstraint says whether err is a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == 19 // SQLITE_CONSTRAINT
}

// readTx runs fn in a read transaction: one snapshot of the database.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// reader is QueryRow on the readers' pool, as sqlbase's shared reads take it.
func (s *Store) reader(ctx context.Context) sqlbase.QueryRow {
	return func(q string, args ...any) sqlbase.Row { return s.rdb.QueryRowContext(ctx, q, args...) }
}

// readQuery is Query on the readers' pool.
func (s *Store) readQuery(ctx context.Context) sqlbase.Query {
	return func(q string, args ...any) (sqlbase.Rows, error) { return s.rdb.QueryContext(ctx, q, args...) }
}

// txRow and txQuery read in one read transaction (one snapshot).
func txRow(ctx context.Context, tx *sql.Tx) sqlbase.QueryRow {
	return func(q string, args ...any) sqlbase.Row { return tx.QueryRowContext(ctx, q, args...) }
}

func txQuery(ctx context.Context, tx *sql.Tx) sqlbase.Query {
	return func(q string, args ...any) (sqlbase.Rows, error) { return tx.QueryContext(ctx, q, args...) }
}
