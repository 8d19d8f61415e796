package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/calc"
	"art60/server/admin"
)

// rev2Case is the case TestRevision2Editor types, kept in step with the
// screen so that calc, run here, says what the screen must show. A person
// of 25 (AR 1991: 312 days in 21 months), a contract from Monday
// 08/01/2024, a year of full-time work in France (a convention country,
// RULES.md §12.11) and then a half-time Belgian job.
type rev2Case struct{ c calc.Case }

func newRev2Case() *rev2Case {
	five, full, half := 5.0, 38.0, 19.0
	return &rev2Case{c: calc.Case{
		Person:   calc.Person{BirthDate: "1998-06-01"},
		Contract: calc.Contract{Start: "2024-01-08", DaysPerWeek: &five, Q: &full, S: &full},
		Periods: []calc.Period{
			{Kind: "work", From: "2022-04-04", To: "2023-03-31", Country: "FR", Label: "Paris SARL"},
			// 03/04/2023 + 3 months - 1 day = 02/07/2023: exactly the 3
			// calendar months of §12.11 (a Sunday, so the day that the
			// test later takes off carries no credit of its own).
			{Kind: "work", From: "2023-04-03", To: "2023-07-02", Q: &half, S: &full, Country: "BE", Label: "Liège SA"},
		},
		Options: calc.Options{ClaimDays: "mon-sat"},
	}}
}

func (rc *rev2Case) solve(t *testing.T, lang string) *calc.Result {
	t.Helper()
	res, err := calc.Solve(&rc.c, lang)
	if err != nil {
		t.Fatalf("the expected case does not solve: %v", err)
	}
	return res
}

// shows waits until the result panel shows calc's answer for the case:
// the end date (or "already admissible"), every explanation line, and the
// warnings, in lang; it fails with what the screen shows otherwise.
func (rc *rev2Case) shows(t *testing.T, b *browser, lang, already, what string) *calc.Result {
	t.Helper()
	res := rc.solve(t, lang)
	end := already
	if res.ContractEnd != nil {
		end = ddmmyyyy(*res.ContractEnd)
	}
	steps := strings.Join(res.Steps, "\n")
	warnings := strings.Join(res.Warnings, "\n")
	screenSteps := `[...document.querySelectorAll("#result-steps li")].map(li => li.textContent).join("\n")`
	screenWarnings := `[...document.querySelectorAll("#result-warnings li")].map(li => li.textContent).join("\n")`
	cond := fmt.Sprintf(`(document.querySelector("#result-end") || {}).textContent === %q && %s === %q && %s === %q`,
		end, screenSteps, steps, screenWarnings, warnings)
	var ok bool
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b.Run(t, what, chromedp.Evaluate(cond, &ok)); ok {
			return res
		}
	}
	var gotEnd, gotSteps, gotWarnings string
	b.Run(t, what, chromedp.Evaluate(`(document.querySelector("#result-end") || {}).textContent || ""`, &gotEnd),
		chromedp.Evaluate(screenSteps, &gotSteps), chromedp.Evaluate(screenWarnings, &gotWarnings))
	t.Fatalf("%s: the screen does not show calc's result\n screen end %q\n%s\n%s\n calc end %q\n%s\n%s",
		what, gotEnd, gotSteps, gotWarnings, end, steps, warnings)
	return nil
}

// present is a JavaScript test that an element is on the page.
func present(sel string) string { return fmt.Sprintf(`document.querySelector(%q) !== null`, sel) }

