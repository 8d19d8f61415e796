//go:build js && wasm

package syncer

import (
	"context"
	"errors"
	"strconv"
	"syscall/js"
	"time"

	"art60/server/api"
)

// Fetch is the browser's Transport: window.fetch on the same origin, with
// the session cookie and Fetch Metadata the browser adds itself.
type Fetch struct {
	// Idle, when set, is the time since the user's last input, sent with
	// every call (api.IdleHeader).
	Idle func() time.Duration
}

// Do implements Transport.
func (f Fetch) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	headers := map[string]any{SchemaHeader: strconv.Itoa(api.SchemaVersion)}
	if f.Idle != nil {
		headers[api.IdleHeader] = idleSeconds(f.Idle())
	}
	if contentType != "" {
		headers["Content-Type"] = contentType
	}
	opts := map[string]any{"method": method, "headers": headers, "credentials": "same-origin", "cache": "no-store"}
	if body != nil {
		arr := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(arr, body)
		opts["body"] = arr
	}
	res, err := await(ctx, js.Global().Call("fetch", path, opts))
	if err != nil {
		return 0, nil, err
	}
	status := res.Get("status").Int()
	buf, err := await(ctx, res.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, err
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	data := make([]byte, arr.Length())
	js.CopyBytesToGo(data, arr)
	return status, data, nil
}

// await waits for a promise; a rejection (network failure) is an error.
func await(ctx context.Context, p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- outcome{v: args[0]}; return nil })
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		return js.Value{}, ctx.Err()
	}
}
