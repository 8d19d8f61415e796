//go:build js && wasm

package ui

import (
	"context"
	"time"

	"art60/app/drafts"
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
