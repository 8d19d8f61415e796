//go:build !(js && wasm)

package syncer

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/backend"
	"art60/server/httpapi"
	"art60/server/store"
)

// An idle session: the background sync, which says how long the user has
// been away, does not keep it alive; the engine then says the session ended
// after a time without use (the app shows the sign-in page with that
// message), the outbox keeps its request, and signing in again sends it.
func TestAnIdleSessionAsksToSignInAgainAndKeepsTheOutbox(t *testing.T) {
	var offset atomic.Int64 // how far the server's clock is ahead of the wall clock
	srv := newServer(t)
	srv.opts = func(o *backend.Options) {
		o.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	}
	srv.start()
	eng, st := newEngine(t, "http://"+srv.addr)
	eng.tr = HTTPTransport{Client: eng.tr.(HTTPTransport).Client, Base: "http://" + srv.addr,
		Idle: func() time.Duration { return time.Duration(offset.Load()) }} // away since the sign-in
	eng.SetActive(true)
	c := ctx(t)
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(httpapi.DefaultIdleTimeout - 10*time.Minute))
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	d := draft(t, "1995-03-10")
	st.Put(c, d)
	if err := eng.Send(c, d); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(httpapi.DefaultIdleTimeout + time.Minute))
	if err := eng.SyncOnce(c); !errors.Is(err, errLogin) {
		t.Fatalf("sync with an idle session: %v", err)
	}
	if s := eng.State(); !s.SessionExpired || !s.NeedLogin || s.Pending != 1 {
		t.Fatalf("state %+v, want the session expired and the request waiting", s)
	}
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if s := eng.State(); s.SessionExpired || s.NeedLogin {
		t.Fatalf("state after signing in again %+v", s)
	}
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, st, d.ID); got.Status != api.StatusSent {
		t.Fatalf("the waiting request after signing in again: %s", got.Status)
	}
}

// Over the CPAS's quota the sync stops with the quota's message, and the
// request waits in the outbox for the administrator to raise it.
func TestTheQuotaStopsTheSyncWithItsMessage(t *testing.T) {
	srv := newServer(t)
	srv.opts = func(o *backend.Options) { o.Quota = store.Quota{Requests: 1} }
	srv.start()
	eng, st := newEngine(t, "http://"+srv.addr)
	eng.SetActive(true)
	c := ctx(t)
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	for i, birth := range []string{"1995-03-10", "1990-01-01"} {
		d := draft(t, birth)
		st.Put(c, d)
		if err := eng.Send(c, d); err != nil {
			t.Fatal(err)
		}
		err := eng.SyncOnce(c)
		if i == 0 && err != nil {
			t.Fatal(err)
		}
		if i == 1 && (!errors.Is(err, errQuota) || eng.State().Error != "error.quota_exceeded" || eng.State().Pending != 1) {
			t.Fatalf("over the quota: %v, state %+v", err, eng.State())
		}
	}
}
