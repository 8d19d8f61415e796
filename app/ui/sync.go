package ui

import (
	"context"
	"sync"

	"art60/app/syncer"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// live is the device's sync engine and the shell currently on screen, which
// the engine's reports are dispatched to. One engine per page load.
var live struct {
	once   sync.Once
	engine *syncer.Engine
	mu     sync.Mutex
	shell  *shell
	ctx    app.Context
}

// engine returns the sync engine, nil on the server (pre-rendering).
func engine() *syncer.Engine { return live.engine }

// startSync starts the engine once and points its reports at s.
func startSync(ctx app.Context, s *shell) {
	live.mu.Lock()
	live.shell, live.ctx = s, ctx
	live.mu.Unlock()
	if !app.IsClient {
		return
	}
	live.once.Do(func() {
		st, err := deviceStore()
		if err != nil {
			app.Log("opening the device store failed:", err)
			return
		}
		e := syncer.New(st, transport())
		tabs := newTabs(func() { toShell(func(s *shell) { s.dataVersion++ }) })
		e.UseLock(webLock)
		e.OnChange(func() {
			tabs.Changed()
			toShell(func(s *shell) { s.dataVersion++ })
		})
		e.Subscribe(func(state syncer.State) { toShell(func(s *shell) { s.sync = state }) })
		live.engine = e
		go e.Run(context.Background())
	})
}

// toShell runs f on the UI goroutine against the shell on screen.
func toShell(f func(*shell)) {
	live.mu.Lock()
	s, ctx := live.shell, live.ctx
	live.mu.Unlock()
	if s == nil {
		return
	}
	ctx.Dispatch(func(app.Context) { f(s) })
}
