package e2e

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"art60/server/admin"
)

// pointerWatch counts, in the tab's session storage, every pointer or
// mouse event the page receives, from the first script of every page on:
// a keyboard-only test ends with a count of 0.
const pointerWatch = `(() => {
	for (const type of ["pointerdown", "mousedown", "mouseup", "auxclick", "contextmenu"]) {
		addEventListener(type, () => sessionStorage.setItem("art60.pointer", String(Number(sessionStorage.getItem("art60.pointer") || 0) + 1)), true);
	}
})();`

// press sends keys through the DevTools input domain, as a keyboard does.
func press(keys string, mods ...input.Modifier) chromedp.Action {
	if len(mods) > 0 {
		return chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...))
	}
	return chromedp.KeyEvent(keys)
}

// focused waits until the element with id has the keyboard focus.
func focused(id string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id), nil,
		chromedp.WithPollingTimeout(5*time.Second))
}

// tabTo presses Tab until the element with id has the focus (at most 150
// times) and fails if it never does.
func (b *browser) tabTo(t *testing.T, id string) {
	t.Helper()
	for range 150 {
		var at string
		b.Run(t, "tab to "+id, press(kb.Tab), chromedp.Evaluate(`document.activeElement ? document.activeElement.id : ""`, &at))
		if at == id {
			return
		}
	}
	t.Fatalf("Tab never reaches #%s", id)
}

// focusStop is what one Tab press lands on: where it is on the page and
// how its focus shows.
type focusStop struct {
	ID      string  `json:"id"`
	Top     float64 `json:"top"`
	Left    float64 `json:"left"`
	Outline string  `json:"outline"`
	Width   float64 `json:"width"`
	Color   string  `json:"color"`
	Bg      string  `json:"bg"`
	// the block of the layout it is in (header, form, result column, …)
	// and that block's box: blocks side by side are read left to right
	Region  string  `json:"region"`
	RTop    float64 `json:"rtop"`
	RBottom float64 `json:"rbottom"`
	RLeft   float64 `json:"rleft"`
	RRight  float64 `json:"rright"`
}

