//go:build !(js && wasm)

package d1

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"

	"art60/server/store/sqlbase"

	"modernc.org/sqlite"
)

// SQLite is an Executor on a SQLite file through modernc.org/sqlite: the
// D1 store's tests and native runs. A batch is BEGIN IMMEDIATE … COMMIT on
// the one writing connection, as D1 runs it; reads go through a pool.
type SQLite struct {
	r, w *sql.DB
	mu   sync.Mutex // one batch at a time on w
}

// OpenSQLite opens (creating if needed) the database file path and applies
// the schema's migrations (sqlbase.Migrations), as wrangler d1 migrations
// does on D1.
func OpenSQLite(path string) (*SQLite, error) {
	dsn := func(readOnly bool) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)", "secure_delete(ON)"} {
			q.Add("_pragma", p)
		}
		if readOnly {
			q.Add("_pragma", "query_only(1)")
		}
		return "file:" + path + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn(false))
	if err != nil {
		return nil, fmt.Errorf("d1: open %s: %w", filepath.Base(path), err)
	}
	w.SetMaxOpenConns(1)
	if err := sqlbase.Migrate(w, nil); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("d1: open %s: %w", filepath.Base(path), err)
	}
	r.SetMaxOpenConns(4)
	return &SQLite{r: r, w: w}, nil
}

// Query implements Executor.
func (x *SQLite) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	return x.r.QueryContext(ctx, q, args...)
}

// Batch implements Executor.
func (x *SQLite) Batch(ctx context.Context, stmts []Statement) (err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	conn, err := x.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return fmt.Errorf("d1: begin: %w", err)
	}
	for _, st := range stmts {
		if _, err = conn.ExecContext(ctx, st.SQL, st.Args...); err != nil {
			break
		}
	}
	if err == nil {
		_, err = conn.ExecContext(ctx, `COMMIT`)
	}
	if err != nil {
		if _, rerr := conn.ExecContext(context.Background(), `ROLLBACK`); rerr != nil {
			err = errors.Join(err, rerr)
		}
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == 19 { // SQLITE_CONSTRAINT
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return fmt.Errorf("d1: batch: %w", err)
	}
	return nil
}

// Close closes the database.
func (x *SQLite) Close() error { return errors.Join(x.r.Close(), x.w.Close()) }
