package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"art60/app/syncer"
	"art60/server/admin"
	"art60/server/api"
)

// login logs the browser in as the demo worker.
func (b *browser) login(t *testing.T, base, user, password string) {
	t.Helper()
	b.Open(t, base+"/login")
	b.Run(t, "log in",
		chromedp.WaitVisible("#login", chromedp.ByQuery),
		fill("#login", user), fill("#password", password),
		chromedp.Click("#login-submit", chromedp.ByQuery),
		chromedp.WaitVisible("#user-name", chromedp.ByQuery))
}

// signedInWorker starts a server and a browser where the demo worker is
// signed in, in the French UI.
func signedInWorker(t *testing.T) (*server, *browser) {
	t.Helper()
	srv := startServer(t)
	return srv, frenchWorker(t, srv)
}

// frenchWorker is a new browser where the demo worker signed in, in French.
func frenchWorker(t *testing.T, srv *server) *browser {
	t.Helper()
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	b.Run(t, "french", chooseLang("fr"))
	return b
}

// newRequest enters a complete request (V1 of RULES.md §10 with a name and
// an e-mail) and, if send, sends it; it returns the request's id.
func (b *browser) newRequest(t *testing.T, base, name string, send bool) string {
	t.Helper()
	b.Open(t, base+"/requests/new")
	var loc string
	b.Run(t, "enter "+name,
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", name),
		fill("#f-person-birthDate", "10/03/1995"),
		fill("#f-contract-start", "08/01/2024"),
		fill("#f-referenceEmail", "cpas@example.be"),
		waitText("#result-end", "03/01/2025"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		// The address changes at the first save; the later fields' saves
		// may still be under way, and the next Navigate (which, unlike a
		// user leaving, fires no beforeunload prompt) would abort them.
		waitSaved(),
		chromedp.Location(&loc))
	if send {
		b.Run(t, "send "+name, click("#send"),
			chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	}
	id := strings.TrimSuffix(loc[strings.Index(loc, "/requests/")+len("/requests/"):], "/edit")
	return id
}

// waitSaved waits until no write to the device is in flight (the app marks
// one with data-saving on <html>).
func waitSaved() chromedp.Action {
	return chromedp.Poll(`!document.documentElement.hasAttribute("data-saving")`, nil, chromedp.WithPollingTimeout(30*time.Second))
}

// apiAs logs in over plain HTTP (no browser) and returns the transport,
// holding the session cookie, and a context for the calls.
func apiAs(t *testing.T, base, login, password string) (syncer.HTTPTransport, context.Context) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	tr := syncer.HTTPTransport{Client: &http.Client{Jar: jar, Timeout: 10 * time.Second}, Base: base}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	body, _ := json.Marshal(api.LoginRequest{Login: login, Password: password})
	if status, resp, err := tr.Do(ctx, "POST", "/api/v1/session", "application/json", body); err != nil || status != 200 {
		t.Fatalf("login %s: %d %s %v", login, status, resp, err)
	}
	return tr, ctx
}

// workerSends logs a worker in (French UI) and sends one request; it
// returns the browser and the request's id once the server has it.
func workerSends(t *testing.T, srv *server, name string) (*browser, string) {
	t.Helper()
	b := frenchWorker(t, srv)
	id := b.newRequest(t, srv.URL, name, true)
	b.Run(t, "on the server", chromedp.Poll(`[...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Envoyé à l'ONEM")`, nil,
		chromedp.WithPollingTimeout(45*time.Second)))
	return b, id
}

// storedCount is how many requests one pull returns (all of them, for up
// to 200), or -1 when the server does not answer.
func storedCount(tr syncer.HTTPTransport, ctx context.Context) int {
	reply, err := pullPage(tr, ctx, "")
	if err != nil {
		return -1
	}
	return len(reply.Requests)
}

// pullPage is one GET /api/v1/sync/pull from cursor.
func pullPage(tr syncer.HTTPTransport, ctx context.Context, cursor string) (api.PullReply, error) {
	var reply api.PullReply
	status, resp, err := tr.Do(ctx, "GET", "/api/v1/sync/pull?schemaVersion=2&cursor="+cursor, "", nil)
	if err == nil && status != 200 {
		err = fmt.Errorf("status %d: %s", status, resp)
	}
	if err == nil {
		err = json.Unmarshal(resp, &reply)
	}
	return reply, err
}

// serverRequests pulls, as the demo worker over plain HTTP, every request
// the server holds for the demo CPAS, counted by id.
func serverRequests(t *testing.T, base string) map[string]int {
	t.Helper()
	tr, ctx := apiAs(t, base, admin.DemoWorker, admin.DemoPassword)
	count := map[string]int{}
	cursor := ""
	for {
		reply, err := pullPage(tr, ctx, cursor)
		if err != nil {
			t.Fatalf("pull: %v", err)
		}
		for _, r := range reply.Requests {
			count[r.ID]++
		}
		cursor = reply.Cursor
		if !reply.More {
			return count
		}
	}
}

// TestSendWhileServerStopped: issue 7, acceptance 1.
func TestSendWhileServerStopped(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	b.Run(t, "french", chooseLang("fr"),
		chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))

	srv.Stop()
	sent := []string{b.newRequest(t, srv.URL, "Alpha", true), b.newRequest(t, srv.URL, "Beta", true)}
	b.newRequest(t, srv.URL, "Gamma", false)

	b.Open(t, srv.URL+"/")
	b.Run(t, "2 pending", waitText("#sync-pending", "2 en attente d'envoi"))
	b.Open(t, srv.URL+"/")
	b.Run(t, "still 2 pending after a reload", waitText("#sync-pending", "2 en attente d'envoi"))
	b.Screenshot(t, "sync-pending-offline")

	srv.Start()
	b.Run(t, "sent once the server is back",
		chromedp.Poll(`document.querySelector("#sync-pending").textContent === "0 en attente d'envoi"`, nil,
			chromedp.WithPollingTimeout(90*time.Second)),
		chromedp.Poll(`[...document.querySelectorAll("#request-table .badge")].filter(e => e.textContent === "Envoyé à l'ONEM").length === 2`, nil,
			chromedp.WithPollingTimeout(20*time.Second)))
	got := serverRequests(t, srv.URL)
	for _, id := range sent {
		if got[id] != 1 {
			t.Errorf("request %s is on the server %d times, want once", id, got[id])
		}
	}
	if len(got) != 2 {
		t.Errorf("the server holds %d requests, want the 2 sent", len(got))
	}
	b.noCSPViolations(t)
}