// focusNow describes the focused element. A visually hidden file input
// shows its focus on its label, the control people see.
const focusNow = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return null;
	const shown = el.type === "file" && el.classList.contains("visually-hidden") ? el.labels[0] : el;
	const cs = getComputedStyle(shown);
	const r = shown.getBoundingClientRect();
	let bg = "rgb(255, 255, 255)";
	for (let p = shown.parentElement; p; p = p.parentElement) {
		const c = getComputedStyle(p).backgroundColor;
		if (c !== "transparent" && !/, 0\)$/.test(c)) { bg = c; break; }
	}
	const region = el.closest(".app-header, #live-summary, .editor-form, .editor-result, #timeline, .app-footer, main") || document.body;
	const rr = region.getBoundingClientRect();
	return {id: el.id || el.tagName.toLowerCase() + ":" + (el.getAttribute("href") || el.textContent.trim().slice(0, 20)),
		top: r.top + scrollY, left: r.left + scrollX, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
		color: cs.outlineColor, bg, region: region.className || region.id || region.tagName,
		rtop: rr.top + scrollY, rbottom: rr.bottom + scrollY, rleft: rr.left + scrollX, rright: rr.right + scrollX};
})()`

// luminance is the relative luminance of a CSS rgb() colour (WCAG 2.1).
func luminance(css string) float64 {
	parts := strings.FieldsFunc(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(css, "rgba("), "rgb("), ")"),
		func(r rune) bool { return r == ',' || r == ' ' })
	if len(parts) < 3 {
		return -1
	}
	var l [3]float64
	for i := range 3 {
		v, _ := strconv.ParseFloat(parts[i], 64)
		v /= 255
		if v <= 0.03928 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG contrast ratio of two CSS colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// readsAfter says whether b comes after a in reading order: in the same
// block of the layout, lower or on the same line further right; in
// another block, one below a's or to its right (the result column beside
// the form).
func readsAfter(a, b *focusStop) bool {
	if a.Region != b.Region {
		return b.RTop >= a.RBottom-1 || b.RLeft >= a.RRight-1
	}
	if math.Abs(b.Top-a.Top) < 12 {
		return b.Left > a.Left
	}
	return b.Top > a.Top
}

// walkTabOrder presses Tab from the top of the page to its end and checks
// that every stop comes after the one before in reading order (lower on
// the page, or on the same line further right) and shows its focus with
// an outline of at least 2 px and 3:1 contrast with what is around it
// (WCAG 2.1, 1.4.11 and 2.4.7). It returns the ids of the stops.
func (b *browser) walkTabOrder(t *testing.T, where string) []string {
	t.Helper()
	// Tab goes on from the last focused element: start at the first one,
	// the skip link.
	b.Run(t, "top of "+where, chromedp.Evaluate(`scrollTo(0, 0); document.querySelector(".skip-link").focus()`, nil))
	var ids []string
	var prev *focusStop
	for i := range 400 {
		var stop *focusStop
		if i == 0 {
			b.Run(t, "first stop in "+where, chromedp.Evaluate(focusNow, &stop))
		} else {
			b.Run(t, "tab in "+where, press(kb.Tab), chromedp.Evaluate(focusNow, &stop))
		}
		if stop == nil || (len(ids) > 0 && stop.ID == ids[0]) {
			break
		}
		ids = append(ids, stop.ID)
		if stop.Outline == "none" || stop.Width < 2 {
			t.Errorf("%s: #%s shows no focus outline (%s %v px)", where, stop.ID, stop.Outline, stop.Width)
		} else if c := contrast(stop.Color, stop.Bg); c < 3 {
			t.Errorf("%s: #%s's focus outline %s on %s has contrast %.1f:1, under 3:1", where, stop.ID, stop.Color, stop.Bg, c)
		}
		// the skip link, first, shows over the header by design
		if prev != nil && i > 1 && !readsAfter(prev, stop) {
			t.Errorf("%s: Tab goes from #%s (%.0f,%.0f) back to #%s (%.0f,%.0f)", where, prev.ID, prev.Left, prev.Top, stop.ID, stop.Left, stop.Top)
		}
		prev = stop
	}
	return ids
}

// TestKeyboardOnly: a worker signs in, creates a request with two
// past-work rows, duplicates and deletes a row, fixes the error a failed
// Send takes them to, and sends, with keyboard events only (no pointer
// event reaches the page). "Add a row" by Enter or Space puts the focus in
// the new row's first date; a duplicate takes the focus to the copy, a
// deletion leaves it in the table; at 390 and 1366 px Tab follows the
// reading order and every stop shows its focus.
func TestKeyboardOnly(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.Run(t, "watch the pointer", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(pointerWatch).Do(ctx)
		return err
	}))
	b.Open(t, srv.URL+"/login")
	b.tabTo(t, "login")
	b.Run(t, "sign in", press(admin.DemoWorker), press(kb.Tab), focused("password"), press(admin.DemoPassword), press(kb.Enter),
		chromedp.WaitVisible("#user-name", chromedp.ByQuery))
	b.tabTo(t, "lang-select")
	// A closed select takes the arrow keys: French is the first language.
	b.Run(t, "french", press(kb.Home), chromedp.Poll(`document.documentElement.lang === "fr"`, nil, chromedp.WithPollingTimeout(5*time.Second)))

	b.Open(t, srv.URL+"/requests/new")
	b.tabTo(t, "f-lastName")
	b.Run(t, "the person", press("Clavier"), press(kb.Tab), focused("f-firstName"), press(kb.Tab), focused("f-person-niss"),
		press(kb.Tab), focused("f-person-birthDate"), press("01/06/1998"), press(kb.Tab), focused("f-contract-start"),
		press("08/01/2024"), press(kb.Tab), focused("f-contract-daysPerWeek"), press("5"),
		press(kb.Tab), press("38"), press(kb.Tab), press("38"))

	// Enter on "Add a row": the focus is in the new row's first date.
	b.tabTo(t, "add-work")
	b.Run(t, "add a row by Enter", press(kb.Enter), focused("f-periods-0-from"),
		press("02/01/2023"), press(kb.Tab), focused("f-periods-0-to"), press("31/03/2023"), press(kb.Tab))
	// Space on "Add a row": the same.
	b.tabTo(t, "add-work")
	b.Run(t, "add a row by Space", press(" "), focused("f-periods-1-from"),
		press("03/04/2023"), press(kb.Tab), focused("f-periods-1-to"), press("31/13/2023"), press(kb.Tab))

	// Duplicate the second row: the focus goes to the copy; delete the
	// copy: the focus stays in the table, on the row before it.
	b.tabTo(t, "row-1-duplicate")
	b.Run(t, "duplicate by Enter", press(kb.Enter), focused("f-periods-2-from"))
	b.tabTo(t, "row-2-delete")
	b.Run(t, "delete by Enter", press(kb.Enter), focused("row-1-delete"),
		chromedp.Poll(`document.querySelector("#f-periods-2-from") === null`, nil, chromedp.WithPollingTimeout(5*time.Second)))

	for _, width := range []int64{390, 1366} {
		b.Run(t, fmt.Sprintf("%d px", width), chromedp.EmulateViewport(width, 844))
		ids := b.walkTabOrder(t, fmt.Sprintf("editor at %d px", width))
		if len(ids) < 30 || !strings.Contains(strings.Join(ids, " "), "f-periods-1-label") {
			t.Errorf("at %d px Tab went through %d stops and missed the rows: %v", width, len(ids), ids)
		}
	}

	// Send: the request is not complete (a date that is none, no e-mail);
	// the focus goes to the first field to fix, the second row's end.
	b.tabTo(t, "send")
	b.Run(t, "send too early", press(kb.Enter), focused("f-periods-1-to"),
		press("a", input.ModifierCtrl), press("30/06/2023"), press(kb.Tab))
	b.tabTo(t, "send")
	b.Run(t, "send without e-mail", press(kb.Enter), focused("f-referenceEmail"), press("cpas@example.be"), press(kb.Tab))
	b.tabTo(t, "send")
	b.Run(t, "send", press(kb.Enter),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`[...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Envoyé à l'ONEM")`, nil,
			chromedp.WithPollingTimeout(45*time.Second)))
	var rows int
	var pointer string
	b.Run(t, "what was sent", chromedp.Evaluate(`document.querySelectorAll("#case-periods tbody tr").length`, &rows),
		chromedp.Evaluate(`sessionStorage.getItem("art60.pointer") || "0"`, &pointer))
	if rows != 2 {
		t.Errorf("the request sent holds %d periods, want the 2 typed", rows)
	}
	if pointer != "0" {
		t.Errorf("%s pointer events reached the page: the test is not keyboard-only", pointer)
	}
}
