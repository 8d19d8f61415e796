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

// storeJobs runs the device store operations one at a time, in the order
// the UI asked for them: a save started before "send" must land before the
// send, or it would overwrite the queued draft with an editable one.
var storeJobs struct {
	mu      sync.Mutex
	pending []func()
	running bool
}

// withStore runs op against the device store off the UI goroutine, after
// every operation asked for before it, then done on the UI goroutine with
// op's error.
func withStore(ctx app.Context, op func(context.Context, drafts.Store) error, done func(error)) {
	job := func() {
		st, err := deviceStore()
		if err == nil {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = op(c, st)
			cancel()
		}
		ctx.Dispatch(func(app.Context) { done(err) })
	}
	storeJobs.mu.Lock()
	storeJobs.pending = append(storeJobs.pending, job)
	start := !storeJobs.running
	storeJobs.running = true
	storeJobs.mu.Unlock()
	if start {
		go runStoreJobs()
	}
}

// runStoreJobs drains the queue, then stops until the next job.
func runStoreJobs() {
	for {
		storeJobs.mu.Lock()
		if len(storeJobs.pending) == 0 {
			storeJobs.running = false
			storeJobs.mu.Unlock()
			return
		}
		job := storeJobs.pending[0]
		storeJobs.pending = storeJobs.pending[1:]
		storeJobs.mu.Unlock()
		job()
	}
}
