package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// admin runs `art60 admin ...` against the running server's store (through
// its control socket).
func (s *server) admin(t *testing.T, args ...string) string {
	t.Helper()
	args = append(append([]string{"admin"}, args...), "-data", filepath.Join(s.Data, "db"), "-key-file", filepath.Join(s.Data, "key"))
	out, err := exec.Command(filepath.Join(root, "bin", "art60"), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("art60 %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestTwoColleaguesOnOneBrowser: a worker of one CPAS queues a request
// while the server is down and signs out (confirming that it will be
// erased); a worker of another CPAS signs in on the same browser profile:
// nothing of the first is visible, and nothing the first queued is ever
// stored under the second, even after the second syncs.
func TestTwoColleaguesOnOneBrowser(t *testing.T) {
	srv := startServer(t)
	srv.admin(t, "cpas", "add", "-name", "CPAS Voisin", "-enterprise", "0209876524", "-office", "namur")
	srv.admin(t, "user", "add", "-login", "voisin", "-name", "Travailleur voisin", "-role", "cpas_worker",
		"-cpas", "0209876524", "-password", "voisin-password-1")

	b := frenchWorker(t, srv)
	b.Run(t, "installed", chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	sent := b.newRequest(t, srv.URL, "Omicron", true)
	b.Run(t, "sent", chromedp.Poll(`document.querySelector("#sync-pending").textContent.startsWith("0")`, nil,
		chromedp.WithPollingTimeout(30*time.Second)))
	srv.Stop()
	queued := b.newRequest(t, srv.URL, "Pi", true)
	b.Open(t, srv.URL+"/")
	b.Run(t, "one waits", chromedp.Poll(`document.querySelector("#sync-pending").textContent === "1 en attente d'envoi"`, nil,
		chromedp.WithPollingTimeout(30*time.Second)))

	// Sign out: the app warns that the queued request will be erased.
	var dialog string
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialog = d.Message
			go chromedp.Run(b.ctx, page.HandleJavaScriptDialog(true))
		}
	})
	b.Run(t, "sign out", click("#logout"))
	b.Run(t, "the sign-in page", chromedp.WaitVisible(`html[data-art60="ready"] #page-login`, chromedp.ByQuery))
	if !strings.Contains(dialog, "effacée de cet appareil") {
		t.Errorf("sign-out with a queued request asked %q", dialog)
	}
	b.Open(t, srv.URL+"/")
	b.Run(t, "signed out: nothing shows", chromedp.WaitVisible("#page-signin", chromedp.ByQuery))
	var body string
	b.Run(t, "page text", textOf("main", &body))
	if strings.Contains(body, "Omicron") || strings.Contains(body, "Pi") {
		t.Errorf("after sign-out the page shows the first worker's requests: %q", body)
	}

	srv.Start()
	b.login(t, srv.URL, "voisin", "voisin-password-1")
	b.Open(t, srv.URL+"/")
	b.Run(t, "the second worker syncs",
		chromedp.WaitVisible("#page-requests", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#sync-retry") && document.querySelector("#sync-retry").click()`, nil),
		chromedp.Poll(`document.querySelector("#sync-pending").textContent.startsWith("0")`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		textOf("main", &body))
	if strings.Contains(body, "Omicron") || strings.Contains(body, "Pi") {
		t.Errorf("the second worker sees the first's requests: %q", body)
	}
	tr, ctx := apiAs(t, srv.URL, "voisin", "voisin-password-1")
	if reply, err := pullPage(tr, ctx, ""); err != nil || len(reply.Requests) != 0 {
		t.Errorf("the second worker's CPAS holds %d requests (%v), want none", len(reply.Requests), err)
	}
	if got := serverRequests(t, srv.URL); got[sent] != 1 || got[queued] != 0 {
		t.Errorf("the first CPAS holds %v: want the sent request only (the queued one was erased at sign-out)", got)
	}
}