// TestRevision2Editor: work abroad counts after 3 calendar months of
// Belgian employment, not after one day less (RULES.md §12.11, revision 2
// change 3); the frontier-worker mark makes it count without them; the
// warnings of §12.18 show beside the result in French and in Dutch; the
// child-raising fields show on their kind only. Each figure on the screen
// is compared with calc's for the same case; the rule itself is pinned by
// what calc must say (abroad work counted, the contract's first day
// completing the 3 months), so the test fails if the rule is reverted.
func TestRevision2Editor(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // requests belong to a signed-in user
	b.Open(t, srv.URL+"/requests/new")
	rc := newRev2Case()
	b.Run(t, "language fr", chooseLang("fr"))

	b.Run(t, "person, contract and the abroad job",
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", "Exemple"),
		fill("#f-firstName", "Frontière"),
		fill("#f-person-birthDate", "01/06/1998"),
		fill("#f-contract-start", "08/01/2024"),
		click("#full-time"),
		click("#add-work"),
		chromedp.WaitVisible("#f-periods-0-from", chromedp.ByQuery),
		fill("#f-periods-0-from", "04/04/2022"),
		fill("#f-periods-0-to", "31/03/2023"),
		fill("#f-periods-0-label", "Paris SARL"),
	)
	// No country yet: no frontier mark to give.
	var shown bool
	b.Run(t, "no frontier mark without a country", chromedp.Evaluate(present("#f-periods-0-frontierWorker"), &shown))
	if shown {
		t.Error("the frontier-worker box shows on a row without a country")
	}
	b.Run(t, "the abroad job's country", fill("#f-periods-0-country", "fr"),
		chromedp.WaitVisible("#f-periods-0-frontierWorker", chromedp.ByQuery))

	b.Run(t, "the Belgian part-time job",
		click("#add-work"),
		chromedp.WaitVisible("#f-periods-1-from", chromedp.ByQuery),
		fill("#f-periods-1-from", "03/04/2023"),
		fill("#f-periods-1-to", "02/07/2023"),
		fill("#f-periods-1-q", "19"),
		fill("#f-periods-1-s", "38"),
		fill("#f-periods-1-country", "BE"),
		fill("#f-periods-1-label", "Liège SA"),
	)
	b.Run(t, "no frontier mark on Belgian work", chromedp.Evaluate(present("#f-periods-1-frontierWorker"), &shown))
	if shown {
		t.Error("the frontier-worker box shows on Belgian work")
	}

	// 1. Three calendar months of Belgian work: the year in France counts,
	// and with it the person is admissible before the contract starts.
	res := rc.shows(t, b, "fr", "Déjà admissible", "abroad work followed by 3 months")
	if !res.AlreadyAdmissible || res.Periods[0].Treatment != "credit" || res.Window.ExtensionDays != 0 {
		t.Fatalf("calc no longer counts work abroad after 3 calendar months of Belgian employment (RULES.md §12.11): %+v", res)
	}
	b.Screenshot(t, "revision2-abroad-counted")

	// 2. One day less: before the contract the year in France only extends
	// the reference period (no credit), so the person is no longer
	// admissible before it; the contract's first day is Belgian employment
	// too and completes the 3 months, so the contract ends on that day.
	rc.c.Periods[1].To = "2023-07-01"
	b.Run(t, "one day under 3 months", fill("#f-periods-1-to", "01/07/2023"))
	res = rc.shows(t, b, "fr", "Déjà admissible", "abroad work followed by 3 months less a day")
	if res.AlreadyAdmissible || res.ContractEnd == nil || *res.ContractEnd != rc.c.Contract.Start {
		t.Fatalf("with one day under 3 months calc should count the abroad work only from the contract's first day: %+v", res)
	}
	var steps string
	b.Run(t, "steps", chromedp.Evaluate(`document.querySelector("#result-steps").textContent`, &steps))
	// 39 days are the Belgian job's alone (65 weekdays at 6/5 × 19/38).
	if !strings.Contains(steps, "la meilleure possibilité avait 39 jours sur 312") {
		t.Errorf("the explanation does not say that only the Belgian job's 39 days counted the day before the contract:\n%s", steps)
	}

	// 3. A frontier worker's work abroad counts without Belgian employment
	// after it (§12.11): ticking the box makes the person admissible again.
	yes := true
	rc.c.Periods[0].FrontierWorker = &yes
	b.Run(t, "frontier worker", click("#f-periods-0-frontierWorker"))
	res = rc.shows(t, b, "fr", "Déjà admissible", "frontier worker")
	if !res.AlreadyAdmissible {
		t.Fatalf("a frontier worker's work abroad does not count: %+v", res)
	}
	rc.c.Periods[0].FrontierWorker = nil
	b.Run(t, "not a frontier worker", click("#f-periods-0-frontierWorker"))
	rc.shows(t, b, "fr", "Déjà admissible", "frontier mark removed")

	// 4. A part-time contract: the warning of §12.18, under its heading, in
	// French, then in Dutch after a change of language.
	half := 19.0
	rc.c.Contract.Q = &half
	b.Run(t, "part-time contract", fill("#f-contract-q", "19"))
	res = rc.shows(t, b, "fr", "Déjà admissible", "part-time contract (fr)")
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "temps partiel") {
		t.Fatalf("calc gives no part-time warning: %q", res.Warnings)
	}
	b.Run(t, "warnings heading (fr)", waitText("#result-warnings h3", "Points d'attention"))
	b.Run(t, "language nl", chooseLang("nl"))
	res = rc.shows(t, b, "nl", "Reeds toelaatbaar", "part-time contract (nl)")
	if !strings.Contains(res.Warnings[0], "deeltijds") {
		t.Errorf("calc's Dutch part-time warning: %q", res.Warnings)
	}
	b.Run(t, "warnings heading (nl)", waitText("#result-warnings h3", "Aandachtspunten"))
	b.Run(t, "language fr again", chooseLang("fr"))

	// 5. Child raising: the child's birth date and the disability mark show
	// on that kind only, and leave with it.
	born := "2021-03-15"
	rc.c.Periods = append(rc.c.Periods, calc.Period{Kind: "child_raising", From: "2021-01-04", To: "2021-12-31", ChildBirthDate: &born})
	b.Run(t, "a child-raising period",
		click("#add-events"),
		chromedp.WaitVisible("#f-periods-2-kind", chromedp.ByQuery),
		chromedp.Evaluate(present("#f-periods-2-childBirthDate"), &shown))
	if shown {
		t.Error("the child's birth date shows on a sickness row")
	}
	b.Run(t, "child raising fields",
		fill("#f-periods-2-kind", "child_raising"),
		chromedp.WaitVisible("#f-periods-2-childBirthDate", chromedp.ByQuery),
		chromedp.WaitVisible("#f-periods-2-childDisability", chromedp.ByQuery),
		fill("#f-periods-2-from", "04/01/2021"),
		fill("#f-periods-2-to", "31/12/2021"),
		fill("#f-periods-2-childBirthDate", "15/03/2021"),
		chromedp.Evaluate(present("#f-periods-2-frontierWorker"), &shown))
	if shown {
		t.Error("the frontier-worker box shows on a child-raising row")
	}
	rc.shows(t, b, "fr", "Déjà admissible", "child raising")
	b.Run(t, "the editor with the new fields", chromedp.ScrollIntoView("#f-periods-2-childBirthDate", chromedp.ByQuery))
	b.Screenshot(t, "revision2-editor")

	// Back to another kind: the child's fields go, and calc, which refuses
	// them on other kinds, finds nothing to refuse.
	rc.c.Periods[2] = calc.Period{Kind: "studies", From: "2021-01-04", To: "2021-12-31"}
	b.Run(t, "another kind", fill("#f-periods-2-kind", "studies"),
		chromedp.Poll(`document.querySelector("#f-periods-2-childBirthDate") === null`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	rc.shows(t, b, "fr", "Déjà admissible", "child fields dropped with the kind")
	b.noCSPViolations(t)
}
