package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/calc"
	"art60/server/admin"
	"art60/server/api"
)

// TestTheAgentGoesFromOneDecisionToTheNext: a corrected end date sets the
// days to work as calc counts them, until the agent types the days; the
// decision card has no separator with nothing beside it; "Next request"
// then opens the next request of the queue with empty fields, and after
// the last one the way back to the queue.
func TestTheAgentGoesFromOneDecisionToTheNext(t *testing.T) {
	srv := startServer(t)
	worker, first := workerSends(t, srv, "Premier")
	second := worker.newRequest(t, srv.URL, "Second", true)
	worker.Run(t, "both on the server", chromedp.Poll(`[...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Envoyé à l'ONEM")`, nil,
		chromedp.WithPollingTimeout(45*time.Second)))

	// The case newRequest types: contract from 08/01/2024, 5 days a week.
	contract := calc.Case{Contract: calc.Contract{Start: "2024-01-08"}}
	daysTo := func(end string) string {
		n, ok := calc.ContractScheduledDays(&contract, end)
		if !ok {
			t.Fatalf("calc counts no days to %s", end)
		}
		return strconv.Itoa(n)
	}

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "french", chooseLang("fr"))
	agent.Open(t, srv.URL+"/queue/"+first)
	agent.Run(t, "a corrected end sets the days",
		waitText("#result-end", "03/01/2025"),
		fill("#f-decision-contractEnd", "15/01/2025"),
		waitValue("#f-decision-days", daysTo("2025-01-15")),
		waitText("#f-decision-days-hint", "Déduits de la fin corrigée (jours du régime du contrat) ; modifiez-les pour en décider autrement."))
	agent.Run(t, "days typed by the agent stay",
		fill("#f-decision-days", "250"),
		fill("#f-decision-contractEnd", "16/01/2025"),
		chromedp.Sleep(300*time.Millisecond),
		waitValue("#f-decision-days", "250"))
	agent.Run(t, "emptied, they follow the end again",
		fill("#f-decision-days", ""),
		waitValue("#f-decision-days", daysTo("2025-01-16")),
		fill("#f-decision-remark", "Contrat prolongé de deux semaines."),
		click("#review-validate"),
		waitText("#review-decided-text", "Calculé par l'ONEM · Fin du contrat : 16/01/2025 · Jours de contrat à prester : "+
			daysTo("2025-01-16")+" · Contrat prolongé de deux semaines."),
		// the focus waits on the way to the next request
		chromedp.Poll(`document.activeElement && document.activeElement.id === "review-next"`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		waitText("#review-next", "Demande suivante : Second (échéance "+dueOf(t, srv.URL, second)+")"))
	agent.Screenshot(t, "agent-next-request")

	agent.Run(t, "next request", click("#review-next"),
		chromedp.Poll(`location.pathname === "/queue/`+second+`"`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		waitText("#result-end", "03/01/2025"),
		waitValue("#f-decision-contractEnd", ""), waitValue("#f-decision-days", ""), waitValue("#f-decision-remark", ""),
		click("#review-validate"),
		waitText("#review-decided-text", "Calculé par l'ONEM"), // no " · " with nothing after it
		waitText("#review-next", "Plus aucune demande à traiter : retour à la file"))
	var href string
	agent.Run(t, "back to the queue", chromedp.Evaluate(`document.querySelector("#review-next").getAttribute("href")`, &href))
	if href != "/queue" {
		t.Errorf("after the last request the way leads to %q", href)
	}

	tr, ctx := apiAs(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	var got api.Request
	if status, body, err := tr.Do(ctx, "GET", "/api/v1/requests/"+first, "", nil); err != nil || status != 200 || json.Unmarshal(body, &got) != nil {
		t.Fatalf("reading the decided request: %d %s %v", status, body, err)
	}
	if d := got.Decision; d == nil || d.Days == nil || strconv.Itoa(*d.Days) != daysTo("2025-01-16") || d.ContractEnd == nil || *d.ContractEnd != "2025-01-16" {
		t.Errorf("ONEM's decision holds %+v", got.Decision)
	}
}

// dueOf is a request's due date as the agent's screens show it.
func dueOf(t *testing.T, base, id string) string {
	t.Helper()
	tr, ctx := apiAs(t, base, admin.DemoAgent, admin.DemoAgentPass)
	var q api.QueueReply
	status, body, err := tr.Do(ctx, "GET", "/api/v1/queue", "", nil)
	if err != nil || status != 200 || json.Unmarshal(body, &q) != nil {
		t.Fatalf("queue: %d %s %v", status, body, err)
	}
	for _, it := range q.Items {
		if it.RequestID == id {
			return ddmmyyyy(it.DueDate)
		}
	}
	t.Fatalf("%s is not in the queue: %s", id, strings.TrimSpace(string(body)))
	return ""
}
