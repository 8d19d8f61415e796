// Command d1seed writes the SQL that gives a D1 database the demo accounts
// of make run (admin.SeedDemo), sealed under the key $ART60_KEY: make
// worker-dev runs it through wrangler d1 execute --local. It runs the D1
// store on a scratch SQLite database and prints every statement of every
// batch, with its arguments as SQL literals and each INSERT as INSERT OR
// IGNORE, so that the file can run again on a seeded database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"art60/server/admin"
	"art60/server/store"
	"art60/server/store/d1"
)

func main() {
	if err := run(os.Stdout, os.Getenv(store.KeyEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "d1seed:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, hexKey string) error {
	key, _, err := store.LoadKey(hexKey, "", false)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "d1seed")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	x, err := d1.OpenSQLite(filepath.Join(dir, "scratch.db"))
	if err != nil {
		return err
	}
	defer x.Close()
	rec := &recorder{SQLite: x}
	ctx := context.Background()
	st, err := d1.Open(ctx, d1.Config{Exec: rec, Key: key})
	if err != nil {
		return err
	}
	if err := admin.SeedDemo(ctx, st, io.Discard); err != nil {
		return err
	}
	if rec.err != nil {
		return rec.err
	}
	_, err = io.WriteString(out, rec.sql)
	return err
}

// recorder runs batches on the scratch database and keeps them as SQL.
type recorder struct {
	*d1.SQLite
	sql string
	err error
}

func (r *recorder) Batch(ctx context.Context, stmts []d1.Statement) error {
	if err := r.SQLite.Batch(ctx, stmts); err != nil {
		return err
	}
	for _, st := range stmts {
		s, err := d1.Literal(st)
		if err != nil {
			r.err = errors.Join(r.err, err)
		}
		r.sql += d1.InsertOrIgnore(s) + ";\n"
	}
	return nil
}
