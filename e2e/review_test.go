package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
	"art60/server/api"
)

// TestAgentValidates: issue 6, acceptance 1 (screens): a worker sends a
// request; an agent logs in, sees it in the queue with its due date,
// validates it; the worker's app shows "Calculé par l'ONEM".
func TestAgentValidates(t *testing.T) {
	srv := startServer(t)
	_, id := agentValidatesInTheBrowser(t, srv.URL, "Zeta", "")

	// The reference person got an e-mail with a direct link and no name.
	mail := waitMail(t, srv.URL, "/requests/"+id)
	if strings.Contains(mail, "Zeta") {
		t.Errorf("the e-mail carries the person's name:\n%s", mail)
	}
}

// agentValidatesInTheBrowser is the flow of TestAgentValidates on the
// server at base, in two browsers: the demo worker sends a request for
// name, the demo agent finds it in the queue, asks a question and
// validates it, and the worker's app shows "Calculé par l'ONEM" with the
// question. Screenshots are named with prefix. It returns the worker's
// browser and the request's id.
func agentValidatesInTheBrowser(t *testing.T, base, name, prefix string) (*browser, string) {
	t.Helper()
	worker, id := workerSends(t, &server{URL: base}, name)

	agent := newBrowser(t)
	agent.login(t, base, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "french", chooseLang("fr"))
	var due string
	agent.Run(t, "queue",
		chromedp.WaitVisible(`#queue-table a[href="/queue/`+id+`"]`, chromedp.ByQuery),
		chromedp.Text(`#queue-table tbody tr td`, &due, chromedp.ByQuery))
	if len(due) < 10 || due[2] != '/' {
		t.Errorf("due date cell %q", due)
	}
	axe := axeSource(t)
	agent.checkA11y(t, axe, "queue")
	agent.Screenshot(t, prefix+"agent-queue")
	agent.Run(t, "review", chromedp.Click(`#queue-table a[href="/queue/`+id+`"]`, chromedp.ByQuery),
		waitText("#result-end", "03/01/2025"))
	agent.checkA11y(t, axe, "review")
	agent.Screenshot(t, prefix+"agent-review")
	agent.Run(t, "a question for the CPAS",
		fill("#comment-text", "Le contrat de 2023 est-il bien à temps plein ?"),
		chromedp.Click("#comment-send", chromedp.ByQuery),
		chromedp.Poll(`[...document.querySelectorAll(".comment-text")].some(c => c.textContent.startsWith("Le contrat de 2023"))`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	agent.Run(t, "validate", chromedp.Click("#review-validate", chromedp.ByQuery),
		chromedp.WaitVisible("#review-decided", chromedp.ByQuery))

	worker.Open(t, base+"/requests/"+id)
	worker.Run(t, "decision reaches the worker",
		chromedp.Poll(`document.querySelector("#decision h2") && document.querySelector("#decision h2").textContent === "Calculé par l'ONEM"`, nil,
			chromedp.WithPollingTimeout(45*time.Second)),
		waitText("#result-end", "03/01/2025"),
		chromedp.Poll(`[...document.querySelectorAll(".comment-text")].some(c => c.textContent.startsWith("Le contrat de 2023"))`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	worker.Screenshot(t, prefix+"worker-decision")
	return worker, id
}

// waitMail polls the development mail sink (a real SMTP listener on
// loopback, started by -demo) for a message containing want.
func waitMail(t *testing.T, base, want string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, body := get(t, base+"/dev/mail.json", nil)
		var box struct {
			Messages []struct {
				To   []string `json:"to"`
				Raw  string   `json:"raw"`
				Body string   `json:"body"`
			} `json:"messages"`
		}
		if res.StatusCode == 200 && json.Unmarshal(body, &box) == nil {
			for _, m := range box.Messages {
				if strings.Contains(m.Body, want) || strings.Contains(m.Raw, want) {
					return m.Raw + m.Body
				}
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("no e-mail containing %q reached the SMTP sink", want)
	return ""
}

// TestInvalidationAndModify: issue 6, acceptance 2. The reason shows on the
// CPAS side; "modify" makes a copy that can be sent again.
func TestInvalidationAndModify(t *testing.T) {
	srv := startServer(t)
	worker, id := workerSends(t, srv, "Theta")

	agentDecides(t, srv.URL, id, api.StatusInvalidated, "Il manque le contrat de travail de 2023.")
	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "the reason reaches the CPAS",
		chromedp.Poll(`document.querySelector("#decision-remark") && document.querySelector("#decision-remark").textContent === "Il manque le contrat de travail de 2023."`, nil,
			chromedp.WithPollingTimeout(45*time.Second)))
	worker.Run(t, "modify makes an editable copy",
		click("#modify"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname) && !location.pathname.includes("`+id+`")`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		waitText("#result-end", "03/01/2025"))
	// A tired user clicks Send right after typing. This lost the click's
	// answer until results came back through the component (ui/home.go).
	worker.Run(t, "comment and send the copy", fill("#f-comments", "Contrat de 2023 joint."),
		click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	worker.Run(t, "the copy is sent",
		chromedp.Poll(`document.querySelector("#sync-pending").textContent === "0 en attente d'envoi" && [...document.querySelectorAll("#page-detail dd")].some(d => d.textContent === "Envoyé à l'ONEM")`, nil,
			chromedp.WithPollingTimeout(45*time.Second)))
	got := serverRequests(t, srv.URL)
	if len(got) != 2 || got[id] != 1 {
		t.Errorf("server holds %v, want the original and its copy", got)
	}

	worker.Open(t, srv.URL+"/contact")
	worker.Run(t, "contact the office", chromedp.WaitVisible(`#office a[href^="tel:"]`, chromedp.ByQuery))
	worker.checkA11y(t, axeSource(t), "contact")
}
