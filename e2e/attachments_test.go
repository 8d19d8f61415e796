package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
)

// TestAttachmentsKeepTheirNames: a refused file says why at the field; a
// sent file is listed by name, type and size on the worker's detail and
// the agent's review, and downloads under its name.
func TestAttachmentsKeepTheirNames(t *testing.T) {
	dir := t.TempDir()
	pdf, txt := filepath.Join(dir, "contrat 2023.pdf"), filepath.Join(dir, "notes.txt")
	os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644)
	os.WriteFile(txt, []byte("pas un PDF"), 0o644)

	srv, b := signedInWorker(t)
	b.newRequest(t, srv.URL, "Nu", false)
	b.Run(t, "a text file is refused at the field",
		chromedp.SetUploadFiles("#attach-file", []string{txt}, chromedp.ByQuery),
		chromedp.Poll(`(document.querySelector("#attach-file-err") || {}).textContent === "notes.txt : seuls les PDF, PNG et JPEG sont acceptés."`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`document.querySelector("#attach-file").getAttribute("aria-invalid") === "true"`, nil))
	b.Run(t, "a PDF is taken",
		chromedp.SetUploadFiles("#attach-file", []string{pdf}, chromedp.ByQuery),
		chromedp.Poll(`(document.querySelector("#attach-list") || {}).textContent?.includes("contrat 2023.pdf (PDF,")`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`document.querySelector("#attach-file-err") === null`, nil),
		click("#send"),
		chromedp.Poll(`/\/requests\/[0-9a-f-]{36}$/.test(location.pathname)`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	var loc string
	b.Run(t, "the worker's detail lists it", chromedp.Location(&loc),
		chromedp.Poll(`[...document.querySelectorAll("#detail-attachments a")].some(a => a.textContent === "contrat 2023.pdf" && a.getAttribute("download") === "contrat 2023.pdf")`, nil,
			chromedp.WithPollingTimeout(45*time.Second)))
	id := loc[len(loc)-36:]

	agent := newBrowser(t)
	agent.login(t, srv.URL, admin.DemoAgent, admin.DemoAgentPass)
	agent.Open(t, srv.URL+"/queue/"+id)
	var disposition string
	agent.Run(t, "the agent's review lists it and it downloads under its name",
		chromedp.Poll(`(document.querySelector("#review-attachments") || {}).textContent?.includes("contrat 2023.pdf (PDF,")`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		Eval(`fetch(document.querySelector("#review-attachments a").href).then(r => r.headers.get("Content-Disposition"))`, &disposition))
	if want := "attachment; filename*=UTF-8''contrat%202023.pdf"; disposition != want {
		t.Errorf("Content-Disposition %q, want %q", disposition, want)
	}
}
