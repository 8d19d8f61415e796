package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/calc"
	"art60/server/admin"
	"art60/server/api"
)

// rowOps are the editor's row operations, as a user does them.
var rowOps = []string{"add", "paste", "duplicate", "delete", "move"}

// rowsCase is what the test expects the editor to hold: the case of a
// person born 01/06/1998 with a full-time contract from 08/01/2024 and
// past work rows (work only, so the table's order is the case's order).
type rowsCase struct {
	periods []calc.Period
	made    int // rows created so far, to give each new one its own dates
}

func (rc *rowsCase) newRow() calc.Period {
	// One row a week from Monday 03/04/2023 (inside the reference period,
	// before the contract), one to five days each: every day of credit
	// moves the contract end, so a lost edit shows in the result too. The
	// test makes at most 33 rows, the last ending before 08/01/2024.
	from := time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*rc.made)
	rc.made++
	return calc.Period{Kind: "work", From: from.Format(time.DateOnly), To: from.AddDate(0, 0, rc.made%5).Format(time.DateOnly)}
}

func (rc *rowsCase) calcCase() calc.Case {
	five, full := 5.0, 38.0
	return calc.Case{
		Person:   calc.Person{BirthDate: "1998-06-01"},
		Contract: calc.Contract{Start: "2024-01-08", DaysPerWeek: &five, Q: &full, S: &full},
		Periods:  rc.periods,
		Options:  calc.Options{ClaimDays: "mon-sat"},
	}
}

// wantEnd is calc's contract end for the expected case, as the screen shows it.
func (rc *rowsCase) wantEnd(t *testing.T) string {
	t.Helper()
	c := rc.calcCase()
	res, err := calc.Solve(&c, "fr")
	if err != nil || res.ContractEnd == nil {
		t.Fatalf("expected case does not solve: %v", err)
	}
	return ddmmyyyy(*res.ContractEnd)
}

func ddmmyyyy(iso string) string {
	d, _ := time.Parse(time.DateOnly, iso)
	return d.Format("02/01/2006")
}

// agree waits until every row's dates on the screen and the result are
// the expected ones, and fails with what the screen shows otherwise.
func (rc *rowsCase) agree(t *testing.T, b *browser, what string) {
	t.Helper()
	var want [][2]string
	for _, p := range rc.periods {
		want = append(want, [2]string{ddmmyyyy(p.From), ddmmyyyy(p.To)})
	}
	wantJSON, _ := json.Marshal(want)
	screen := `JSON.stringify([...document.querySelectorAll("#periods-work tbody.period")].map((_, i) =>
		[document.querySelector("#f-periods-" + i + "-from").value, document.querySelector("#f-periods-" + i + "-to").value]))`
	cond := fmt.Sprintf(`%s === %q && (document.querySelector("#result-end") || {}).textContent === %q`, screen, wantJSON, rc.wantEnd(t))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Poll(cond, nil)); err != nil {
		var got, end string
		chromedp.Run(b.ctx, chromedp.Evaluate(screen, &got),
			chromedp.Evaluate(`(document.querySelector("#result-end") || {}).textContent || ""`, &end))
		t.Fatalf("%s: the screen and the case disagree\n screen rows %s, end %q\n   case rows %s, end %q",
			what, got, end, wantJSON, rc.wantEnd(t))
	}
}

// do performs one row operation in the browser and in the expectation.
func (rc *rowsCase) do(t *testing.T, b *browser, rng *rand.Rand, op string) {
	t.Helper()
	n := len(rc.periods)
	switch op {
	case "add":
		p := rc.newRow()
		b.Run(t, "add", click("#add-work"), chromedp.WaitVisible(fmt.Sprintf("#f-periods-%d-from", n), chromedp.ByQuery),
			fill(fmt.Sprintf("#f-periods-%d-from", n), ddmmyyyy(p.From)), fill(fmt.Sprintf("#f-periods-%d-to", n), ddmmyyyy(p.To)))
		rc.periods = append(rc.periods, p)
	case "paste":
		a, c := rc.newRow(), rc.newRow()
		text := ddmmyyyy(a.From) + "\t" + ddmmyyyy(a.To) + "\n" + ddmmyyyy(c.From) + ";" + ddmmyyyy(c.To)
		b.Run(t, "paste", chromedp.Evaluate(`document.querySelector("details.paste").open = true`, nil),
			fill("#paste-rows", text), click("#paste-add"))
		rc.periods = append(rc.periods, a, c)
	case "duplicate":
		i := rng.IntN(n)
		b.Run(t, "duplicate", click(fmt.Sprintf("#row-%d-duplicate", i)))
		rc.periods = append(rc.periods[:i+1], append([]calc.Period{rc.periods[i]}, rc.periods[i+1:]...)...)
	case "delete":
		i := rng.IntN(n)
		b.Run(t, "delete", click(fmt.Sprintf("#row-%d-delete", i)),
			// the keyboard focus stays in the table
			chromedp.Poll(`/^(row-\d+-delete|add-work)$/.test(document.activeElement.id)`, nil, chromedp.WithPollingTimeout(5*time.Second)))
		rc.periods = append(rc.periods[:i:i], rc.periods[i+1:]...)
	case "move":
		i := rng.IntN(n - 1)
		b.Run(t, "move down", click(fmt.Sprintf("#row-%d-down", i)))
		rc.periods[i], rc.periods[i+1] = rc.periods[i+1], rc.periods[i]
	}
	rc.agree(t, b, op)
}

