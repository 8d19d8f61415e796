package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
	"art60/server/api"
)

// TestAModificationCarriesItsContext: the copy of an invalidated request
// says what it is, links to its original and shows ONEM's reason, for the
// worker and for the agent, who also sees what changed.
func TestAModificationCarriesItsContext(t *testing.T) {
	srv := startServer(t)
	worker, id := workerSends(t, srv, "Lambda")
	reason := "Il manque le contrat de travail de 2023."
	agentDecides(t, srv.URL, id, api.StatusInvalidated, reason)

	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "modify",
		chromedp.Poll(`document.querySelector("#modify") !== null`, nil, chromedp.WithPollingTimeout(45*time.Second)),
		click("#modify"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname) && !location.pathname.includes("`+id+`")`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		waitText("#page-editor h1", "Modification"),
		chromedp.Poll(`(document.querySelector("#copy-reason") || {}).textContent?.includes(`+jsString(reason)+`)`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`(document.querySelector("#copy-original") || {}).getAttribute?.("href") === "/requests/`+id+`"`, nil,
			chromedp.WithPollingTimeout(5*time.Second)),
		fill("#f-contract-start", "15/01/2024"),
		chromedp.Poll(`(document.querySelector("#copy-changes") || {}).textContent?.includes("08/01/2024 → 15/01/2024")`, nil,
			chromedp.WithPollingTimeout(5*time.Second)))
	worker.Screenshot(t, "modification-context")
	var copyURL string
	worker.Run(t, "send the copy", chromedp.Location(&copyURL), click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	copyID := strings.TrimSuffix(copyURL[strings.Index(copyURL, "/requests/")+len("/requests/"):], "/edit")

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Run(t, "french", chooseLang("fr"))
	agent.Open(t, srv.URL+"/queue/"+copyID)
	agent.Run(t, "the agent sees the original and what changed",
		chromedp.Poll(`(document.querySelector("#copy-original") || {}).getAttribute?.("href") === "/queue/`+id+`"`, nil,
			chromedp.WithPollingTimeout(45*time.Second)),
		chromedp.Poll(`document.querySelector("#copy-reason").textContent.includes(`+jsString(reason)+`)`, nil),
		chromedp.Poll(`document.querySelector("#copy-changes").textContent.includes("08/01/2024 → 15/01/2024")`, nil))
	agent.Screenshot(t, "agent-modification")
}

// TestTheEndOfContractCheckIsOfferedOnce: after one check was sent (here
// with a derogation, so that the test does not depend on today's date),
// the original offers another only with a derogation, and says when the
// first was sent.
func TestTheEndOfContractCheckIsOfferedOnce(t *testing.T) {
	srv := startServer(t)
	worker, id := workerSends(t, srv, "Mu")
	agentDecides(t, srv.URL, id, api.StatusCalculated, "")

	// On a day inside its window (the contract ends 03/01/2025: from
	// 04/12/2024 to 19/12/2024), the check is offered as such.
	inWindow := newBrowser(t)
	inWindow.atDate(t, "2024-12-10")
	inWindow.login(t, srv.URL, admin.DemoWorker, admin.DemoPassword)
	inWindow.Run(t, "french", chooseLang("fr"))
	inWindow.Open(t, srv.URL+"/requests/"+id)
	inWindow.Run(t, "offered inside the window",
		chromedp.Poll(`document.querySelector("#end-check") !== null`, nil, chromedp.WithPollingTimeout(45*time.Second)),
		chromedp.Poll(`document.querySelector("details.derogation") === null`, nil),
		waitText("#endcheck-window", "Vérification de fin de contrat : du 04/12/2024 au 19/12/2024 (de 30 à 15 jours avant la fin), une fois par demande."))

	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "ask for the check with a derogation",
		chromedp.Poll(`document.querySelector("#endcheck-window") !== null`, nil, chromedp.WithPollingTimeout(45*time.Second)),
		chromedp.Evaluate(`document.querySelector("details.derogation").open = true`, nil),
		fill("#justification", "Dossier complexe : deux contrats se chevauchent en 2023."),
		click("#end-check-derogation"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}\/edit$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		waitText("#page-editor h1", "Vérification de fin de contrat"),
		chromedp.Poll(`(document.querySelector("#copy-derogation") || {}).textContent?.includes("deux contrats")`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(20*time.Second)))

	worker.Open(t, srv.URL+"/requests/"+id)
	worker.Run(t, "the original no longer offers it without a derogation",
		chromedp.Poll(`document.querySelector("#endcheck-used") !== null`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll(`document.querySelector("#end-check") === null && document.querySelector("#end-check-derogation") !== null`, nil))
	worker.Screenshot(t, "endcheck-used")
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
