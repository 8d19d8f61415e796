package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
	"art60/server/api"
)

// gateMode is what a pushGate does with the app's pushes.
type gateMode int

const (
	gatePass       gateMode = iota // to the server and back
	gateDown                       // the connection drops, as with a server that is down
	gateHoldBefore                 // held before the server sees it, until the browser hangs up
	gateHoldAfter                  // applied by the server, its answer held until the browser hangs up
)

// pushGate stands between the browser and the server: the browser knows
// the server only by the gate's address (the server's base URL, so its
// same-origin check passes), and the gate decides the fate of each push
// to /api/v1/sync/push; every other call goes through.
type pushGate struct {
	URL   string
	proxy *httputil.ReverseProxy
	to    string // the server's base URL
	held  chan int
	mu    sync.Mutex
	mode  gateMode
}

// startGate listens on addr and forwards to the server at to.
func startGate(t *testing.T, addr, to string) *pushGate {
	t.Helper()
	target, _ := url.Parse(to)
	g := &pushGate{URL: "http://" + addr, proxy: httputil.NewSingleHostReverseProxy(target), to: to, held: make(chan int, 8)}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: g}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return g
}

func (g *pushGate) set(m gateMode) { g.mu.Lock(); g.mode = m; g.mu.Unlock() }

func (g *pushGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	mode := g.mode
	g.mu.Unlock()
	if r.URL.Path != "/api/v1/sync/push" || mode == gatePass {
		g.proxy.ServeHTTP(w, r)
		return
	}
	if mode == gateDown {
		panic(http.ErrAbortHandler) // no answer: the connection closes
	}
	body, _ := io.ReadAll(r.Body)
	var push api.PushRequest
	json.Unmarshal(body, &push)
	if mode == gateHoldAfter {
		req, _ := http.NewRequest(r.Method, g.to+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		io.Copy(io.Discard, res.Body) // applied and answered: the answer goes nowhere
		res.Body.Close()
	}
	g.held <- len(push.Mutations)
	<-r.Context().Done() // the browser hung up (killed)
}

// TestBrowserKilledBeforeTheServerHasThePush: requests queued while the
// server is unreachable are pushed, and Chromium is killed with SIGKILL
// (all its processes) while the push is held on its way to the server. A
// new Chromium on the same profile, signed in again if its session did not
// survive, sends what the outbox holds: every request is on the server
// once, the outbox is empty, and the list shows each once as sent.
func TestBrowserKilledBeforeTheServerHasThePush(t *testing.T) {
	browserKilledDuringPush(t, gateHoldBefore, 0)
}

// TestBrowserKilledAfterTheServerAppliedThePush: the same, but the server
// applied the push and its answer is held: the app never learns it, pushes
// the same mutations again after the restart, and the server's answer to
// the replay settles them without a second copy of any request.
func TestBrowserKilledAfterTheServerAppliedThePush(t *testing.T) {
	browserKilledDuringPush(t, gateHoldAfter, pushedRequests)
}

// pushedRequests is how many requests wait in the outbox when the browser
// is killed.
const pushedRequests = 6

// browserKilledDuringPush runs those two tests: mode holds the push, and
// the server has applied requests of it when Chromium is killed.
func browserKilledDuringPush(t *testing.T, mode gateMode, applied int) {
	const queued = pushedRequests
	gateAddr := freeAddr(t)
	srv := startServerWith(t, "-base-url", "http://"+gateAddr)
	gate := startGate(t, gateAddr, srv.URL)
	profile := tempProfile(t)
	b := newBrowserOn(t, profile)
	b.signIn(t, gate.URL)

	gate.set(gateDown)
	var ids []string
	for i := range queued {
		ids = append(ids, b.newRequest(t, gate.URL, "Theta"+strconv.Itoa(i), true))
	}
	b.Open(t, gate.URL+"/")
	b.Run(t, "queued", waitText("#sync-pending", strconv.Itoa(queued)+" en attente d'envoi"))

	// The push of the page just opened fails first (so none is under way),
	// then the retry button stands for the automatic retry.
	b.Run(t, "unreachable", chromedp.Poll(`document.querySelector("#sync-retry") !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	gate.set(mode)
	b.Run(t, "push", click("#sync-retry"))
	select {
	case n := <-gate.held:
		if n != queued {
			t.Fatalf("the held push carries %d mutations, want %d", n, queued)
		}
	case <-time.After(70 * time.Second): // the engine retries within a minute even if the click came between two tries
		t.Fatal("no push reached the gate")
	}
	if got := serverRequests(t, gate.URL); len(got) != applied {
		t.Fatalf("the server holds %d requests at the kill, want %d", len(got), applied)
	}
	b.kill(t)
	gate.set(gatePass)

	b = newBrowserOn(t, profile)
	b.signInAgainIfNeeded(t, gate.URL)
	b.Run(t, "french", chooseLang("fr"))
	b.Run(t, "sent after the restart",
		chromedp.Poll(`document.querySelector("#sync-pending").textContent === "0 en attente d'envoi" && document.querySelector("#sync-last") !== null`, nil,
			chromedp.WithPollingTimeout(45*time.Second)))
	got := serverRequests(t, gate.URL)
	for _, id := range ids {
		if got[id] != 1 {
			t.Errorf("request %s is on the server %d times, want once", id, got[id])
		}
	}
	if len(got) != queued {
		t.Errorf("the server holds %d requests, want %d", len(got), queued)
	}
	submits := submitAudits(t, gate.URL)
	for _, id := range ids {
		if submits[id] != 1 {
			t.Errorf("request %s has %d request.submit audit entries, want one", id, submits[id])
		}
	}
	b.Open(t, gate.URL+"/")
	var device struct {
		Outbox int                    `json:"outbox"`
		Drafts map[string]storedDraft `json:"drafts"`
	}
	var list map[string][]string
	b.Run(t, "device state", Eval(deviceState, &device), chromedp.Poll(`document.querySelectorAll("#request-table tbody tr").length >= `+strconv.Itoa(queued), nil,
		chromedp.WithPollingTimeout(10*time.Second)), Eval(listStatuses, &list))
	if device.Outbox != 0 {
		t.Errorf("the outbox holds %d mutations after the sync, want none", device.Outbox)
	}
	for _, id := range ids {
		if d := device.Drafts[id]; d != (storedDraft{Status: "sent"}) {
			t.Errorf("the device holds request %s as %+v, want sent, out of the outbox, not refused", id, d)
		}
		if s := list[id]; len(s) != 1 || s[0] != "status-sent" {
			t.Errorf("the list shows request %s as %v, want once as sent", id, s)
		}
	}
	if len(list) != queued {
		t.Errorf("the list shows %d requests, want %d: %v", len(list), queued, list)
	}
}

// submitAudits counts the request.submit entries of the audit trail by
// request id, read as the demo administrator.
func submitAudits(t *testing.T, base string) map[string]int {
	t.Helper()
	tr, ctx := apiAs(t, base, admin.DemoAdmin, admin.DemoAdminPass)
	count := map[string]int{}
	for after := int64(0); ; {
		var page struct {
			Entries []struct {
				Action    string `json:"action"`
				RequestID string `json:"requestId"`
			} `json:"entries"`
			Next int64 `json:"next"`
		}
		status, resp, err := tr.Do(ctx, "GET", "/api/v1/admin/audit?limit=5000&after="+strconv.FormatInt(after, 10), "", nil)
		if err != nil || status != http.StatusOK || json.Unmarshal(resp, &page) != nil {
			t.Fatalf("audit trail: %d %s %v", status, resp, err)
		}
		for _, e := range page.Entries {
			if e.Action == "request.submit" {
				count[e.RequestID]++
			}
		}
		// A page of nothing but our own audit.read entries is not
		// recorded again, so paging ends (server/README.md, Audit trail).
		if len(page.Entries) == 0 || page.Next <= after {
			return count
		}
		after = page.Next
	}
}

// deviceState reads the one user database on this device
// (drafts/idb.go): how many mutations its outbox holds, and each stored
// draft's status, outbox mark and refusal.
const deviceState = `(async () => {
	const names = (await indexedDB.databases()).map(d => d.name).filter(n => n.startsWith("art60-user-"));
	if (names.length !== 1) throw new Error("user databases: " + names.join(", "));
	const db = await new Promise((ok, fail) => { const r = indexedDB.open(names[0]); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
	const all = store => new Promise((ok, fail) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
	const outbox = (await all("outbox")).length;
	const drafts = {};
	for (const text of await all("drafts")) {
		const d = JSON.parse(text);
		drafts[d.id] = {status: d.status, outbox: d.outbox || 0, rejection: d.rejection ? d.rejection.code : ""};
	}
	db.close();
	return {outbox, drafts};
})()`

// storedDraft is a draft as deviceState reads it.
type storedDraft struct {
	Status    string `json:"status"`
	Outbox    int64  `json:"outbox"`
	Rejection string `json:"rejection"`
}

// listStatuses maps each request id in the list to the status badges of
// its rows (one per row).
const listStatuses = `(() => {
	const out = {};
	for (const tr of document.querySelectorAll("#request-table tbody tr")) {
		const id = tr.querySelector("a").getAttribute("href").split("/")[2];
		const badge = [...tr.querySelector(".badge").classList].find(c => c.startsWith("status-"));
		(out[id] = out[id] || []).push(badge);
	}
	return out;
})()`

// signIn signs the demo worker in, in French, and waits for a first
// complete sync, so the device store is open before the test reloads the
// page. (Driven on at once, the first draft after the sign-in stayed
// unsaved for more than 30 s in 3 runs out of about 15 on a loaded
// machine; the cause is not found.)
func (b *browser) signIn(t *testing.T, base string) {
	t.Helper()
	b.login(t, base, admin.DemoWorker, admin.DemoPassword)
	b.Run(t, "french and synced", chooseLang("fr"),
		chromedp.Poll(`document.querySelector("#sync-last") !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))
}

// signInAgainIfNeeded opens the app after a restart of the browser and
// signs the demo worker in when the browser lost what it knew of the
// session (the remembered user or the cookie: Chromium writes its
// profile lazily, and a kill may come first).
func (b *browser) signInAgainIfNeeded(t *testing.T, base string) {
	t.Helper()
	b.Open(t, base+"/")
	var state string
	b.Run(t, "signed in?", chromedp.Poll(`(() => {
		if (!document.querySelector("#user-name")) return "signed out";
		if (document.querySelector("#sync-login")) return "session expired";
		if (document.querySelector("#sync-last")) return "signed in";
		return false;
	})()`, &state, chromedp.WithPollingTimeout(30*time.Second)))
	t.Logf("after the restart: %s", state)
	if state != "signed in" {
		b.login(t, base, admin.DemoWorker, admin.DemoPassword)
	}
}
