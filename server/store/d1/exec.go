package d1

import (
	"context"
	"errors"

	"art60/server/store/sqlbase"
)

// Statement is one SQL statement of a batch, with its arguments.
type Statement = sqlbase.Statement

// Rows is what a query answers (as *sql.Rows): call Next before each row,
// Close when done.
type Rows = sqlbase.Rows

// Executor is the database as a D1 binding offers it: single statements
// that read, and batches of statements that write, each batch atomic (all
// or nothing), with no transaction spanning a read and a write.
type Executor interface {
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	// Batch runs the statements in one transaction; an error wrapping
	// ErrConflict means a constraint refused one of them (a UNIQUE or
	// PRIMARY KEY, a NOT NULL of the store's guards) and nothing was
	// written.
	Batch(ctx context.Context, stmts []Statement) error
}

// ErrConflict is a batch refused by a constraint: another writer changed
// what the operation read, or the operation was applied already. The store
// runs the operation again from its reads.
var ErrConflict = errors.New("d1: the batch was refused by a constraint")
