//go:build js && wasm

package ui

import (
	"syscall/js"

	"art60/app/syncer"
)

var webLock = syncer.WebLock

func newTabs(onMessage func()) *syncer.Tabs { return syncer.NewTabs(onMessage) }

func transport() syncer.Transport { return syncer.Fetch{Idle: sinceLastInput} }

// cacheExists asks the Cache Storage whether a cache of that name exists.
func cacheExists(name string) bool {
	caches := js.Global().Get("caches")
	if !caches.Truthy() {
		return true
	}
	done := make(chan bool, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- args[0].Bool(); return nil })
	fail := js.FuncOf(func(js.Value, []js.Value) any { done <- true; return nil })
	defer then.Release()
	defer fail.Release()
	caches.Call("has", name).Call("then", then, fail)
	return <-done
}
