package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// TestAgentValidates: issue 6, acceptance 1 (screens): a worker sends a
// request; an agent logs in, sees it in the queue with its due date,
// validates it; the worker's app shows "Calculé par l'ONEM".
func TestAgentValidates(t *testing.T) {
	srv := startServer(t)
	worker := newBrowser(t)
	worker.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	worker.Run(t, "french", chooseLang("fr"))
	id := worker.newRequest(t, srv.URL, "Zeta", true)
	worker.Run(t, "sent", waitText("#sync-pending", "0 en attente d'envoi"))

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "french", chooseLang("fr"))
	var due string
	agent.Run(t, "queue",
		chromedp.WaitVisible(`#queue-table a[href="/queue/`+id+`"]`, chromedp.ByQuery),
		chromedp.Text(`#queue-table tbody tr td`, &due, chromedp.ByQuery))
	if len(due) < 10 || due[2] != '/' {
		t.Errorf("due date cell %q", due)
	}
	agent.Screenshot(t, "agent-queue")
	agent.Run(t, "review", chromedp.Click(`#queue-table a[href="/queue/`+id+`"]`, chromedp.ByQuery),
		waitText("#result-end", "03/01/2025"))
	agent.Screenshot(t, "agent-review")
	agent.Run(t, "validate", chromedp.Click("#review-validate", chromedp.ByQuery),
		chromedp.WaitVisible("#review-decided", chromedp.ByQuery))

	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "decision reaches the worker",
		chromedp.Poll(`document.querySelector("#decision h2") && document.querySelector("#decision h2").textContent === "Calculé par l'ONEM"`, nil,
			chromedp.WithPollingTimeout(45*time.Second)),
		waitText("#result-end", "03/01/2025"))
}
