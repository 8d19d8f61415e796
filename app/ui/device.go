package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"art60/app/drafts"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// device is the signed-in user's store of drafts on this device, opened
// on first use. Each user has their own (drafts/idb.go); without a
// signed-in user there is none, and only the scratch simulator works.
var device struct {
	mu    sync.Mutex
	user  string
	store drafts.Store
}

// errSignedOut is what a screen gets for the device store when no one is
// signed in on this device.
var errSignedOut = errors.New("signin.required")

// useDevice makes user's data the device's ("" for nobody), closing the
// previous user's store.
func useDevice(user string) {
	device.mu.Lock()
	defer device.mu.Unlock()
	if device.user == user {
		return
	}
	if device.store != nil {
		closeDeviceStore(device.store)
	}
	device.user, device.store = user, nil
}

// deviceStore opens the signed-in user's store on first use. It blocks:
// call it from ctx.Async, never from the UI goroutine.
func deviceStore() (drafts.Store, error) {
	device.mu.Lock()
	defer device.mu.Unlock()
	if device.user == "" {
		return nil, errSignedOut
	}
	if device.store == nil {
		st, err := openDeviceStore(device.user)
		if err != nil {
			return nil, err
		}
		device.store = st
	}
	return device.store, nil
}

// forgetDevice deletes user's data from this device (at sign-out).
func forgetDevice(user string) error {
	useDevice("")
	return deleteDeviceStore(user)
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
		showSaving(true)
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
			showSaving(false)
			return
		}
		job := storeJobs.pending[0]
		storeJobs.pending = storeJobs.pending[1:]
		storeJobs.mu.Unlock()
		job()
	}
}
