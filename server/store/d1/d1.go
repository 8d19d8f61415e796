// Package d1 is art60's store for Cloudflare D1 (SQLite at the edge), with
// the schema, the sealing of personal columns and the key check of the
// SQLite store (server/store/sqlbase). D1 has no interactive transaction:
// every operation here is some reads, then one batch of statements that D1
// runs atomically. What a batch relies on is guarded in the batch itself,
// so that a batch built on reads another writer has since changed fails as
// a whole and the operation runs again from fresh reads (write):
//
//   - the audit chain's head is read first; each batch that appends entries
//     inserts them at the next sequence numbers, and the audit table's
//     primary key refuses a second batch built on the same head. Every
//     change of a request, an attachment or an idempotency record is
//     audited, so those operations are serialised by the chain;
//   - a read-modify-write of one row (a user, a session, a mail) checks in
//     its batch that the row still holds what was read (guard);
//   - a repeated mutation fails on the primary key of its stored result,
//     and its next run finds and returns that result.
//
// The store talks to an Executor: on a D1 binding in the Worker
// (executor_js.go), or on modernc.org/sqlite for the tests and native runs
// (executor_sqlite.go), whose batches run in BEGIN IMMEDIATE … COMMIT.
package d1

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"art60/server/store"
	"art60/server/store/sqlbase"
)

// Config opens a D1 store.
type Config struct {
	Exec   Executor
	Key    []byte // the store key, 32 bytes
	Logger *slog.Logger
	// Now is the clock sessions expire by and that stamps the outbox, the
	// audit trail and the stored mutation results; nil is the wall clock.
	Now func() time.Time
	// Quota bounds what each CPAS stores (store.Quota); zero fields leave
	// that side unbounded.
	Quota store.Quota
}

// Store is the D1 store.
type Store struct {
	x     Executor
	seal  *sqlbase.Sealer
	log   *slog.Logger
	now   func() time.Time
	quota store.Quota

	mu             sync.Mutex
	resultsPurged  time.Time // when expired mutation results were last dropped (store clock)
	failuresPurged time.Time // the window's start when old sign-in failures were last dropped
}

var _ store.Store = (*Store)(nil)

// Open opens the store on a database that has the schema (wrangler d1
// migrations apply it on D1; OpenSQLite applies it natively) and fills its
// meta rows the first time: the sync epoch, the audit counter and the key
// check; store.ErrWrongKey when the key is not the store's.
func Open(ctx context.Context, c Config) (*Store, error) {
	if len(c.Key) != 32 {
		return nil, errors.New("store: the encryption key must be 32 bytes")
	}
	s := &Store{x: c.Exec, log: c.Logger, now: c.Now, quota: c.Quota}
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
	if err := s.init(ctx); err != nil {
		return nil, fmt.Errorf("store: open the D1 store: %w", err)
	}
	return s, nil
}

// init reads the key check, and writes the meta rows first (each only if
// missing: two Workers may start at once) when it is not there yet.
func (s *Store) init(ctx context.Context) error {
	check, err := s.metaValue(ctx, "key_check")
	if errors.Is(err, store.ErrNotFound) {
		err = s.x.Batch(ctx, []Statement{{SQL: `INSERT OR IGNORE INTO meta (name, value) VALUES ('epoch', ?), ('audit_seq', '0'), ('key_check', ?)`,
			Args: []any{store.NewEpoch(), s.seal.KeyCheck()}}})
		if err == nil {
			check, err = s.metaValue(ctx, "key_check")
		}
	}
	if err != nil {
		return err
	}
	if !s.seal.OpensKeyCheck(check) {
		return fmt.Errorf("%w: the database was created with another key; set the secret that belongs to it (%s), never a new one",
			store.ErrWrongKey, store.KeyEnv)
	}
	return nil
}

func (s *Store) metaValue(ctx context.Context, name string) (string, error) {
	var v string
	err := s.row(ctx, `SELECT value FROM meta WHERE name = ?`, name).Scan(&v)
	return v, err
}

// Now implements store.Store.
func (s *Store) Now() time.Time { return s.now() }

// Close implements store.Store; the executor is the caller's to close.
func (s *Store) Close() error { return nil }

// Backup implements store.Store: not on D1, whose backups are its own
// (Time Travel, wrangler d1 export; the sealed columns stay sealed there).
func (s *Store) Backup(io.Writer) error {
	return fmt.Errorf("d1: Backup: %w: D1 keeps its own backups (Time Travel, wrangler d1 export)", errors.ErrUnsupported)
}

