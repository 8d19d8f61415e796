//go:build js && wasm

package syncer

import (
	"context"
	"syscall/js"
)

// WebLock runs critical while holding the "art60-sync" Web Lock, shared by
// every tab of the app, so only one tab pushes at a time. Without Web Locks
// (old browsers) it runs critical directly; the server's idempotency still
// keeps a repeated mutation from being stored twice.
func WebLock(ctx context.Context, critical func()) {
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		critical()
		return
	}
	done := make(chan struct{})
	var executor js.Func
	callback := js.FuncOf(func(js.Value, []js.Value) any {
		executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
			resolve := args[0]
			go func() {
				defer close(done)
				defer resolve.Invoke()
				critical()
			}()
			return nil
		})
		return js.Global().Get("Promise").New(executor)
	})
	locks.Call("request", "art60-sync", callback)
	<-done
	callback.Release()
	executor.Release()
}

// Tabs tells the other tabs of the app that requests changed, and calls
// onMessage when another tab says so.
type Tabs struct{ ch js.Value }

// NewTabs opens the "art60" BroadcastChannel.
func NewTabs(onMessage func()) *Tabs {
	bc := js.Global().Get("BroadcastChannel")
	if !bc.Truthy() {
		return &Tabs{}
	}
	ch := bc.New("art60")
	ch.Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		onMessage()
		return nil
	}))
	return &Tabs{ch: ch}
}

// Changed tells the other tabs.
func (t *Tabs) Changed() {
	if t.ch.Truthy() {
		t.ch.Call("postMessage", "changed")
	}
}
