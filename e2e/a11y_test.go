package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// axeSource is axe-core from npm (e2e/package.json), injected through the
// DevTools protocol, which the page's CSP does not govern.
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(root, "e2e", "node_modules", "axe-core", "axe.min.js")
	need(t, exists(path), "axe-core (cd e2e && npm ci)")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// checkA11y runs axe-core on the current page against WCAG 2.1 A and AA.
func (b *browser) checkA11y(t *testing.T, axe, screen string) {
	t.Helper()
	var violations []axeViolation
	b.Run(t, "axe on "+screen,
		chromedp.Evaluate(axe, nil),
		Eval(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`, &violations))
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.TrimSpace(n.Summary)+" at "+strings.Trim(strings.ReplaceAll(strings.Join(toStrings(n.Target), " "), "\n", " "), " "))
		}
		t.Errorf("%s: axe %s: %s\n  %s", screen, v.ID, v.Help, strings.Join(where, "\n  "))
	}
}

func toStrings(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i], _ = x.(string)
	}
	return out
}

func chooseLang(lang string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.SetValue("#lang-select", lang, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.Poll(`document.documentElement.lang === "`+lang+`"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
	}
}

// TestAccessibility: axe-core finds nothing on the list, editor, detail,
// simulate and password screens, in French and in Dutch; the editor is photographed in
// both languages.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/requests/new")
	enterV2(t, b)
	var draftURL string
	b.Run(t, "draft address", chromedp.Poll(`/\/edit$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Location(&draftURL))
	detailURL := strings.TrimSuffix(draftURL, "/edit")

	// The checker itself can fail: an image without a text alternative is caught.
	var caught []axeViolation
	b.Run(t, "axe catches a planted fault",
		chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(`(() => { const i = document.createElement("img"); i.id = "planted"; i.src = "/web/icon-192.png"; document.body.appendChild(i); })()`, nil),
		Eval(`axe.run("#planted", {runOnly: {type: "tag", values: ["wcag2a"]}}).then(r => r.violations)`, &caught),
		chromedp.Evaluate(`document.querySelector("#planted").remove()`, nil))
	if len(caught) == 0 {
		t.Fatal("axe-core reported nothing on an image without alt: the accessibility check is not working")
	}

	for _, lang := range []string{"fr", "nl"} {
		b.Run(t, "language "+lang, chooseLang(lang))
		for _, s := range []struct{ name, url, marker string }{
			{"list", srv.URL + "/", "#request-table"},
			{"editor", draftURL, "#result-end"},
			{"detail", detailURL, "#result-end"},
			{"simulate", srv.URL + "/simulate", "#page-simulate"},
			{"password", srv.URL + "/password", "#page-password"},
		} {
			b.Open(t, s.url)
			b.Run(t, s.name, chromedp.WaitVisible(s.marker, chromedp.ByQuery))
			b.checkA11y(t, axe, s.name+"/"+lang)
			if s.name == "editor" {
				b.Screenshot(t, "editor-"+lang)
			}
		}
	}
}
