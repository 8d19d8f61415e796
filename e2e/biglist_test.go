package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/app/drafts"
	"art60/server/admin"
	"art60/server/api"
)

// bigListSize is the device of a big city's CPAS (README, "Performance").
const bigListSize = 10000

// bigList is bigListSize drafts of every status; 10 are about "Zorglub",
// one has the NISS 90020212345, every 50th was invalidated by ONEM.
func bigList() (ds []drafts.Draft, invalidated int) {
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range bigListSize {
		d := drafts.Draft{ID: drafts.NewID(), Status: api.StatusDraft, Kind: api.KindInitial,
			LastName: fmt.Sprintf("Nom%05d", i), FirstName: "Prénom",
			UpdatedAt: base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			Result:    &drafts.ResultDigest{ContractEnd: "2026-12-31"}}
		d.Case.Person.NISS = fmt.Sprintf("85%09d", i)
		switch {
		case i%1000 == 7:
			d.LastName = "Zorglub"
		case i == 4321:
			d.Case.Person.NISS = "90020212345"
		}
		switch {
		case i%50 == 0:
			d.Status = api.StatusInvalidated
			d.Remote = &api.Request{Status: api.StatusInvalidated, Decision: &api.Decision{Outcome: api.StatusInvalidated,
				DecidedAt: base.Add(time.Duration(i) * time.Second).Format(time.RFC3339)}}
			invalidated++
		case i%7 == 0:
			d.Status = api.StatusSent
			d.Remote = &api.Request{Status: api.StatusSent}
		}
		ds = append(ds, d)
	}
	return ds, invalidated
}

// fillDevice writes drafts and their list rows straight into the signed-in
// user's IndexedDB, as the app stores them (drafts.Buckets), in batches.
func (b *browser) fillDevice(t *testing.T, ds []drafts.Draft) {
	t.Helper()
	b.Run(t, "device store open", chromedp.Poll(`indexedDB.databases().then(dbs => dbs.some(d => d.name.startsWith("art60-user-") && d.version >= 3))`,
		nil, chromedp.WithPollingTimeout(30*time.Second)))
	put := func(store string, recs [][2]any) {
		js, _ := json.Marshal(recs)
		var n int
		b.Run(t, "fill "+store, Eval(`(async (store, recs) => {
			const name = (await indexedDB.databases()).find(d => d.name.startsWith("art60-user-")).name;
			const db = await new Promise((ok, ko) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
			const tx = db.transaction(store, "readwrite");
			for (const [key, value] of recs) tx.objectStore(store).put(value, key);
			await new Promise((ok, ko) => { tx.oncomplete = ok; tx.onerror = () => ko(tx.error); });
			db.close();
			return recs.length;
		})("`+store+`", `+string(js)+`)`, &n))
		if n != len(recs) {
			t.Fatalf("wrote %d of %d", n, len(recs))
		}
	}
	const batch = 1000
	for from := 0; from < len(ds); from += batch {
		var recs [][2]any
		for _, d := range ds[from:min(from+batch, len(ds))] {
			data, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, [2]any{d.ID, string(data)})
		}
		put("drafts", recs)
	}
	var recs [][2]any
	for bucket, rows := range drafts.Buckets(ds) {
		recs = append(recs, [2]any{bucket, rows})
	}
	put("rows", recs)
}

// timedUntil runs a JavaScript function that changes the page (act),
// then returns the milliseconds until the list count says want, measured
// in the page (performance.now, a MutationObserver on the count).
const timedUntil = `(async (act, want) => {
	const shown = () => { const c = document.querySelector("#list-count"); return c && c.textContent.startsWith(want + " ") && document.querySelector("#request-table tbody tr"); };
	const t0 = performance.now();
	const done = new Promise(ok => {
		if (shown()) { ok(); return; }
		const mo = new MutationObserver(() => { if (shown()) { mo.disconnect(); ok(); } });
		mo.observe(document.body, {childList: true, subtree: true, characterData: true});
	});
	act();
	await done;
	return performance.now() - t0;
})`

