package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/app/ui"
	"art60/server/admin"
)

// Every screen of the product as a signed-in worker finds it, including a
// request page that is only reachable through the service worker's
// navigation fallback; the screens of other roles say so
// (#page-other-role) and link to the worker's home.
var routes = map[string]string{
	"/":             "#page-requests",
	"/requests/new": "#page-editor",
	"/simulate":     "#page-simulate",
	"/queue":        "#page-other-role",
	"/login":        "#page-login",
	"/contact":      "#page-contact",
	"/reports":      "#page-other-role",
	"/privacy":      "#page-other-role",
	"/users":        "#page-other-role",
	"/password":     "#page-password",
	"/invite":       "#page-invite",
	"/queue/0f8fad5b-d9cb-469f-a165-70867728950e":         "#page-other-role",
	"/requests/0f8fad5b-d9cb-469f-a165-70867728950e":      "#page-detail",
	"/requests/0f8fad5b-d9cb-469f-a165-70867728950e/edit": "#page-editor",
}

// TestOfflineShell: the app installs its service worker, and once the
// server process is stopped every route still renders.
func TestOfflineShell(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/")

	var controlled bool
	b.Run(t, "service worker takes control",
		chromedp.Poll(`navigator.serviceWorker.controller !== null`, &controlled,
			chromedp.WithPollingTimeout(30*time.Second)))
	var banner bool
	b.Run(t, "no update banner on a first visit", chromedp.Sleep(time.Second),
		chromedp.Evaluate(`document.querySelector("#update-reload") !== null`, &banner))
	if banner {
		t.Error(`a first visit shows "a new version is available"`)
	}
	b.Screenshot(t, "shell-online")

	for path := range ui.StaticRoutes {
		if _, ok := routes[path]; !ok {
			t.Errorf("route %s is missing from this test's list", path)
		}
	}
	srv.Stop()
	b.everyRouteRenders(t, srv.URL)
	b.Screenshot(t, "shell-offline")
	b.noCSPViolations(t)
}

// everyRouteRenders opens every route of routes on base, where the server
// cannot be reached, and checks that each shows its screen with a title:
// the service worker answers them from its cache.
func (b *browser) everyRouteRenders(t *testing.T, base string) {
	t.Helper()
	for path, marker := range routes {
		b.Run(t, "offline "+path, chromedp.Navigate(base+path), waitReady(),
			chromedp.WaitVisible(marker+" h1", chromedp.ByQuery))
		var h1 string
		b.Run(t, "title of "+path, chromedp.Text(marker+" h1", &h1, chromedp.ByQuery))
		if h1 == "" {
			t.Errorf("offline %s: empty page title", path)
		}
	}
}

// TestLanguageSwitch: the choice sets <html lang>, translates the page and
// is remembered across a reload.
func TestLanguageSwitch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.Open(t, srv.URL+"/simulate")

	for _, c := range []struct{ lang, h1 string }{
		{"nl", "Simulatie"}, {"de", "Simulation"}, {"en", "Simulation"}, {"fr", "Simulation"}, {"nl", "Simulatie"},
	} {
		var lang, h1 string
		b.Run(t, "switch to "+c.lang,
			chromedp.SetValue("#lang-select", c.lang, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
			chromedp.Poll(`document.documentElement.lang === "`+c.lang+`"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
			chromedp.Evaluate(`document.documentElement.lang`, &lang),
			chromedp.Text("#page-simulate h1", &h1, chromedp.ByQuery),
		)
		if lang != c.lang || h1 != c.h1 {
			t.Errorf("after choosing %s: lang=%q h1=%q, want h1 %q", c.lang, lang, h1, c.h1)
		}
	}
	var nav string
	b.Open(t, srv.URL+"/simulate")
	b.Run(t, "remembered", chromedp.Poll(`document.documentElement.lang === "nl"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Text(`nav a[href="/simulate"]`, &nav, chromedp.ByQuery))
	if nav != "Simuleren" {
		t.Errorf("after reload the navigation says %q, want Simuleren", nav)
	}
	b.noCSPViolations(t)
}

// TestUpdateBanner: a new build on the server shows "a new version is
// available" in an open app, and its button loads the new version.
func TestUpdateBanner(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.Open(t, srv.URL+"/simulate")
	b.Run(t, "service worker", chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	var before string
	b.Run(t, "version", chromedp.Evaluate(`goappGetenv("GOAPP_VERSION")`, &before))

	srv.Stop()
	srv.Web = copyWeb(t, srv.Web, "/* a new build */")
	srv.Start()
	b.Run(t, "banner", chromedp.Evaluate(`goappTryUpdate()`, nil),
		chromedp.WaitVisible("#update-reload", chromedp.ByQuery),
		chromedp.Click("#update-reload", chromedp.ByQuery),
		waitReady(),
		chromedp.Poll(`goappGetenv("GOAPP_VERSION") !== "`+before+`"`, nil, chromedp.WithPollingTimeout(20*time.Second)))
}

// TestCSPViolationsAreCaught: the check that every browser test ends with
// can fail: an inline script, which the policy forbids, is reported.
func TestCSPViolationsAreCaught(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.Open(t, srv.URL+"/simulate")
	b.Run(t, "plant an inline script",
		chromedp.Evaluate(`(() => { const s = document.createElement("script"); s.textContent = "window.planted = 1"; document.body.appendChild(s); })()`, nil),
		chromedp.Sleep(500*time.Millisecond))
	var ran bool
	b.Run(t, "blocked", chromedp.Evaluate(`window.planted === 1`, &ran))
	if ran {
		t.Error("the CSP let an inline script run")
	}
	if len(b.console.Matching("Content Security Policy")) == 0 {
		t.Errorf("no CSP report in the console: the CSP check of the other tests proves nothing\n%s",
			strings.Join(b.console.Matching(""), "\n"))
	}
}
