package sqlbase

import (
	"database/sql"
	"encoding/json"
	"errors"

	"art60/server/store"
)

// What the SQL stores share is written against these few shapes of a query,
// which both database/sql (the SQLite store, a reader or the writer's
// transaction) and a D1 executor offer, so that one piece of code reads a
// table for both stores.

// Rows is what a query answers (as *sql.Rows): call Next before each row,
// Close when done.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// Query runs a query for many rows.
type Query func(q string, args ...any) (Rows, error)

// Each calls fn on every row of a query until fn returns false or an error.
func Each(query Query, fn func(Rows) (bool, error), q string, args ...any) error {
	rows, err := query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		more, err := fn(rows)
		if err != nil || !more {
			return err
		}
	}
	return rows.Err()
}

// EachJSON decodes the one JSON column of each row until fn returns false.
func EachJSON[T any](query Query, fn func(T) bool, q string, args ...any) error {
	return Each(query, func(r Rows) (bool, error) {
		var raw []byte
		if err := r.Scan(&raw); err != nil {
			return false, err
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return false, err
		}
		return fn(v), nil
	}, q, args...)
}

// NotFound maps database/sql's "no row" to store.ErrNotFound (a D1
// executor's rows already answer store.ErrNotFound).
func NotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// Nullable is NULL for an empty string.
func Nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Statement is one SQL statement of a batch, with its arguments.
type Statement struct {
	SQL  string
	Args []any
}

// Statements is the batch of one operation: statements that read nothing
// back, run in order in one transaction (a D1 batch, or the SQLite
// writer's savepoint).
type Statements []Statement

// Add appends a statement.
func (b *Statements) Add(q string, args ...any) { *b = append(*b, Statement{q, args}) }
