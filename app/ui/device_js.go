//go:build js && wasm

package ui

import (
	"context"
	"time"

	"art60/app/drafts"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func openDeviceStore(user string) (drafts.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return drafts.OpenIDB(ctx, user)
}

func closeDeviceStore(st drafts.Store) {
	if db, ok := st.(*drafts.IDB); ok {
		db.Close()
	}
}

func deleteDeviceStore(user string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return drafts.DeleteIDB(ctx, user)
}

// showSaving marks the page while device writes wait or run (data-saving
// on <html>): leaving the page then asks first (guardUnload), because a
// write the browser drops with the page is an edit lost; browser tests
// wait for the mark to go before they reload.
func showSaving(on bool) {
	root := app.Window().Get("document").Get("documentElement")
	if on {
		root.Call("setAttribute", "data-saving", "")
	} else {
		root.Call("removeAttribute", "data-saving")
	}
}

var guardingUnload bool

// guardUnload makes the browser ask before leaving the page while a device
// write is in flight (the standard "leave the page?" prompt).
func guardUnload() {
	if guardingUnload {
		return
	}
	guardingUnload = true
	app.Window().Call("addEventListener", "beforeunload", app.FuncOf(func(_ app.Value, args []app.Value) any {
		root := app.Window().Get("document").Get("documentElement")
		if len(args) > 0 && root.Call("hasAttribute", "data-saving").Bool() {
			args[0].Call("preventDefault")
			args[0].Set("returnValue", "")
		}
		return nil
	}))
}
