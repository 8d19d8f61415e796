//go:build !(js && wasm)

package ui

import (
	"context"
	"net/http"

	"art60/app/syncer"
)

// On the server there are no tabs and no Web Locks; the engine never runs.
type noTabs struct{}

func (noTabs) Changed() {}

func newTabs(func()) noTabs { return noTabs{} }

func webLock(_ context.Context, critical func()) { critical() }

// transport is never used on the server (the engine starts only in the
// browser); it exists so the package builds natively for its tests.
func transport() syncer.Transport {
	return syncer.HTTPTransport{Client: http.DefaultClient, Idle: sinceLastInput}
}

func cacheExists(string) bool { return true }
