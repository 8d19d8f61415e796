package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// fill types a value into a field the way a user does: set it, then fire
// input and change.
func fill(sel, value string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => { const el = document.querySelector(%q);
		el.focus(); el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, value), nil)
}

// click clicks through the DOM: go-app may redraw a node between
// chromedp's lookup and its click.
func click(sel string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).click()`, sel), nil)
}

func textOf(sel string, out *string) chromedp.Action {
	return chromedp.Text(sel, out, chromedp.ByQuery)
}

// waitText waits until the element's text is want.
func waitText(sel, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`(document.querySelector(%q) || {}).textContent === %q`, sel, want), nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

// enterV2 types example V2 of RULES.md §10 into the editor.
func enterV2(t *testing.T, b *browser) {
	t.Helper()
	b.Run(t, "enter V2",
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", "Exemple"),
		fill("#f-firstName", "Deux"),
		fill("#f-person-birthDate", "01/06/1998"),
		fill("#f-contract-start", "08/01/2024"),
		chromedp.Click("#full-time", chromedp.ByQuery),
		chromedp.Click("#add-work", chromedp.ByQuery),
		chromedp.WaitVisible("#f-periods-0-from", chromedp.ByQuery),
		fill("#f-periods-0-from", "02/01/2023"),
		fill("#f-periods-0-to", "30/06/2023"),
		waitText("#result-end", "05/07/2024"),
	)
}

// TestEditorV2 enters V2 through the UI, checks the figures, moves the
// start date, and measures input-to-rendered-result latency.
func TestEditorV2(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/requests/new")
	enterV2(t, b)
	var claim string
	b.Run(t, "claim date", textOf("#result-claim", &claim))
	if claim != "06/07/2024" {
		t.Errorf("claim date %q, want 06/07/2024", claim)
	}
	// The same page, no reload: a later start moves the end date.
	b.Run(t, "move the start", fill("#f-contract-start", "15/01/2024"), waitText("#result-end", "12/07/2024"))

	// What if the contract started a month later? Both results side by side.
	var table string
	b.Run(t, "what if",
		chromedp.Click("#whatif-start", chromedp.ByQuery),
		chromedp.WaitVisible("#whatif-table", chromedp.ByQuery),
		fill("#f-whatif-start", "12/02/2024"),
		chromedp.Poll(`document.querySelector("#whatif-table tbody tr").textContent.includes("09/08/2024")`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text("#whatif-table tbody tr", &table, chromedp.ByQuery))
	if !strings.Contains(table, "12/07/2024") {
		t.Errorf("what-if row %q lacks the current end 12/07/2024", table)
	}
	b.Run(t, "close what if", chromedp.Click("#whatif-close", chromedp.ByQuery))

	lat := measureEdits(t, b, 50)
	t.Logf("input-to-result latency over %d edits: p50 %.1f ms, p95 %.1f ms", len(lat), pct(lat, 50), pct(lat, 95))
	b.noCSPViolations(t)
}

// measureEdits moves the contract start n times by one week and returns,
// for each, the milliseconds from the change event to the new end date in
// the DOM (a MutationObserver sees the render).
func measureEdits(t *testing.T, b *browser, n int) []float64 {
	t.Helper()
	var out []float64
	js := fmt.Sprintf(`(async () => {
		const el = document.querySelector("#f-contract-start");
		const res = document.querySelector("#result");
		const out = [];
		for (let i = 0; i < %d; i++) {
			const d = new Date(Date.UTC(2024, 0, 22 + 7 * (i %% 20)));
			const v = String(d.getUTCDate()).padStart(2, "0") + "/" + String(d.getUTCMonth() + 1).padStart(2, "0") + "/" + d.getUTCFullYear();
			const before = document.querySelector("#result-end").textContent;
			const t0 = performance.now();
			const done = new Promise((resolve) => {
				const obs = new MutationObserver(() => {
					const now = document.querySelector("#result-end");
					if (now && now.textContent !== before) { obs.disconnect(); resolve(); }
				});
				obs.observe(res, {subtree: true, childList: true, characterData: true});
			});
			el.value = v;
			el.dispatchEvent(new Event("change", {bubbles: true}));
			await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
			out.push(performance.now() - t0);
		}
		return out;
	})()`, n)
	b.Run(t, "measure edits", Eval(js, &out))
	return out
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// TestDraftSurvivesReloadAndOffline: a draft is in IndexedDB, reopens after
// a reload, and with the server stopped can be opened, edited, recomputed.
func TestDraftSurvivesReloadAndOffline(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/requests/new")
	enterV2(t, b)
	var url string
	b.Run(t, "draft has its own address",
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Location(&url))
	b.Run(t, "service worker", chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)))

	b.Open(t, url)
	b.Run(t, "reloaded draft", waitText("#result-end", "05/07/2024"))

	srv.Stop()
	b.Open(t, srv.URL+"/")
	b.Run(t, "listed offline", chromedp.WaitVisible("#request-table", chromedp.ByQuery))
	var list string
	b.Run(t, "list text", textOf("#request-table", &list))
	if !strings.Contains(list, "Exemple") || !strings.Contains(list, "05/07/2024") {
		t.Errorf("offline list lacks the draft: %q", list)
	}
	b.Run(t, "open offline", chromedp.Click(`#request-table a`, chromedp.ByQuery),
		waitText("#result-end", "05/07/2024"),
		fill("#f-contract-start", "15/01/2024"),
		waitText("#result-end", "12/07/2024"))
	b.Open(t, url)
	b.Run(t, "offline edit kept", waitText("#result-end", "12/07/2024"))
	b.Screenshot(t, "editor-offline")
}

// TestEditorManyRows: 150 past-work rows pasted from a spreadsheet; the
// editor stays responsive (latency logged for the README).
func TestEditorManyRows(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/requests/new")
	enterV2(t, b)
	var rows []string
	day := time.Date(2010, 1, 4, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 149; i++ { // V2's own row makes 150
		from, to := day, day.AddDate(0, 0, 4)
		rows = append(rows, from.Format("02/01/2006")+"\t"+to.Format("02/01/2006")+"\tJob "+fmt.Sprint(i)+"\t5\t19\t38\tBE")
		day = day.AddDate(0, 0, 14)
	}
	var n int
	b.Run(t, "paste 149 rows",
		chromedp.Evaluate(`document.querySelector("details.paste").open = true`, nil),
		fill("#paste-rows", strings.Join(rows, "\n")),
		chromedp.Click("#paste-add", chromedp.ByQuery),
		chromedp.Poll(`document.querySelectorAll("#periods-work tbody.period").length === 150`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`document.querySelectorAll("#periods-work tbody.period").length`, &n))
	if n != 150 {
		t.Fatalf("%d rows, want 150", n)
	}
	lat := measureEdits(t, b, 20)
	t.Logf("150 rows: input-to-result latency over %d edits: p50 %.1f ms, p95 %.1f ms", len(lat), pct(lat, 50), pct(lat, 95))
	if p95 := pct(lat, 95); p95 >= 2000 {
		t.Errorf("with 150 rows an edit took %.0f ms (p95): not responsive", p95)
	}
}