// Compact implements store.Store: not on D1. The store deletes the erased
// values; D1 alone decides when they leave its storage and its Time Travel
// history (30 days).
func (s *Store) Compact(context.Context) error {
	return fmt.Errorf("d1: Compact: %w: D1 removes deleted values from its storage by itself", errors.ErrUnsupported)
}

// maxAttempts bounds how often an operation is run again after its batch
// lost a race: with every writer one batch ahead, 50 writers at once need
// 50 rounds at worst.
const maxAttempts = 100

// write runs one whole operation: build does its reads and adds the
// statements of its one batch to b (none: nothing to write). A batch
// refused by a constraint (ErrConflict), or an answer given without a
// batch while the audit head moved, is built again from fresh reads, after
// a short random pause so that the writers that collided spread out.
func (s *Store) write(ctx context.Context, build func(b *batch) error) error {
	for attempt := 1; ; attempt++ {
		b := &batch{s: s, ctx: ctx}
		if err := s.readHead(b); err != nil {
			return err
		}
		err := build(b)
		if err != nil || len(b.Statements) == 0 {
			// An answer read without writing (a refusal, a replay, an
			// error) holds if no audited batch committed during the reads.
			moved, herr := s.headMoved(b)
			if herr != nil {
				return errors.Join(err, herr)
			}
			if !moved || attempt == maxAttempts {
				return err
			}
		} else {
			if b.head.Seq != b.start {
				b.Add(`UPDATE meta SET value = ? WHERE name = 'audit_seq'`, strconv.FormatInt(b.head.Seq, 10))
			}
			err = s.x.Batch(ctx, b.Statements)
			if !errors.Is(err, ErrConflict) || attempt == maxAttempts {
				return err
			}
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// pause waits a short random time before the next attempt of a batch that
// lost a race, longer after each, so that the writers that collided spread
// out.
func pause(ctx context.Context, attempt int) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(rand.IntN(1000*attempt)) * time.Microsecond):
		return nil
	}
}

// batch is the statements of one operation and the audit head they build on.
type batch struct {
	sqlbase.Statements
	s     *Store
	ctx   context.Context
	head  sqlbase.AuditHead
	start int64 // the head's seq as read
}

// guard fails the batch (NOT NULL constraint of meta.value, ErrConflict)
// unless the query, run inside the batch, finds a row: it is how a batch
// checks that what its operation read is still there.
func (b *batch) guard(exists string, args ...any) {
	b.Add(`INSERT INTO meta (name, value) SELECT 'conflict', NULL WHERE NOT EXISTS (`+exists+`)`, args...)
}

// readHead reads the audit counter and the hash of the entry it names,
// first of all the operation's reads (see the package comment).
func (s *Store) readHead(b *batch) error {
	var counter string
	var raw sql.NullString
	err := s.row(b.ctx, `SELECT m.value, a.entry FROM meta m LEFT JOIN audit a ON a.seq = CAST(m.value AS INTEGER)
		WHERE m.name = 'audit_seq'`).Scan(&counter, &raw)
	if err != nil {
		return fmt.Errorf("store: read the audit counter: %w", err)
	}
	if b.head.Seq, err = strconv.ParseInt(counter, 10, 64); err != nil {
		return fmt.Errorf("store: read the audit counter: %w", err)
	}
	b.start = b.head.Seq
	if raw.Valid {
		var e store.AuditEntry
		if err := json.Unmarshal([]byte(raw.String), &e); err != nil {
			return fmt.Errorf("store: read the last audit entry: %w", err)
		}
		b.head.Hash = e.Hash
	}
	return nil
}

// headMoved says whether the audit counter moved since the operation read
// it.
func (s *Store) headMoved(b *batch) (bool, error) {
	v, err := s.metaValue(b.ctx, "audit_seq")
	if err != nil {
		return false, fmt.Errorf("store: read the audit counter: %w", err)
	}
	return v != strconv.FormatInt(b.start, 10), nil
}

// rows is row as sqlbase's shared queries take it.
func (s *Store) rows(ctx context.Context) sqlbase.QueryRow {
	return func(q string, args ...any) sqlbase.Row { return s.row(ctx, q, args...) }
}

// row runs a query for one row; Scan answers store.ErrNotFound when there
// is none.
func (s *Store) row(ctx context.Context, q string, args ...any) row {
	rows, err := s.x.Query(ctx, q, args...)
	return row{rows, err}
}

type row struct {
	rows Rows
	err  error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return store.ErrNotFound
	}
	return r.rows.Scan(dest...)
}

// query is the executor's Query as sqlbase's shared reads take it.
func (s *Store) query(ctx context.Context) sqlbase.Query {
	return func(q string, args ...any) (sqlbase.Rows, error) { return s.x.Query(ctx, q, args...) }
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
