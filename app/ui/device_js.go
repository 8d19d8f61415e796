//go:build js && wasm

package ui

import (
	"context"
	"time"

	"art60/app/drafts"
)

func openDeviceStore() (drafts.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return drafts.OpenIDB(ctx)
}
