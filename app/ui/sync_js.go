//go:build js && wasm

package ui

import "art60/app/syncer"

var webLock = syncer.WebLock

func newTabs(onMessage func()) *syncer.Tabs { return syncer.NewTabs(onMessage) }

func transport() syncer.Transport { return syncer.Fetch{} }
