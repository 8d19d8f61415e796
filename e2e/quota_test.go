package e2e

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// TestStorageFullKeepsTheDraftAndSaysWhatToDo: Chromium restarts with the
// site's storage quota cut below what it already uses (Storage.
// overrideQuotaForOrigin over the DevTools protocol, set before the app
// opens its database: Chromium checks the quota of an open database
// against a figure it keeps), so saving a draft fails with
// QuotaExceededError. The worker is told in their language that the
// device's storage is full and what to do; what they typed stays on
// screen; the drafts saved before are intact after a reload; once space is
// back, the next change saves.
func TestStorageFullKeepsTheDraftAndSaysWhatToDo(t *testing.T) {
	srv := startServer(t)
	profile := tempProfile(t)
	b := newBrowserOn(t, profile)
	b.signIn(t, srv.URL)
	kept := b.newRequest(t, srv.URL, "Iota", false)
	edited := b.newRequest(t, srv.URL, "Kappa", false)
	var usage float64
	b.Run(t, "usage", Eval(`navigator.storage.estimate().then(e => e.usage)`, &usage))
	b.close(t)

	b = newBrowserOn(t, profile)
	// Half of what the site uses: every write fails, even if Chromium
	// compacted its files at the restart.
	b.Run(t, "storage full", quota(srv.URL, usage/2))
	b.Open(t, srv.URL+"/requests/"+edited+"/edit")
	note := longNote(3000)
	b.Run(t, "a long comment", waitValue("#f-lastName", "Kappa"), fill("#f-comments", note),
		chromedp.Poll(`document.querySelector("#storage-full") !== null`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	var alert, role, status, comment string
	b.Run(t, "the message", textOf("#storage-full", &alert), textOf("#save-status", &status),
		chromedp.AttributeValue("#storage-full", "role", &role, nil, chromedp.ByQuery),
		chromedp.Value("#f-comments", &comment, chromedp.ByQuery))
	if !strings.HasPrefix(alert, "L'espace de stockage de cet appareil est plein") || !strings.Contains(alert, "Supprimez les brouillons") || role != "alert" {
		t.Errorf("storage full message %q (role %q), want an alert naming the full storage and what to do", alert, role)
	}
	if status != "L'enregistrement a échoué : l'espace de stockage de cet appareil est plein" {
		t.Errorf("save status %q", status)
	}
	if comment != note {
		t.Errorf("the comment on screen after the failed save has %d characters, want the %d typed", len(comment), len(note))
	}
	b.Screenshot(t, "storage-full")

	b.Open(t, srv.URL+"/requests/"+edited+"/edit")
	b.Run(t, "the saved version is intact", waitValue("#f-lastName", "Kappa"), waitValue("#f-comments", ""))
	b.Open(t, srv.URL+"/requests/"+kept+"/edit")
	b.Run(t, "the other draft is intact", waitValue("#f-lastName", "Iota"), waitText("#result-end", "03/01/2025"))

	b.Run(t, "space again", quota(srv.URL, 0))
	b.Open(t, srv.URL+"/requests/"+edited+"/edit")
	b.Run(t, "save again", waitValue("#f-lastName", "Kappa"), fill("#f-comments", note),
		chromedp.Poll(`(document.querySelector("#save-status")?.textContent ?? "").startsWith("Enregistré") && document.querySelector("#storage-full") === null`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	b.Open(t, srv.URL+"/requests/"+edited+"/edit")
	b.Run(t, "saved", waitValue("#f-comments", note))
}

// longNote is n characters of comment in words drawn at random (so the
// browser cannot shrink it much when it stores it).
func longNote(n int) string {
	words := strings.Fields("contrat horaire absence maladie formation stage employeur prolongation attestation chômage jours prestations période semaines")
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))] + " ")
	}
	return b.String()
}

// quota overrides the origin's storage quota with bytes (0: Chromium's
// own quota again).
func quota(origin string, bytes float64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		p := storage.OverrideQuotaForOrigin(origin)
		if bytes > 0 {
			p = p.WithQuotaSize(bytes)
		}
		return p.Do(ctx)
	})
}

// waitValue waits until the field's value is want (30 s: the draft is
// read from the device after the app started, slow on a loaded machine).
func waitValue(sel, want string) chromedp.Action {
	return chromedp.Poll(`(document.querySelector(`+strconv.Quote(sel)+`) || {}).value === `+strconv.Quote(want), nil,
		chromedp.WithPollingTimeout(30*time.Second))
}
