package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"art60/server/admin"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// sessionStatus is what GET /api/v1/session answers this tab's cookie.
func (b *browser) sessionStatus(t *testing.T) int {
	t.Helper()
	var status int
	b.Run(t, "session status", Eval(`fetch("/api/v1/session", {credentials: "same-origin"}).then(r => r.status)`, &status))
	return status
}

// acceptDialogs answers every confirm() of this tab with OK and keeps the
// last message.
func (b *browser) acceptDialogs(last *string) {
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			*last = d.Message
			go chromedp.Run(b.ctx, page.HandleJavaScriptDialog(true))
		}
	})
}

// TestPasswordChangeThenSignOutEverywhere: a worker changes the password
// on the password page (each refusal names its field); the session on
// another computer ends, the old password no longer opens one, the new
// one does; then "sign out everywhere" from the first computer ends the new
// session on the second too.
func TestPasswordChangeThenSignOutEverywhere(t *testing.T) {
	srv := startServer(t)
	here := frenchWorker(t, srv)
	there := frenchWorker(t, srv)
	const next = "une phrase de passe assez longue"

	here.Run(t, "the password page", click("#nav-password"), chromedp.WaitVisible("#page-password", chromedp.ByQuery))
	var auto string
	here.Run(t, "autocomplete", Eval(`[...document.querySelectorAll("#page-password input[id]")].map(i => i.id + "=" + i.autocomplete).join(" ")`, &auto))
	if auto != "password-current=current-password password-new=new-password password-confirm=new-password" {
		t.Errorf("autocomplete: %s", auto)
	}
	refusal := func(what, current, newPW, confirm, field, want string) {
		t.Helper()
		here.Run(t, what, fill("#password-current", current), fill("#password-new", newPW), fill("#password-confirm", confirm),
			click("#password-submit"),
			chromedp.Poll(fmt.Sprintf(`(document.querySelector("#%s-err") || {}).textContent === %q`, field, want), nil,
				chromedp.WithPollingTimeout(10*time.Second)))
		var invalid string
		here.Run(t, what+": aria", Eval(fmt.Sprintf(`document.querySelector("#%s").getAttribute("aria-invalid") + " " + document.querySelector("#%s").getAttribute("aria-describedby")`, field, field), &invalid))
		if invalid != "true "+field+"-err" {
			t.Errorf("%s: the field says %q", what, invalid)
		}
	}
	refusal("too short", admin.DemoPassword, "court", "court", "password-new", "Nouveau mot de passe : au moins 12 caractères.")
	refusal("not confirmed", admin.DemoPassword, next, next+"!", "password-confirm",
		"Nouveau mot de passe, une seconde fois : il n'est pas identique au premier.")
	refusal("wrong current", "pas le bon mot de passe", next, next, "password-current", "Le mot de passe actuel est incorrect.")
	here.Run(t, "changed", fill("#password-current", admin.DemoPassword), fill("#password-new", next), fill("#password-confirm", next),
		click("#password-submit"), chromedp.WaitVisible("#password-done", chromedp.ByQuery))
	if s := here.sessionStatus(t); s != http.StatusOK {
		t.Fatalf("this session after the change: %d", s)
	}
	if s := there.sessionStatus(t); s != http.StatusUnauthorized {
		t.Fatalf("the other computer's session after the change: %d", s)
	}
	there.Open(t, srv.URL+"/login")
	there.Run(t, "the old password", fill("#login", admin.DemoWorker), fill("#password", admin.DemoPassword),
		click("#login-submit"), chromedp.WaitVisible("#login-error", chromedp.ByQuery))
	there.login(t, srv.URL, admin.DemoWorker, next)
	// The header kept the name: wait for the new session itself.
	for deadline := time.Now().Add(10 * time.Second); there.sessionStatus(t) != http.StatusOK; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the new password opens no session")
		}
	}

	var dialog string
	here.acceptDialogs(&dialog)
	here.Run(t, "sign out everywhere", click("#logout-all"),
		chromedp.WaitVisible(`html[data-art60="ready"] #page-login`, chromedp.ByQuery))
	if !strings.Contains(dialog, "y compris celui-ci") {
		t.Errorf("sign out everywhere asked %q", dialog)
	}
	if s := there.sessionStatus(t); s != http.StatusUnauthorized {
		t.Fatalf("the other computer's session after signing out everywhere: %d", s)
	}
}

// TestAnIdleSessionShowsTheSignInPageAndKeepsTheDrafts: with nobody at the
// computer the background sync does not keep the session alive; after the
// idle timeout the app leaves the screen for the sign-in page, which says
// why, and signing in again finds the draft left on the device.
func TestAnIdleSessionShowsTheSignInPageAndKeepsTheDrafts(t *testing.T) {
	t.Setenv("ART60_IDLE_TIMEOUT", "2m") // the shortest the server accepts
	srv := startServer(t)
	b := frenchWorker(t, srv)
	b.newRequest(t, srv.URL, "Rho", false)
	b.Open(t, srv.URL+"/")
	b.Run(t, "the draft", chromedp.WaitVisible("#page-requests", chromedp.ByQuery))
	// The sync pulls every 30 s: the end shows within 2 min 30 s (one Run
	// waits at most a minute).
	ended := false
	for deadline := time.Now().Add(4 * time.Minute); !ended; time.Sleep(5 * time.Second) {
		if time.Now().After(deadline) {
			t.Fatal("the session did not end after the idle timeout")
		}
		b.Run(t, "the session ends", Eval(`document.querySelector("#login-expired") !== null`, &ended))
	}
	var text, path string
	b.Run(t, "the reason", textOf("#login-expired", &text), chromedp.Evaluate(`location.pathname`, &path))
	if path != "/login" || !strings.Contains(text, "sans activité") {
		t.Fatalf("after the idle timeout: %s %q", path, text)
	}
	b.Run(t, "sign in again", fill("#login", admin.DemoWorker), fill("#password", admin.DemoPassword),
		click("#login-submit"), chromedp.WaitVisible("#page-requests", chromedp.ByQuery))
	b.Run(t, "the draft is still there", chromedp.Poll(`document.querySelector("#page-requests").textContent.includes("Rho")`, nil,
		chromedp.WithPollingTimeout(10*time.Second)))
}
