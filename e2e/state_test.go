package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// offline switches the tab's network off or on, as airplane mode does
// (the page gets its offline and online events).
func offline(off bool) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return network.EmulateNetworkConditions(off, 0, -1, -1).Do(ctx)
	})
}

// bannerInView is a JavaScript test that the offline banner is on the
// screen (not only somewhere on the page).
const bannerInView = `(() => { const b = document.querySelector("#offline-banner");
	if (!b) return false; const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; })()`

// TestTheStateShowsWhereTheUserLooks: before anyone signs in on a device
// the footer invites to sign in to send (not "again"); the version is in
// an "About" panel, not in the footer's line; in the editor, offline and
// then with the server down, a banner stays on the screen however far the
// worker scrolled, and Send says the request will leave when the server
// can be reached; back online with the server up, both go.
func TestTheStateShowsWhereTheUserLooks(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.Open(t, srv.URL+"/simulate")
	var footer, invite, about string
	var open bool
	b.Run(t, "a device no one signed in on", chromedp.Evaluate(`document.querySelector("footer").innerText`, &footer),
		chromedp.Evaluate(`(document.querySelector("#sync-signin") || {}).textContent || ""`, &invite),
		chromedp.Evaluate(`document.querySelector("#about").open`, &open),
		chromedp.Evaluate(`document.querySelector("#about-version").textContent`, &about))
	if invite != "Sign in to send" || strings.Contains(footer, "again") {
		t.Errorf("before the first sign-in the footer says %q (link %q)", footer, invite)
	}
	if open || strings.Contains(footer, "Version") || !strings.HasPrefix(about, "Version ") || len(about) < len("Version 12345678") {
		t.Errorf("the version shows in the footer %q, or not behind About (%v): %q", footer, open, about)
	}

	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	b.Run(t, "french", chooseLang("fr"))
	id := b.tenRowRequest(t, srv.URL, "Horsligne", false)
	var label string
	b.Run(t, "online: no banner", chromedp.Evaluate(present("#offline-banner"), &open), textOf("#send", &label))
	if open || label != "Envoyer à l'ONEM" {
		t.Errorf("online, the banner shows (%v) or Send says %q", open, label)
	}

	b.Run(t, "offline", offline(true),
		chromedp.WaitVisible("#offline-banner", chromedp.ByQuery),
		chromedp.ScrollIntoView("#f-periods-9-label", chromedp.ByQuery),
		chromedp.Poll(bannerInView, nil, chromedp.WithPollingTimeout(5*time.Second)),
		waitText("#send", "Envoyer à l'ONEM dès que possible"),
		waitText("#send-hint", "La demande attendra sur cet appareil et partira vers l'ONEM dès que le serveur sera joignable."))
	var describedBy string
	b.Run(t, "Send's hint", chromedp.Evaluate(`document.querySelector("#send").getAttribute("aria-describedby")`, &describedBy))
	if describedBy != "send-hint" {
		t.Errorf("Send is described by %q", describedBy)
	}
	b.checkA11y(t, axeSource(t), "editor offline")
	b.viewportShot(t, "state-offline-banner")

	// Online again, but the server is down: the sync that the return
	// online starts fails, and the banner stays.
	srv.Stop()
	b.Run(t, "server down", offline(false),
		chromedp.Poll(`document.querySelector("#connectivity").classList.contains("status-offline")`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.ScrollIntoView("#f-periods-5-label", chromedp.ByQuery),
		chromedp.Poll(bannerInView, nil, chromedp.WithPollingTimeout(5*time.Second)),
		waitText("#send", "Envoyer à l'ONEM dès que possible"))

	srv.Start()
	b.Run(t, "server back", chromedp.Evaluate(`document.querySelector("#sync-retry") && document.querySelector("#sync-retry").click()`, nil),
		offline(true), offline(false), // the return online starts a sync
		chromedp.Poll(`document.querySelector("#offline-banner") === null`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		waitText("#send", "Envoyer à l'ONEM"))
	if id == "" {
		t.Fatal("no draft")
	}
}

// viewportShot saves what the screen shows (not the whole page, where
// the sticky banner would be drawn where the page was scrolled to) under
// e2e/artifacts.
func (b *browser) viewportShot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	b.Run(t, "screenshot "+name, chromedp.CaptureScreenshot(&png))
	path := filepath.Join(root, "e2e", "artifacts", name+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
