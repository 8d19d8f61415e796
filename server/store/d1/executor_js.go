//go:build js && wasm

package d1

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"
	cfd1 "github.com/syumai/workers/cloudflare/d1"
)

// Binding is an Executor on a D1 binding of the Worker: queries through
// github.com/syumai/workers' database/sql driver, batches through D1's own
// db.batch([...]) (the driver has neither transactions nor batches), which
// D1 runs as one transaction.
type Binding struct {
	db  js.Value
	sql *sql.DB
}

// OpenBinding opens the D1 binding the Worker's configuration names
// (wrangler.toml, [[d1_databases]] binding).
func OpenBinding(name string) (*Binding, error) {
	c, err := cfd1.OpenConnector(name)
	if err != nil {
		return nil, fmt.Errorf("d1: binding %s: %w", name, err)
	}
	return &Binding{db: cloudflare.GetBinding(name), sql: sql.OpenDB(c)}, nil
}

// Query implements Executor.
func (x *Binding) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	return x.sql.QueryContext(ctx, q, args...)
}

// Batch implements Executor.
func (x *Binding) Batch(_ context.Context, stmts []Statement) error {
	prepared := make([]any, len(stmts))
	for i, st := range stmts {
		args := make([]any, len(st.Args))
		for j, a := range st.Args {
			args[j] = jsArg(a)
		}
		prepared[i] = x.db.Call("prepare", st.SQL).Call("bind", args...)
	}
	_, err := await(x.db.Call("batch", js.ValueOf(prepared)))
	if err != nil && strings.Contains(err.Error(), "constraint failed") { // D1 passes SQLite's message on
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	if err != nil {
		return fmt.Errorf("d1: batch: %w", err)
	}
	return nil
}

// jsArg converts a statement's argument for bind: []byte as a Uint8Array
// (a BLOB), nil as null, numbers and strings as they are.
func jsArg(a any) any {
	switch v := a.(type) {
	case nil:
		return js.Null()
	case []byte:
		if v == nil {
			return js.Null()
		}
		u := js.Global().Get("Uint8Array").New(len(v))
		js.CopyBytesToJS(u, v)
		return u
	case int64:
		return float64(v)
	}
	return a
}

// await waits for a JavaScript promise.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := args[0].String()
		if m := args[0].Get("message"); m.Type() == js.TypeString {
			msg = m.String()
			if c := args[0].Get("cause"); c.Type() == js.TypeObject && c.Get("message").Type() == js.TypeString {
				msg += ": " + c.Get("message").String()
			}
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
