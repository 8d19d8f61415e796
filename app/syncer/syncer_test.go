//go:build !(js && wasm)

package syncer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/app/drafts"
	"art60/calc"
	"art60/server/admin"
	"art60/server/api"
	"art60/server/backend"
)

// server is the real API on a fixed loopback address that can be stopped
// and started again on the same data.
type server struct {
	t    *testing.T
	addr string
	dir  string
	svc  *backend.Backend
	http *http.Server
	opts func(*backend.Options) // a test's changes to the options, or nil
}

func newServer(t *testing.T) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{t: t, addr: addr, dir: t.TempDir()}
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	o := backend.Options{DataDir: filepath.Join(s.dir, "db"), KeyFile: filepath.Join(s.dir, "key"),
		CreateKey: true, Demo: true, DemoOut: io.Discard, BaseURL: "http://" + s.addr, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if s.opts != nil {
		s.opts(&o)
	}
	svc, err := backend.Open(o)
	if err != nil {
		s.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", svc.Handler())
	s.svc, s.http = svc, &http.Server{Handler: mux}
	go s.http.Serve(ln)
}

func (s *server) stop() {
	if s.http != nil {
		s.http.Close()
		s.svc.Close()
		s.http = nil
	}
}

func newEngine(t *testing.T, base string) (*Engine, drafts.Store) {
	jar, _ := cookiejar.New(nil)
	st := drafts.NewMemory()
	return New(st, HTTPTransport{Client: &http.Client{Jar: jar, Timeout: 10 * time.Second}, Base: base}), st
}

func draft(t *testing.T, birth string) drafts.Draft {
	d := drafts.New(time.Now())
	d.LastName, d.ReferenceEmail = "Test", "cpas@example.be"
	d.Case.Person.BirthDate = birth
	d.Case.Contract.Start = "2026-01-05"
	return d
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// Sent while the server is down: the outbox keeps both; once the server
// is up and the worker logged in, each arrives exactly once.
func TestOutboxWaitsForTheServer(t *testing.T) {
	srv := newServer(t)
	eng, st := newEngine(t, "http://"+srv.addr)
	c := ctx(t)
	a, b := draft(t, "1995-03-10"), draft(t, "1990-01-01")
	for _, d := range []drafts.Draft{a, b} {
		st.Put(c, d)
		if err := eng.Send(c, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := eng.Send(c, mustGet(t, st, a.ID)); err == nil {
		t.Error("a queued draft was queued again")
	}
	// The editor's copy is still editable (a double click, a second tab):
	// the store refuses it, in the transaction that would queue it.
	if err := eng.Send(c, a); !errors.Is(err, errAlreadyQueued) {
		t.Errorf("a stale copy of a queued draft: %v, want %v", err, errAlreadyQueued)
	}
	if err := eng.SyncOnce(c); !errors.Is(err, errUnreachable) {
		t.Fatalf("sync with the server down: %v", err)
	}
	if s := eng.State(); s.Pending != 2 || s.Reachable {
		t.Fatalf("state %+v, want 2 pending and unreachable", s)
	}

	srv.start()
	if err := eng.SyncOnce(c); err == nil || !eng.State().NeedLogin {
		t.Fatalf("sync without a session: %v %+v", err, eng.State())
	}
	if eng.State().Pending != 2 {
		t.Fatal("the outbox lost requests on a 401")
	}
	if _, err := eng.Login(c, admin.DemoWorker, "wrong"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("bad password: %v", err)
	}
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if s := eng.State(); s.Pending != 0 || s.Error != "" || s.LastSync.IsZero() {
		t.Fatalf("state after sync %+v", s)
	}
	for _, id := range []string{a.ID, b.ID} {
		d := mustGet(t, st, id)
		if d.Status != api.StatusSent || d.Remote == nil || d.Remote.Result == nil || d.Outbox != 0 {
			t.Errorf("draft %s after sync: status %s remote %+v", id, d.Status, d.Remote)
		}
	}
	// Pull from a second device of the same CPAS: both, once each.
	other, ost := newEngine(t, "http://"+srv.addr)
	other.Login(c, admin.DemoWorker, admin.DemoPassword)
	if err := other.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	list, _ := ost.List(c)
	if len(list) != 2 {
		t.Fatalf("the other device sees %d requests, want 2", len(list))
	}
}

// A request the server refuses comes back editable, with the reason.
func TestRejectedRequestComesBack(t *testing.T) {
	srv := newServer(t)
	srv.start()
	eng, st := newEngine(t, "http://"+srv.addr)
	c := ctx(t)
	eng.Login(c, admin.DemoWorker, admin.DemoPassword)
	d := draft(t, "1995-03-10")
	d.Case.Person.NISS = "12345678901" // invalid check digits
	st.Put(c, d)
	if err := eng.Send(c, d); err != nil {
		t.Fatal(err)
	}
	eng.SyncOnce(c)
	got := mustGet(t, st, d.ID)
	if !got.Editable() || got.Rejection == nil || len(got.Rejection.Fields) == 0 {
		t.Fatalf("rejected draft: editable %v rejection %+v", got.Editable(), got.Rejection)
	}
	if eng.State().Pending != 0 {
		t.Error("a rejected mutation stayed in the outbox")
	}
}

// fullDevice is a store whose writes that record the server's answers fail
// as a browser's do when the site's storage quota is used up.
type fullDevice struct {
	*drafts.Memory
	full bool
}

func (f *fullDevice) Done(ctx context.Context, id int64, d drafts.Draft) error {
	if f.full {
		return fmt.Errorf("%w: QuotaExceededError", drafts.ErrDeviceFull)
	}
	return f.Memory.Done(ctx, id, d)
}

// A device that fills up between the push and the recording of its answer
// keeps the request in the outbox and says the device is full; once space
// is back, the same mutation is pushed again and the request is on the
// server once, sent on the device.
func TestAFullDeviceKeepsTheOutboxUntilThereIsSpace(t *testing.T) {
	srv := newServer(t)
	srv.start()
	jar, _ := cookiejar.New(nil)
	st := &fullDevice{Memory: drafts.NewMemory()}
	eng := New(st, HTTPTransport{Client: &http.Client{Jar: jar, Timeout: 10 * time.Second}, Base: "http://" + srv.addr})
	c := ctx(t)
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	d := draft(t, "1995-03-10")
	st.Put(c, d)
	if err := eng.Send(c, d); err != nil {
		t.Fatal(err)
	}
	st.full = true
	if err := eng.SyncOnce(c); !errors.Is(err, drafts.ErrDeviceFull) {
		t.Fatalf("sync on a full device: %v", err)
	}
	if s := eng.State(); s.Error != "storage.full" || s.Pending != 1 {
		t.Errorf("state on a full device %+v, want the storage.full message and the request still pending", s)
	}
	st.full = false
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, st, d.ID); got.Status != api.StatusSent || got.Rejection != nil || got.Outbox != 0 || eng.State().Pending != 0 {
		t.Errorf("after space came back: status %s rejection %+v outbox %d pending %d", got.Status, got.Rejection, got.Outbox, eng.State().Pending)
	}
	other, ost := newEngine(t, "http://"+srv.addr)
	other.Login(c, admin.DemoWorker, admin.DemoPassword)
	if err := other.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if list, _ := ost.List(c); len(list) != 1 {
		t.Errorf("the server holds %d requests, want 1", len(list))
	}
}

func TestSubmissionCarriesTheDraft(t *testing.T) {
	d := draft(t, "1995-03-10")
	d.Attachments = []drafts.Attachment{{SHA256: "ab"}}
	d.Derogation = "complex case, documents arrived late"
	sub, err := Submission(d, calc.LangNL)
	if err != nil {
		t.Fatal(err)
	}
	if sub.ID != d.ID || sub.Lang != "nl" || len(sub.Attachments) != 1 || sub.Derogation == nil || sub.ClientResult == nil {
		t.Errorf("submission %+v", sub)
	}
}

func mustGet(t *testing.T, st drafts.Store, id string) drafts.Draft {
	t.Helper()
	d, err := st.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fake answers every call with one status and body.
type fake struct {
	status int
	body   string
}

func (f fake) Do(context.Context, string, string, string, []byte) (int, []byte, error) {
	return f.status, []byte(f.body), nil
}

// An app the server no longer reads says "update the app" and stops
// retrying; the outbox is kept for the updated app.
func TestUpdateRequired(t *testing.T) {
	st := drafts.NewMemory()
	eng := New(st, fake{426, `{"error":{"code":"update_required","message":"this version of the app is too old: reload it to update"}}`})
	c := ctx(t)
	d := draft(t, "1995-03-10")
	st.Put(c, d)
	eng.Send(c, d)
	if err := eng.SyncOnce(c); err == nil {
		t.Fatal("sync passed")
	}
	s := eng.State()
	if !s.UpdateRequired || s.Pending != 1 || eng.shouldRetry() {
		t.Errorf("state %+v, retry %v", s, eng.shouldRetry())
	}
}

// A request erased on the server (a person's erasure, README "Personal
// data") leaves every device of its CPAS at the next sync, with the bytes
// of its file; the other requests and a draft using the same file stay.
func TestAnErasedRequestLeavesTheDevice(t *testing.T) {
	srv := newServer(t)
	srv.start()
	eng, st := newEngine(t, "http://"+srv.addr)
	c := ctx(t)
	if _, err := eng.Login(c, admin.DemoWorker, admin.DemoPassword); err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	sum := fmt.Sprintf("%x", sha256.Sum256(png))
	st.PutBlob(c, sum, png)
	erased, kept, local := draft(t, "1995-03-10"), draft(t, "1990-01-01"), draft(t, "1990-01-01")
	erased.Case.Person.NISS = "95031000166"
	erased.Attachments = []drafts.Attachment{{Name: "fiche.png", Type: "image/png", Size: int64(len(png)), SHA256: sum}}
	for _, d := range []drafts.Draft{erased, kept} {
		st.Put(c, d)
		if err := eng.Send(c, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}

	adm := adminClient(t, srv)
	res, err := adm.Post("http://"+srv.addr+"/api/v1/admin/subject/erase", "application/json", strings.NewReader(`{"niss":"950310.001-66"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("erase: %v %v", res, err)
	}
	res.Body.Close()
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(c, erased.ID); !errors.Is(err, drafts.ErrNotFound) {
		t.Errorf("the erased request is still on the device: %v", err)
	}
	if _, err := st.GetBlob(c, sum); !errors.Is(err, drafts.ErrNotFound) {
		t.Errorf("its file is still on the device: %v", err)
	}
	mustGet(t, st, kept.ID)

	// Same again with a draft that uses the file: the bytes stay for it.
	st.PutBlob(c, sum, png)
	local.Attachments = erased.Attachments
	st.Put(c, local)
	again := draft(t, "1995-03-10")
	again.Case.Person.NISS, again.Attachments = "95031000166", erased.Attachments
	st.Put(c, again)
	eng.Send(c, again)
	eng.SyncOnce(c)
	res, _ = adm.Post("http://"+srv.addr+"/api/v1/admin/subject/erase", "application/json", strings.NewReader(`{"niss":"95031000166"}`))
	res.Body.Close()
	if err := eng.SyncOnce(c); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(c, again.ID); !errors.Is(err, drafts.ErrNotFound) {
		t.Errorf("the second erased request is still on the device: %v", err)
	}
	if _, err := st.GetBlob(c, sum); err != nil {
		t.Errorf("the file a draft still uses went: %v", err)
	}
}

// adminClient signs the demo data-protection officer in, as a browser of
// the server's origin.
func adminClient(t *testing.T, srv *server) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: originTransport{"http://" + srv.addr}}
	res, err := cl.Post("http://"+srv.addr+"/api/v1/session", "application/json",
		strings.NewReader(fmt.Sprintf(`{"login":%q,"password":%q}`, admin.DemoDPO, admin.DemoDPOPass)))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("DPO sign-in: %v %v", res, err)
	}
	res.Body.Close()
	return cl
}

// originTransport adds the Origin a browser sends (the API's CSRF check).
type originTransport struct{ origin string }

func (o originTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Origin", o.origin)
	return http.DefaultTransport.RoundTrip(r)
}