// TestTenThousandRequestsListAtOnce: with 10,000 requests on the device the
// list opens, only the rows in view are in the DOM, scrolling reaches the
// last one, and the search (name, NISS) and the status filter keep the
// right rows; at phone width the rows are cards and nothing is wider than
// the screen; axe finds nothing. The times are logged (soft targets: 1 s to
// show, 50 ms to filter), never asserted: a loaded machine must not fail it.
func TestTenThousandRequestsListAtOnce(t *testing.T) {
	axe := axeSource(t)
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	ds, invalidated := bigList()
	start := time.Now()
	b.fillDevice(t, ds)
	t.Logf("filled IndexedDB with %d requests in %v", len(ds), time.Since(start).Round(time.Millisecond))

	b.Open(t, srv.URL+"/simulate")
	var shownMs float64
	b.Run(t, "open the list", Eval(timedUntil+`(() => document.querySelector("a.brand").click(), "`+strconv.Itoa(bigListSize)+`")`, &shownMs))
	t.Logf("list shown in %.0f ms (%d requests; target 1000 ms)", shownMs, bigListSize)

	var inDOM int
	b.Run(t, "rows in the DOM", Eval(`document.querySelectorAll("#request-table tbody tr").length`, &inDOM))
	if inDOM == 0 || inDOM > 100 {
		t.Errorf("%d rows in the DOM for %d requests: want only those in view", inDOM, bigListSize)
	}
	// the first row is the newest ONEM answer: request 9950, invalidated
	var firstRow string
	b.Run(t, "first row", chromedp.Text("#request-table tbody tr", &firstRow, chromedp.ByQuery))
	if want := "Nom09950"; !strings.Contains(firstRow, want) {
		t.Errorf("first row %q, want %s first", firstRow, want)
	}
	var lastRow string
	b.Run(t, "scroll to the end",
		chromedp.Evaluate(`(() => { const s = document.querySelector("#request-scroll"); s.scrollTop = s.scrollHeight; })()`, nil),
		chromedp.Poll(`[...document.querySelectorAll("#request-table tbody tr")].some(tr => tr.textContent.includes("Nom00001"))`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll("#request-table tbody tr")].at(-1).textContent`, &lastRow))
	if !strings.Contains(lastRow, "Nom00001") { // the oldest change that ONEM did not answer
		t.Errorf("last row %q, want Nom00001", lastRow)
	}
	b.Run(t, "rows in the DOM at the end", Eval(`document.querySelectorAll("#request-table tbody tr").length`, &inDOM))
	if inDOM > 100 {
		t.Errorf("%d rows in the DOM after scrolling", inDOM)
	}

	b.Run(t, "search helper", chromedp.Evaluate(`globalThis.search = q => { const s = document.querySelector("#search");
		s.value = q; s.dispatchEvent(new Event("input", {bubbles: true})); }`, nil))
	var nameMs float64
	b.Run(t, "filter by name", Eval(timedUntil+`(() => search("zorGLUB"), "10")`, &nameMs))
	t.Logf("filter by name in %.1f ms (target 50 ms)", nameMs)
	var names []string
	b.Run(t, "names kept", Eval(`[...document.querySelectorAll("#request-table tbody tr td:first-child")].map(td => td.textContent)`, &names))
	if len(names) != 10 {
		t.Errorf("search zorglub kept %v, want the 10 Zorglub", names)
	}
	for _, n := range names {
		if !strings.Contains(n, "Zorglub") {
			t.Errorf("search zorglub kept %q", n)
		}
	}

	var nissMs float64
	b.Run(t, "filter by NISS", Eval(timedUntil+`(() => search("90.02.02-123.45"), "1")`, &nissMs))
	t.Logf("filter by NISS in %.1f ms", nissMs)
	b.Run(t, "NISS kept", chromedp.Text("#request-table tbody tr", &firstRow, chromedp.ByQuery))
	if !strings.Contains(firstRow, "Nom04321") {
		t.Errorf("search by NISS kept %q, want Nom04321", firstRow)
	}

	var statusMs float64
	b.Run(t, "filter by status", Eval(timedUntil+`(() => { search(""); const f = document.querySelector("#status-filter");
		f.value = "invalidated"; f.dispatchEvent(new Event("change", {bubbles: true})); }, "`+strconv.Itoa(invalidated)+`")`, &statusMs))
	t.Logf("filter by status in %.1f ms (%d invalidated)", statusMs, invalidated)
	var badges []string
	b.Run(t, "statuses kept", Eval(`[...document.querySelectorAll("#request-table tbody tr .badge")].map(b => b.className)`, &badges))
	for _, c := range badges {
		if c != "badge status-invalidated" {
			t.Errorf("status filter kept a %q", c)
		}
	}
	b.checkA11y(t, axe, "list of 10,000")

	b.Run(t, "phone width", chromedp.EmulateViewport(390, 844), chromedp.Sleep(300*time.Millisecond))
	var phone struct {
		Display     string `json:"display"`
		PageWide    int    `json:"pageWide"`
		Screen      int    `json:"screen"`
		ListWide    int    `json:"listWide"`
		ListVisible int    `json:"listVisible"`
	}
	b.Run(t, "cards", Eval(`(() => { const s = document.querySelector("#request-scroll");
		return {display: getComputedStyle(document.querySelector("#request-table tbody tr")).display,
			pageWide: document.documentElement.scrollWidth, screen: window.innerWidth,
			listWide: s.scrollWidth, listVisible: s.clientWidth}; })()`, &phone))
	if phone.Display != "grid" {
		t.Errorf("at 390 px a row is displayed %q, want a card (grid)", phone.Display)
	}
	if phone.ListWide > phone.ListVisible || phone.PageWide > phone.Screen {
		t.Errorf("at 390 px something scrolls sideways: list %d in %d px, page %d in %d px", phone.ListWide, phone.ListVisible, phone.PageWide, phone.Screen)
	}
	b.Screenshot(t, "list-10000-phone")
	b.checkA11y(t, axe, "list of 10,000 at phone width")
	b.noCSPViolations(t)
	if os.Getenv("CI") != "" && (shownMs > 1000 || nameMs > 50) {
		t.Logf("over target on CI: list shown %.0f ms, filter %.1f ms", shownMs, nameMs)
	}
}
