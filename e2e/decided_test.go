package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"art60/server/admin"
	"art60/server/api"
)

// TestCorrectedEndDateEverywhere: once an agent corrects the end date, it is
// the request's end date on every screen of both roles and in print; the
// computed one is shown as such.
func TestCorrectedEndDateEverywhere(t *testing.T) {
	srv := startServer(t)
	worker, id := workerSends(t, srv, "Iota")
	worker.Run(t, "provisional until ONEM decides",
		waitText("#result h2", "Résultat provisoire (en attente de la décision de l'ONEM)"), waitText("#result-end", "03/01/2025"))
	// The confirmation names the due date the server stamped on receipt.
	wtr, wctx := apiAs(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	var stored api.Request
	if status, body, err := wtr.Do(wctx, "GET", "/api/v1/requests/"+id, "", nil); err != nil || status != 200 || json.Unmarshal(body, &stored) != nil {
		t.Fatalf("read the request: %d %v", status, err)
	}
	var notice string
	worker.Run(t, "sent notice", textOf("#sent-notice", &notice))
	if due := ddmmyyyy(stored.DueDate); !strings.Contains(notice, "Demande reçue par l'ONEM le") || !strings.Contains(notice, "L'ONEM répond au plus tard le "+due) {
		t.Errorf("sent notice %q, want the due date %s", notice, due)
	}
	tr, ctx := apiAs(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	end := "2025-01-10"
	body, _ := json.Marshal(api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: &end,
		Remark: "Le contrat de 2023 compte une semaine de moins."})
	if status, resp, err := tr.Do(ctx, "POST", "/api/v1/requests/"+id+"/decision", "application/json", body); err != nil || status != 200 {
		t.Fatalf("decision: %d %s %v", status, resp, err)
	}

	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "the detail shows the decided end",
		chromedp.Poll(`document.querySelector("#decision") !== null`, nil, chromedp.WithPollingTimeout(45*time.Second)),
		waitText("#result h2", "Résultat décidé par l'ONEM"),
		waitText("#result-end", "10/01/2025"))
	var corrected, decision string
	worker.Run(t, "computed and decided", textOf("#result-corrected", &corrected), textOf("#decision", &decision))
	if !strings.Contains(corrected, "03/01/2025") || !strings.Contains(decision, "10/01/2025") {
		t.Errorf("computed figure %q, decision card %q", corrected, decision)
	}
	if strings.Contains(decision, "03/01/2025") {
		t.Errorf("the decision card shows the computed end: %q", decision)
	}
	var onemMark string
	worker.Run(t, "the timeline marks ONEM's end", chromedp.Evaluate(
		`(document.querySelector("#timeline line.tl-onem-end + text title") || {}).textContent || ""`, &onemMark))
	if onemMark != "E ONEM : fin du contrat retenue par l'ONEM — 10/01/2025" {
		t.Errorf("the timeline's mark of ONEM's end: %q", onemMark)
	}
	worker.Run(t, "timeline in view", chromedp.ScrollIntoView("#timeline", chromedp.ByQuery))
	worker.Screenshot(t, "worker-corrected-timeline")
	worker.Run(t, "print", emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Poll(`getComputedStyle(document.querySelector("#result-end")).display !== "none"`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		waitText("#result-end", "10/01/2025"),
		chromedp.Poll(`getComputedStyle(document.querySelector("#print-header")).display !== "none"`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	var header string
	worker.Run(t, "print header", textOf("#print-header", &header))
	if !strings.Contains(header, "CPAS de Démo") || !strings.Contains(header, id) || !strings.Contains(header, "imprimée le") {
		t.Errorf("print header %q lacks the CPAS, the reference or the print date", header)
	}
	worker.Screenshot(t, "worker-corrected-print")
	worker.Run(t, "screen", emulation.SetEmulatedMedia().WithMedia("screen"))

	worker.Open(t, srv.URL+"/")
	worker.Run(t, "the list shows the decided end",
		chromedp.Poll(`[...document.querySelectorAll("#request-table tbody tr")].some(tr => tr.textContent.includes("Iota") && tr.textContent.includes("10/01/2025") && !tr.textContent.includes("03/01/2025"))`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "french", chooseLang("fr"))
	agent.Open(t, srv.URL+"/queue/"+id)
	agent.Run(t, "the agent's review shows the decided end", waitText("#result-end", "10/01/2025"),
		waitText("#result h2", "Résultat décidé par l'ONEM"))
	agent.Screenshot(t, "agent-corrected")
}

// TestAnotherDeviceInAnotherLanguage: a request sent in French, opened on
// another device of the CPAS in the Dutch UI, shows the person's name and
// the explanation in Dutch; the agent's queue names the person too.
func TestAnotherDeviceInAnotherLanguage(t *testing.T) {
	srv := startServer(t)
	_, id := workerSends(t, srv, "Kappa")

	other := newBrowser(t)
	other.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	other.Run(t, "dutch", chooseLang("nl"))
	other.Open(t, srv.URL+"/requests/"+id)
	other.Run(t, "name and Dutch steps",
		chromedp.Poll(`[...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Kappa")`, nil,
			chromedp.WithPollingTimeout(45*time.Second)),
		chromedp.Poll(`[...document.querySelectorAll("#result-steps li")].some(li => li.textContent.startsWith("Leeftijd op de aanvraagdatum"))`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	var steps string
	other.Run(t, "steps", textOf("#result-steps", &steps))
	if strings.Contains(steps, "Âge à la date") {
		t.Errorf("French steps in the Dutch UI: %q", steps)
	}
	other.Screenshot(t, "other-device-nl")

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "the queue names the person",
		chromedp.Poll(`(document.querySelector('#queue-table a[href="/queue/`+id+`"]') || {}).textContent === "Kappa"`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
}
