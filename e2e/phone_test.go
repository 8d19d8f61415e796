package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// tenRows are ten past-work rows as a spreadsheet gives them, with the
// long employer names and foreign countries that widen a row.
func tenRows() string {
	var lines []string
	for i := range 10 {
		from := time.Date(2022, 4, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 21*i)
		lines = append(lines, strings.Join([]string{from.Format("02/01/2006"), from.AddDate(0, 0, 11).Format("02/01/2006"),
			fmt.Sprintf("Entreprise de nettoyage industriel et de services %d SPRL", i+1), "5", "38", "38", []string{"BE", "FR", "NL"}[i%3]}, "\t"))
	}
	return strings.Join(lines, "\n")
}

// tenRowRequest enters a request with ten past-work rows and, if send,
// sends it; it returns the request's id.
func (b *browser) tenRowRequest(t *testing.T, base, name string, send bool) string {
	t.Helper()
	b.Open(t, base+"/requests/new")
	var loc string
	b.Run(t, "enter "+name,
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", name),
		fill("#f-person-birthDate", "01/06/1998"),
		fill("#f-contract-start", "08/01/2024"),
		click("#full-time"),
		fill("#f-referenceEmail", "cpas@example.be"),
		chromedp.Evaluate(`document.querySelector("details.paste").open = true`, nil),
		fill("#paste-rows", tenRows()), click("#paste-add"),
		chromedp.WaitVisible("#f-periods-9-from", chromedp.ByQuery),
		chromedp.WaitVisible("#result-end", chromedp.ByQuery),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Location(&loc))
	if send {
		b.Run(t, "send "+name, click("#send"),
			chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Poll(`[...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Envoyé à l'ONEM")`, nil,
				chromedp.WithPollingTimeout(45*time.Second)))
	}
	return strings.TrimSuffix(loc[strings.Index(loc, "/requests/")+len("/requests/"):], "/edit")
}

// screen is one page as one user sees it.
type screen struct {
	name, path, marker string
	b                  *browser
}

// open shows the screen at width and fails the test if anything on it
// scrolls sideways.
func (s screen) open(t *testing.T, base, lang string, width int64) {
	t.Helper()
	s.b.Run(t, fmt.Sprintf("%s at %d", s.name, width), chromedp.EmulateViewport(width, 844))
	s.b.Open(t, base+s.path)
	s.b.Run(t, s.name, chromedp.WaitVisible(s.marker, chromedp.ByQuery))
	var over string
	s.b.Run(t, "width of "+s.name, chromedp.Evaluate(fitsWidth, &over))
	if over != "" {
		t.Errorf("%s/%s at %d px scrolls sideways: %s", s.name, lang, width, over)
	}
}

// fitsWidth is a JavaScript test that nothing scrolls sideways: neither
// the page nor a table's frame (the timeline, a chart, may scroll in its
// own frame). It returns what overflows, or "".
const fitsWidth = `(() => {
	const out = [];
	const vw = window.innerWidth;
	if (document.documentElement.scrollWidth !== vw) out.push("page " + document.documentElement.scrollWidth + " > " + vw);
	// a visually hidden block (clip, as the request list's column headings
	// on a phone) is read by screen readers, not seen
	const clipped = el => { for (let a = el; a; a = a.parentElement) { const c = getComputedStyle(a).clip; if (c && c !== "auto") return true; } return false; };
	for (const el of document.querySelectorAll("main *")) {
		if (el.closest(".timeline-wrap, .visually-hidden") || clipped(el)) continue;
		const r = el.getBoundingClientRect();
		if (r.width <= 1) continue; // visually hidden (a label for screen readers)
		if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) out.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className) + " " + Math.round(r.left) + ".." + Math.round(r.right));
		// a text field scrolls its own text: that is no sideways scrolling
		if (!el.matches("input, textarea, select") && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") out.push("scrolls: " + (el.id || el.className));
	}
	return out.slice(0, 8).join("; ");
})()`

// TestEveryScreenFitsAPhone: at 390×844 (and 768, 1366) nothing scrolls sideways on the
// editor with ten rows, the simulator, the detail page, the agent's queue
// and review, contact and the password page; on a phone the contract end
// stays in view at the top of the editor and takes the reader to the full
// result; axe-core finds nothing on
// them at 390 and 1366 px in French and in Dutch; each is photographed at
// 390, 768 and 1366 px (e2e/artifacts/fit-*.png).
func TestEveryScreenFitsAPhone(t *testing.T) {
	axe := axeSource(t)
	srv := startServer(t)
	worker := frenchWorker(t, srv)
	draft := worker.tenRowRequest(t, srv.URL, "Téléphone-Tablette-Ordinateur", false)
	sent := worker.tenRowRequest(t, srv.URL, "Envoyée", true)
	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	screens := []screen{
		{"editor", "/requests/" + draft + "/edit", "#f-periods-9-label", worker},
		{"simulate", "/simulate", "#page-simulate", worker},
		{"detail", "/requests/" + sent, "#result-end", worker},
		{"contact", "/contact", "#page-contact", worker},
		{"password", "/password", "#page-password", worker},
		{"queue", "/queue", `#queue-table a[href="/queue/` + sent + `"]`, agent},
		{"review", "/queue/" + sent, "#result-end", agent},
	}
	for _, lang := range []string{"fr", "nl"} {
		for _, b := range []*browser{worker, agent} {
			b.Run(t, "language "+lang, chooseLang(lang))
		}
		for _, width := range []int64{390, 768, 1366} {
			for _, s := range screens {
				s.open(t, srv.URL, lang, width)
				if s.name == "editor" {
					liveSummaryInView(t, s.b, width)
				}
				if width != 768 {
					s.b.checkA11y(t, axe, fmt.Sprintf("%s/%s/%d", s.name, lang, width))
				}
				if lang == "fr" {
					s.b.Screenshot(t, fmt.Sprintf("fit-%s-%d", s.name, width))
				}
			}
		}
	}
}

// liveSummaryInView checks the editor's one-line result: on a phone, with
// the tenth row in view, it is at the top of the screen with the end date
// the full result shows, and its button brings that result into view with
// the keyboard focus; on a wide screen, where the result is beside the
// form, it is not shown.
func liveSummaryInView(t *testing.T, b *browser, width int64) {
	t.Helper()
	var shown bool
	b.Run(t, "summary shown", chromedp.Evaluate(`getComputedStyle(document.querySelector("#live-summary")).display !== "none"`, &shown))
	if width > 1024 {
		if shown {
			t.Errorf("at %d px the one-line result shows beside the full one", width)
		}
		return
	}
	var top float64
	var line, end string
	b.Run(t, "scroll to the tenth row", chromedp.ScrollIntoView("#f-periods-9-label", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#live-summary").getBoundingClientRect().top`, &top),
		textOf("#live-end", &line), textOf("#result-end", &end))
	if !shown || top < 0 || top > 1 || !strings.HasSuffix(line, end) || end == "" {
		t.Errorf("at %d px with the tenth row in view the one-line result is at %v px (shown %v), says %q; the result says %q",
			width, top, shown, line, end)
	}
	var inView, focused bool
	b.Run(t, "jump to the result", click("#live-jump"),
		chromedp.Poll(`document.activeElement.id === "result"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`(() => { const r = document.querySelector("#result").getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; })()`, &inView),
		chromedp.Evaluate(`document.activeElement.id === "result"`, &focused))
	if !inView || !focused {
		t.Errorf("at %d px the summary's button does not bring the result into view (%v) with the focus (%v)", width, inView, focused)
	}
}
