package ui

import (
	"context"
	"sync"

	"art60/app/drafts"
	"art60/app/syncer"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// live is the sync engine of the signed-in user's device data and the
// shell currently on screen, which the engine's reports are dispatched to.
// Before sign-in the engine has an empty store and does not sync: it only
// signs in. Each user gets their own engine over their own store; the
// previous one stops when another user signs in or the user signs out.
var live struct {
	mu     sync.Mutex
	engine *syncer.Engine
	user   string
	stop   context.CancelFunc
	shell  *shell
	ctx    app.Context
}

// engine returns the sync engine, nil on the server (pre-rendering).
func engine() *syncer.Engine {
	live.mu.Lock()
	defer live.mu.Unlock()
	return live.engine
}

// startSync points the engine's reports at s and runs the engine of the
// session's user.
func startSync(ctx app.Context, s *shell) {
	live.mu.Lock()
	live.shell, live.ctx = s, ctx
	live.mu.Unlock()
	if !app.IsClient {
		return
	}
	switchUser(s.session)
}

// switchUser makes the device data and the engine those of the session's
// user (none for nil). It opens the store: call it off the UI goroutine
// when it may block (a sign-in), as startSync's first call does not.
func switchUser(info *api.SessionInfo) {
	user := ""
	if info != nil {
		user = info.UserID
	}
	live.mu.Lock()
	same := live.engine != nil && live.user == user
	if !same && live.stop != nil {
		live.stop()
	}
	live.mu.Unlock()
	if same {
		return
	}
	useDevice(user)
	st, err := deviceStore()
	if user == "" || err != nil {
		if err != nil && user != "" {
			app.Log("opening the device store failed:", err)
		}
		st = drafts.NewMemory() // signs in, syncs nothing
	}
	e := syncer.New(st, transport())
	e.SetUser(user)
	e.SetActive(syncsRequests(info))
	tabs := newTabs(func() { toShell(func(s *shell) { s.dataVersion++ }) })
	e.UseLock(webLock)
	e.OnChange(func() {
		tabs.Changed()
		toShell(func(s *shell) { s.dataVersion++ })
	})
	e.Subscribe(onSyncState)
	run, stop := context.WithCancel(context.Background())
	live.mu.Lock()
	live.engine, live.user, live.stop = e, user, stop
	live.mu.Unlock()
	toShell(func(s *shell) { s.dataVersion++ }) // the screens read the new user's data
	go e.Run(run)
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
