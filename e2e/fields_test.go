package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/calc"
	"art60/server/admin"
	"art60/server/api"
)

// TestFieldsPeopleFillWithoutCodes: the country is picked from names in
// the user's language, Belgium first, and kept as the ISO code (the field
// shows "Duitsland" in Dutch for what was picked as "Allemagne"); pasted
// names are recognised; an unknown name is flagged, not lost; dates are
// read as people type them (010698, 8-1-24, 02.01.2023) and every date
// message and placeholder speaks the language's format; Days and Hours
// are described by their hints. ONEM receives the codes and ISO dates.
func TestFieldsPeopleFillWithoutCodes(t *testing.T) {
	srv, b := signedInWorker(t)
	b.Open(t, srv.URL+"/requests/new")
	var first string
	var count int
	b.Run(t, "the person and the contract, dates typed loosely",
		chromedp.WaitVisible("#page-editor", chromedp.ByQuery),
		fill("#f-lastName", "Pays"),
		fill("#f-referenceEmail", "cpas@example.be"),
		fill("#f-person-birthDate", "010698"),
		fill("#f-contract-start", "8-1-24"),
		click("#full-time"),
		waitValue("#f-person-birthDate", "01/06/1998"),
		waitValue("#f-contract-start", "08/01/2024"),
		chromedp.Evaluate(`document.querySelector("#country-list option").value`, &first),
		chromedp.Evaluate(`document.querySelectorAll("#country-list option").length`, &count))
	if first != "Belgique" || count != 249 {
		t.Errorf("the country list starts with %q and has %d names, want Belgique first of 249", first, count)
	}

	b.Run(t, "a row abroad, picked by name",
		click("#add-work"),
		chromedp.WaitVisible("#f-periods-0-from", chromedp.ByQuery),
		fill("#f-periods-0-from", "02.01.2023"),
		fill("#f-periods-0-to", "30/06/23"),
		fill("#f-periods-0-country", "Allemagne"),
		chromedp.WaitVisible("#f-periods-0-frontierWorker", chromedp.ByQuery), // abroad: the mark applies
		waitValue("#f-periods-0-from", "02/01/2023"),
		waitValue("#f-periods-0-to", "30/06/2023"),
		waitValue("#f-periods-0-country", "Allemagne"))
	var list, hint, described string
	b.Run(t, "what the fields say",
		chromedp.Evaluate(`document.querySelector("#f-periods-0-country").getAttribute("list")`, &list),
		chromedp.Evaluate(`document.querySelector("#f-periods-0-days").getAttribute("aria-describedby") + " " + document.querySelector("#f-periods-0-hours").getAttribute("aria-describedby")`, &described),
		chromedp.Evaluate(`document.querySelector("#hint-days-work").textContent + " " + document.querySelector("#hint-hours-work").textContent`, &hint))
	if list != "country-list" {
		t.Errorf("the country field suggests from %q", list)
	}
	if described != "hint-days-work hint-hours-work" || !strings.Contains(hint, "réellement prestés") || !strings.Contains(hint, "réellement prestées") {
		t.Errorf("Days and Hours are described by %q: %q", described, hint)
	}

	// A pasted country name, a name nobody knows, a day that does not exist.
	b.Run(t, "paste a row with a country name",
		chromedp.Evaluate(`document.querySelector("details.paste").open = true`, nil),
		fill("#paste-rows", "03/07/2023;31/07/2023;Rotterdam BV;;;;Pays-Bas"), click("#paste-add"),
		waitValue("#f-periods-1-country", "Pays-Bas"),
		fill("#f-periods-0-country", "Atlantide"),
		waitText("#f-periods-0-country-err", "Pays inconnu : choisissez-le dans la liste."),
		waitValue("#f-periods-0-country", "Atlantide"), // kept as typed, to be corrected
		fill("#f-periods-1-to", "31/02/2023"),
		waitText("#f-periods-1-to-err", "Date non valable : un jour du calendrier au format JJ/MM/AAAA est attendu."),
		fill("#f-periods-1-from", "3 juillet"),
		waitText("#f-periods-1-from-err", "Date attendue au format JJ/MM/AAAA."))
	var placeholder, problems string
	b.Run(t, "placeholder (fr)", chromedp.Evaluate(`document.querySelector("#f-periods-1-to").placeholder`, &placeholder),
		textOf("#result-incomplete", &problems))
	if placeholder != "JJ/MM/AAAA" {
		t.Errorf("a French date field shows %q", placeholder)
	}
	// calc's own words name the wire format (AAAA-MM-JJ, ISO 3166-1 codes)
	if strings.Contains(problems, "AAAA-MM") || strings.Contains(problems, "3166") || !strings.Contains(problems, "Pays inconnu") {
		t.Errorf("the result's list of problems speaks codes: %q", problems)
	}
	b.checkA11y(t, axeSource(t), "editor with the country list")
	b.Screenshot(t, "fields-country-and-dates")

	b.Run(t, "fix them", fill("#f-periods-0-country", "allemagne"), fill("#f-periods-1-from", "03/07/2023"), fill("#f-periods-1-to", "31/07/2023"),
		chromedp.Poll(`!document.querySelector(".field-error")`, nil, chromedp.WithPollingTimeout(5*time.Second)))

	// Dutch: the same codes show as Dutch names; the date format is Dutch.
	b.Run(t, "language nl", chooseLang("nl"),
		waitValue("#f-periods-0-country", "Duitsland"), waitValue("#f-periods-1-country", "Nederland"),
		fill("#f-person-birthDate", "1998"),
		waitText("#f-person-birthDate-err", "Datum verwacht als DD/MM/JJJJ."),
		chromedp.Evaluate(`document.querySelector("#f-periods-1-to").placeholder`, &placeholder),
		fill("#f-person-birthDate", "1/6/98"), waitValue("#f-person-birthDate", "01/06/1998"))
	if placeholder != "DD/MM/JJJJ" {
		t.Errorf("a Dutch date field shows %q", placeholder)
	}

	var url string
	b.Run(t, "send", chromedp.Location(&url), click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	id := strings.TrimSuffix(url[strings.Index(url, "/requests/")+len("/requests/"):], "/edit")
	tr, ctx := apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	var got api.Request
	for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		status, body, err := tr.Do(ctx, "GET", "/api/v1/requests/"+id, "", nil)
		if err == nil && status == 200 && json.Unmarshal(body, &got) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request never reached the server: %d %s %v", status, body, err)
		}
	}
	var sent calc.Case
	if err := json.Unmarshal(got.Case, &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent.Periods) != 2 || sent.Periods[0].Country != "DE" || sent.Periods[1].Country != "NL" ||
		sent.Person.BirthDate != "1998-06-01" || sent.Contract.Start != "2024-01-08" || sent.Periods[0].From != "2023-01-02" {
		t.Errorf("ONEM received %+v %+v %+v", sent.Person, sent.Contract, sent.Periods)
	}
}
