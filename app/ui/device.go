package ui

import (
	"context"
	"sync"
	"time"

	"art60/app/drafts"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// device is the store of drafts on this device, opened once.
var device struct {
	once  sync.Once
	store drafts.Store
	err   error
}

// deviceStore opens the store on first use. It blocks: call it from
// ctx.Async, never from the UI goroutine.
func deviceStore() (drafts.Store, error) {
	device.once.Do(func() { device.store, device.err = openDeviceStore() })
	return device.store, device.err
}

// withStore runs op against the device store off the UI goroutine, then
// done on the UI goroutine with op's error.
func withStore(ctx app.Context, op func(context.Context, drafts.Store) error, done func(error)) {
	ctx.Async(func() {
		st, err := deviceStore()
		if err == nil {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = op(c, st)
			cancel()
		}
		ctx.Dispatch(func(app.Context) { done(err) })
	})
}