// TestTwoTabs: issue 7, acceptance 2: a request sent from one tab arrives
// once, and the other tab shows it without a reload.
func TestTwoTabs(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	b.Open(t, srv.URL+"/")

	other := b.newTab(t)
	other.Open(t, srv.URL+"/")

	// Chromium throttles timers in background tabs, and the wasm runtime
	// schedules its goroutines with timers: act in the tab in front, as a
	// person does.
	b.Run(t, "first tab in front", page.BringToFront())
	id := b.newRequest(t, srv.URL, "Delta", true)
	other.Run(t, "the other tab shows it", page.BringToFront(),
		chromedp.Poll(`[...document.querySelectorAll("#request-table a")].some(a => a.textContent.startsWith("Delta"))`, nil,
			chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Poll(`document.querySelector("#sync-pending").textContent.startsWith("0")`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	b.Run(t, "first tab in front again", page.BringToFront()) // a background tab's page may not answer
	b.Open(t, srv.URL+"/")
	b.Run(t, "sent", chromedp.Poll(`document.querySelector("#sync-pending").textContent.startsWith("0")`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	if got := serverRequests(t, srv.URL); got[id] != 1 || len(got) != 1 {
		t.Errorf("server holds %v, want %s once", got, id)
	}
}

// agentDecides validates a request through the API as the demo agent.
func agentDecides(t *testing.T, base, id string, outcome api.Status, remark string) {
	t.Helper()
	tr, ctx := apiAs(t, base, admin.DemoAgent, admin.DemoAgentPass)
	body, _ := json.Marshal(api.DecisionRequest{Outcome: outcome, Remark: remark})
	if status, resp, err := tr.Do(ctx, "POST", "/api/v1/requests/"+id+"/decision", "application/json", body); err != nil || status != 200 {
		t.Fatalf("decision: %d %s %v", status, resp, err)
	}
}

// TestDecisionReachesAnOfflineWorker: issue 7, acceptance 3. The worker's
// browser is cut from the network (the server must stay up for the agent),
// the agent decides, the network comes back: the decision appears on the
// open request without a reload.
func TestDecisionReachesAnOfflineWorker(t *testing.T) {
	srv := startServer(t)
	b, id := workerSends(t, srv, "Epsilon")

	b.Run(t, "offline", network.Enable(), network.EmulateNetworkConditions(true, 0, -1, -1),
		chromedp.Poll(`!navigator.onLine`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	agentDecides(t, srv.URL, id, api.StatusCalculated, "Chiffres confirmés")
	b.Run(t, "back online", network.EmulateNetworkConditions(false, 0, -1, -1),
		chromedp.Poll(`document.querySelector("#decision-remark") && document.querySelector("#decision-remark").textContent === "Chiffres confirmés"`, nil,
			chromedp.WithPollingTimeout(30*time.Second)))
	var status string
	b.Run(t, "status", chromedp.Text("#decision h2", &status, chromedp.ByQuery))
	if status != "Calculé par l'ONEM" {
		t.Errorf("decision title %q", status)
	}
	b.Screenshot(t, "decision-after-offline")
}

// TestServerKilledDuringPush: issue 7, acceptance 4. Forty requests wait
// in the outbox; the server is killed with SIGKILL while the app pushes
// them, then restarted: every one is on the server exactly once.
func TestServerKilledDuringPush(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	b.Run(t, "french", chooseLang("fr"))
	// Signed in before the outage: sessions survive restarts, so each look
	// at the store after a start costs no sign-in (an argon2 check), which
	// used to let the whole push through before the first look.
	tr, _ := apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	srv.Stop()
	var ids []string
	// 40 requests: enough for the push to last longer than one look at
	// the store (with 20 it sometimes went through whole between two).
	for i := 0; i < 40; i++ {
		ids = append(ids, b.newRequest(t, srv.URL, "Eta"+strconv.Itoa(i), true))
	}
	b.Open(t, srv.URL+"/")
	b.Run(t, "40 pending", waitText("#sync-pending", "40 en attente d'envoi"))

	// Start, let the app push (the retry button stands for the automatic
	// retry, which may be up to a minute away after a long outage), and
	// kill the server as soon as the store holds more of them than before
	// but not all: the push is then cut in the middle (the server applies
	// a push one mutation, one transaction, at a time). Up to three times.
	midPush := 0
	for stored := 0; stored < len(ids) && midPush < 2; {
		srv.Start()
		b.Run(t, "push", chromedp.Evaluate(`document.querySelector("#sync-retry") && document.querySelector("#sync-retry").click()`, nil))
		now := stored
		for deadline := time.Now().Add(20 * time.Second); now <= stored && time.Now().Before(deadline); {
			now = storedCount(tr, context.Background())
		}
		srv.Kill()
		t.Logf("killed with %d of %d requests stored (before this start: %d)", now, len(ids), stored)
		if now > stored && now < len(ids) {
			midPush++
		}
		stored = max(stored, now)
	}
	if midPush == 0 {
		t.Error("no kill landed in the middle of the push")
	}
	srv.Start()
	b.Run(t, "push after the restart",
		chromedp.Evaluate(`document.querySelector("#sync-retry") && document.querySelector("#sync-retry").click()`, nil),
		chromedp.Poll(`document.querySelector("#sync-pending").textContent === "0 en attente d'envoi"`, nil,
			chromedp.WithPollingTimeout(90*time.Second)))
	got := serverRequests(t, srv.URL)
	for _, id := range ids {
		if got[id] != 1 {
			t.Errorf("request %s is on the server %d times, want once", id, got[id])
		}
	}
	if len(got) != len(ids) {
		t.Errorf("the server holds %d requests, want %d", len(got), len(ids))
	}
}
