package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"art60/server/admin"
	"art60/server/api"
)

// TestTheDPOFindsWhoReadAPersonsFilesAndErasesThem: the DPO, as
// data protection officer, types a person's NISS (never put in the page's
// address), sees which agent opened their request, and erases it after a
// confirmation; the request is then gone for the CPAS too.
func TestTheDPOFindsWhoReadAPersonsFilesAndErasesThem(t *testing.T) {
	srv := startServer(t)
	wtr, wctx := apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	sub := api.Submission{ID: uuid.NewString(), Kind: api.KindInitial, ReferenceEmail: "cpas@example.be", LastName: "Quinet",
		Case: json.RawMessage(`{"person":{"niss":"95031000166","birthDate":"1995-03-10"},` +
			`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},"options":{"claimDays":"mon-sat"}}`)}
	push, _ := json.Marshal(api.PushRequest{ClientID: "dpo-test", SchemaVersion: api.SchemaVersion,
		Mutations: []api.Mutation{{MutationID: 1, Op: api.OpSubmit, Request: &sub}}})
	if status, body, err := wtr.Do(wctx, "POST", "/api/v1/sync/push", "application/json", push); err != nil || status != 200 ||
		!strings.Contains(string(body), `"applied"`) {
		t.Fatalf("push: %d %s %v", status, body, err)
	}
	atr, actx := apiAs(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	if status, _, err := atr.Do(actx, "GET", "/api/v1/requests/"+sub.ID, "", nil); err != nil || status != 200 {
		t.Fatalf("the agent reads the request: %d %v", status, err)
	}

	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoDPO, admin.DemoDPOPass)
	b.Run(t, "french", chooseLang("fr"))
	b.Run(t, "the data-protection officer lands on the GDPR page", chromedp.Poll(`location.pathname === "/privacy"`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	b.Run(t, "a wrong NISS is refused on the field",
		chromedp.WaitVisible("#privacy-niss", chromedp.ByQuery),
		fill("#privacy-niss", "95031000167"), click("#privacy-accesses"),
		waitText("#privacy-niss-error", "Ce n'est pas un NISS ou un numéro BIS valide : vérifiez les 11 chiffres."),
		chromedp.Poll(`document.querySelector("#privacy-niss").getAttribute("aria-invalid") === "true"`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	var table, where string
	b.Run(t, "who opened the files",
		fill("#privacy-niss", "950310 001-66"), click("#privacy-accesses"),
		chromedp.WaitVisible("#privacy-table", chromedp.ByQuery),
		textOf("#privacy-table", &table),
		chromedp.Evaluate(`location.pathname + location.search + location.hash`, &where))
	if !strings.Contains(table, "demo-agent") || !strings.Contains(table, "request.read") || !strings.Contains(table, sub.ID[:8]) {
		t.Errorf("the accesses table: %s", table)
	}
	if strings.Contains(table, "Quinet") || strings.Contains(table, "95031000166") {
		t.Errorf("the accesses show the file: %s", table)
	}
	if where != "/privacy" {
		t.Errorf("the page's address is %q: the NISS must never be in it", where)
	}
	b.checkA11y(t, axeSource(t), "privacy")
	b.Run(t, "erase asks first", click("#privacy-erase"), chromedp.WaitVisible("#privacy-confirm", chromedp.ByQuery))
	b.Screenshot(t, "privacy-confirm-erase")
	b.Run(t, "erase", click("#privacy-erase-yes"),
		waitText("#privacy-done", "1 demande effacée. Pièces jointes effacées : 0."))
	wtr, wctx = apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword) // the first session's context has run out
	if status, _, err := wtr.Do(wctx, "GET", "/api/v1/requests/"+sub.ID, "", nil); status != 404 {
		t.Errorf("the CPAS still reads the erased request: %d %v", status, err)
	}
}
