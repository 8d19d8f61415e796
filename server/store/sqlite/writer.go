package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"art60/server/store"
	"art60/server/store/sqlbase"

	"modernc.org/sqlite"
)

// writer runs every write on one connection, in one goroutine, and commits
// the operations that queued up during the previous commit together: one
// fsync for many clients (group commit, as server/store/writer.go does for
// Badger). Each operation runs inside a savepoint, so one that fails is
// rolled back alone and the others of its batch still commit; each sees
// the writes of the operations before it.
//
// The writer also keeps the audit chain's head (the last sequence number
// and hash), so that appending an entry is an INSERT computed in Go with
// nothing to read first; the audit table's primary key on seq would refuse
// an entry computed from a stale head. It writes the audit counter once per
// commit, in the commit.
type writer struct {
	conn  *sql.Conn
	db    *sql.DB
	stmts map[string]*sql.Stmt
	head  sqlbase.AuditHead
	ops   chan *op
	mu    sync.RWMutex
	shut  bool
	done  chan struct{}
}

// op is one atomic operation; alone, when set, runs instead of fn outside
// any transaction, between two batches.
type op struct {
	fn    func(t *wtx) error
	alone func(conn *sql.Conn) error
	err   chan error
}

const maxBatch = 128

func newWriter(db *sql.DB) (*writer, error) {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	w := &writer{conn: conn, db: db, stmts: map[string]*sql.Stmt{}, ops: make(chan *op, 1024), done: make(chan struct{})}
	if err := w.loadHead(); err != nil {
		conn.Close()
		return nil, err
	}
	go w.loop()
	return w, nil
}

// loadHead reads the audit counter and the hash of the entry it names.
func (w *writer) loadHead() error {
	ctx := context.Background()
	var v string
	if err := w.conn.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'audit_seq'`).Scan(&v); err != nil {
		return fmt.Errorf("store: read the audit counter: %w", err)
	}
	seq, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("store: read the audit counter: %w", err)
	}
	w.head.Seq = seq
	var raw string
	err = w.conn.QueryRowContext(ctx, `SELECT entry FROM audit WHERE seq = ?`, seq).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: read the last audit entry: %w", err)
	}
	var e store.AuditEntry
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return fmt.Errorf("store: read the last audit entry: %w", err)
	}
	w.head.Hash = e.Hash
	return nil
}

// do runs fn in a write transaction and returns once it is durable.
func (w *writer) do(fn func(t *wtx) error) error {
	return w.send(&op{fn: fn, err: make(chan error, 1)})
}

// exclusive runs fn between two batches, with no transaction open.
func (w *writer) exclusive(fn func(conn *sql.Conn) error) error {
	return w.send(&op{alone: fn, err: make(chan error, 1)})
}

func (w *writer) send(o *op) error {
	w.mu.RLock()
	if w.shut {
		w.mu.RUnlock()
		return store.ErrClosed
	}
	w.ops <- o
	w.mu.RUnlock()
	return <-o.err
}

func (w *writer) close() error {
	w.mu.Lock()
	if !w.shut {
		w.shut = true
		close(w.ops)
	}
	w.mu.Unlock()
	<-w.done
	for _, st := range w.stmts {
		st.Close()
	}
	return errors.Join(w.conn.Close(), w.db.Close())
}

func (w *writer) loop() {
	defer close(w.done)
	for o := range w.ops {
		if o.alone != nil {
			o.err <- o.alone(w.conn)
			continue
		}
		batch := []*op{o}
	fill:
		for len(batch) < maxBatch {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				if o.alone != nil {
					w.commit(batch)
					batch = nil
					o.err <- o.alone(w.conn)
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		if len(batch) > 0 {
			w.commit(batch)
		}
	}
}

// commit runs a batch in one transaction, each operation in a savepoint.
// When the whole transaction fails (SQLite rolls it back by itself on some
// errors, such as a full disk), each operation is run again alone, so that
// one operation does not fail the others; operations may run more than
// once and reset what they report.
func (w *writer) commit(batch []*op) {
	errs := make([]error, len(batch))
	if err := w.run(batch, errs); err != nil {
		if len(batch) > 1 {
			for _, o := range batch {
				w.commit([]*op{o})
			}
			return
		}
		errs[0] = err
	}
	for i, o := range batch {
		o.err <- full(errs[i])
	}
}

// full gives SQLite's "database or disk is full" (SQLITE_FULL) as
// store.ErrStorageFull, which the API answers 503 storage_full, as for
// Badger. SQLite writes with pwrite, not through memory-mapped files: on a
// full disk the write fails and is rolled back, and the process goes on,
// so this store keeps no reserve (store.Space).
func full(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == 13 { // SQLITE_FULL
		return fmt.Errorf("%w (%v)", store.ErrStorageFull, err)
	}
	return err
}

// run reports the operations' own errors in errs and returns an error that
// fails the whole batch (nothing of it is written then).
func (w *writer) run(batch []*op, errs []error) error {
	ctx := context.Background()
	start := w.head
	if _, err := w.conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &wtx{w: w, ctx: ctx}
	for i, o := range batch {
		before := w.head
		if _, err := w.conn.ExecContext(ctx, `SAVEPOINT op`); err != nil {
			return w.abort(start, err)
		}
		if errs[i] = o.fn(t); errs[i] != nil {
			w.head = before
			if _, err := w.conn.ExecContext(ctx, `ROLLBACK TO op`); err != nil {
				// SQLite rolled the transaction back by itself: the
				// batch is lost (the operation's error comes first).
				return w.abort(start, errors.Join(errs[i], err))
			}
		}
		if _, err := w.conn.ExecContext(ctx, `RELEASE op`); err != nil {
			return w.abort(start, err)
		}
	}
	if w.head.Seq != start.Seq {
		if _, err := t.exec(`UPDATE meta SET value = ? WHERE name = 'audit_seq'`, strconv.FormatInt(w.head.Seq, 10)); err != nil {
			return w.abort(start, err)
		}
	}
	if _, err := w.conn.ExecContext(ctx, `COMMIT`); err != nil {
		return w.abort(start, err)
	}
	return nil
}

// abort rolls the batch back and puts the audit head back where it was.
func (w *writer) abort(head sqlbase.AuditHead, err error) error {
	w.head = head
	if _, rerr := w.conn.ExecContext(context.Background(), `ROLLBACK`); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return fmt.Errorf("store: write: %w", err)
}

// wtx is the transaction an operation writes in. Its statements are
// prepared once on the writer's connection and reused.
type wtx struct {
	w   *writer
	ctx context.Context
}

func (t *wtx) stmt(q string) (*sql.Stmt, error) {
	if st, ok := t.w.stmts[q]; ok {
		return st, nil
	}
	st, err := t.w.conn.PrepareContext(t.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: prepare %q: %w", q, err)
	}
	t.w.stmts[q] = st
	return st, nil
}

func (t *wtx) exec(q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

// execAll runs statements one after the other, none reading what another
// wrote: the shape of a D1 batch.
func (t *wtx) execAll(b batch) error {
	for _, s := range b {
		if _, err := t.exec(s.SQL, s.Args...); err != nil {
			return err
		}
	}
	return nil
}

func (t *wtx) queryRow(q string, args ...any) *sql.Row {
	st, err := t.stmt(q)
	if err != nil {
		return t.w.conn.QueryRowContext(t.ctx, q, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(t.ctx, args...)
}

// batch is a list of statements that read nothing back.
type batch = sqlbase.Statements

// row is queryRow as sqlbase's shared reads take it.
func (t *wtx) row(q string, args ...any) sqlbase.Row { return t.queryRow(q, args...) }