// editEarlier changes the end date of an earlier row, the first one every
// other time, as a tired user going back to row 1 does.
func (rc *rowsCase) editEarlier(t *testing.T, b *browser, rng *rand.Rand, step int) {
	t.Helper()
	i := 0
	if step%2 == 1 {
		i = rng.IntN(len(rc.periods))
	}
	from, _ := time.Parse(time.DateOnly, rc.periods[i].From)
	to := from.AddDate(0, 0, 1+rng.IntN(4)).Format(time.DateOnly)
	if to == rc.periods[i].To {
		to = from.Format(time.DateOnly)
	}
	b.Run(t, "edit an earlier row", fill(fmt.Sprintf("#f-periods-%d-to", i), ddmmyyyy(to)))
	rc.periods[i].To = to
	rc.agree(t, b, fmt.Sprintf("step %d: row %d's end date after an operation", step, i+1))
}

// TestRowEditsReachTheDraftAndONEM: every ordered pair of row operations
// (add, paste, duplicate, delete, move), each followed by an edit of an
// earlier row; after every step the fields and the result agree with the
// expected case, after a reload the saved draft does, and the request ONEM
// receives holds exactly those periods.
func TestRowEditsReachTheDraftAndONEM(t *testing.T) {
	srv, b := signedInWorker(t)
	b.Open(t, srv.URL+"/requests/new")
	b.Run(t, "person and contract",
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", "Lignes"),
		fill("#f-referenceEmail", "cpas@example.be"),
		fill("#f-person-birthDate", "01/06/1998"),
		fill("#f-contract-start", "08/01/2024"),
		click("#full-time"))
	rc := &rowsCase{}
	rng := rand.New(rand.NewPCG(11, 60))
	for range 3 {
		rc.do(t, b, rng, "add")
	}
	step := 0
	for _, first := range rowOps {
		for _, second := range rowOps {
			for _, op := range []string{first, second} {
				rc.do(t, b, rng, op)
				rc.editEarlier(t, b, rng, step)
				step++
			}
		}
	}
	var url string
	b.Run(t, "draft address", chromedp.Location(&url),
		// the last edit's save must land first: a reload during it asks (beforeunload)
		waitSaved())
	b.Open(t, url)
	rc.agree(t, b, "after a reload")
	b.Screenshot(t, "editor-rows")

	id := strings.TrimSuffix(url[strings.Index(url, "/requests/")+len("/requests/"):], "/edit")
	b.Run(t, "send", click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	tr, ctx := apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	var got api.Request
	deadline := time.Now().Add(45 * time.Second)
	for {
		status, body, err := tr.Do(ctx, "GET", "/api/v1/requests/"+id, "", nil)
		if err == nil && status == 200 {
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request never reached the server: %d %s %v", status, body, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var sent calc.Case
	if err := json.Unmarshal(got.Case, &sent); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(rc.periods)
	gotJSON, _ := json.Marshal(sent.Periods)
	if string(gotJSON) != string(wantJSON) {
		t.Fatalf("ONEM received other periods than the screen showed:\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if end := got.Result.ContractEnd; end == nil || ddmmyyyy(*end) != rc.wantEnd(t) {
		t.Fatalf("the server computed %v, the screen showed %s", end, rc.wantEnd(t))
	}
}

// TestLeavingWhileADraftIsBeingSavedAsksFirst: while a device write is in
// flight (data-saving on <html>) leaving the page brings the browser's
// "leave the page?" prompt; once the writes have landed it does not.
func TestLeavingWhileADraftIsBeingSavedAsksFirst(t *testing.T) {
	srv, b := signedInWorker(t)
	b.Open(t, srv.URL+"/requests/new")
	// The field saves on change: leaving the field (Tab) sends it.
	b.Run(t, "type", chromedp.WaitVisible("#page-editor", chromedp.ByQuery), fill("#f-lastName", "Départ"),
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		waitSaved())
	// The page leaves as a click on a link or a reload does (a navigation
	// by the DevTools protocol runs no beforeunload).
	leave := func(to string) {
		b.Run(t, "leave for "+to, chromedp.Evaluate(`setTimeout(() => location.assign("`+to+`"), 100)`, nil))
		time.Sleep(3 * time.Second) // the navigation, and the prompt's answer, replace the page under any wait
		b.Run(t, "arrived at "+to, waitReady(), chromedp.Poll(`location.pathname === "`+to+`"`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	}
	leave("/simulate")
	if n := len(b.console.Matching("beforeunload dialog")); n != 0 {
		t.Fatalf("leaving with every write landed asked %d times", n)
	}
	// A write that has not landed, as the mark says while one runs.
	b.Run(t, "a write in flight", chromedp.Evaluate(`document.documentElement.setAttribute("data-saving", "")`, nil))
	leave("/")
	if n := len(b.console.Matching("beforeunload dialog")); n != 1 {
		t.Errorf("leaving during a write asked %d times, want once", n)
	}
}
