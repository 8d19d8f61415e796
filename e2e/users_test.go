package e2e

import (
	"strings"
	"testing"
	"time"

	"art60/server/admin"

	"github.com/chromedp/chromedp"
)

// TestACPASAdministratorInvitesDisablesAndTheSessionEnds: the CPAS
// administrator adds a colleague, who sets a password through the one-time
// link and signs in; the administrator disables the account and the
// colleague's session ends within 2 seconds.
func TestACPASAdministratorInvitesDisablesAndTheSessionEnds(t *testing.T) {
	srv := startServer(t)
	axe := axeSource(t)
	adm := newBrowser(t)
	adm.login(t, srv.URL, admin.DemoCPASAdmin, admin.DemoCPASAdminPass)
	adm.Run(t, "french", chooseLang("fr"))
	adm.Run(t, "an administrator lands on the accounts", chromedp.Poll(`location.pathname === "/users"`, nil,
		chromedp.WithPollingTimeout(10*time.Second)), chromedp.WaitVisible("#users-form", chromedp.ByQuery))
	var nav string
	adm.Run(t, "the menu", textOf("nav.app-nav", &nav))
	if strings.Contains(nav, "Nouvelle demande") || strings.Contains(nav, "Demandes") {
		t.Errorf("a CPAS administrator's menu offers requests: %q", nav)
	}

	adm.Run(t, "a refusal names the field", fill("#users-displayName", "Marie Dupont"), fill("#users-login", "marie dupont"),
		click("#users-submit"),
		waitText("#users-login-err", "Indiquez un identifiant sans espace ni barre oblique (254 caractères au plus)."))
	var link string
	adm.Run(t, "invite", fill("#users-login", "marie.dupont@cpas-demo.be"), click("#users-submit"),
		chromedp.WaitVisible("#users-link", chromedp.ByQuery), chromedp.Value("#users-link", &link, chromedp.ByQuery))
	if !strings.HasPrefix(link, srv.URL+"/invite#") {
		t.Fatalf("invitation link %q", link)
	}
	adm.Screenshot(t, "users-invited")
	adm.checkA11y(t, axe, "users")

	colleague := newBrowser(t)
	colleague.Open(t, link)
	colleague.Run(t, "french", chooseLang("fr"))
	var where string
	colleague.Run(t, "the link leaves the address bar", chromedp.WaitVisible("#invite-password", chromedp.ByQuery),
		Eval(`location.pathname + location.hash`, &where))
	if where != "/invite" {
		t.Errorf("after opening the link the address is %q: the secret must leave it", where)
	}
	colleague.checkA11y(t, axe, "invite")
	colleague.Run(t, "choose a password", fill("#invite-password", "une phrase de passe assez longue"),
		fill("#invite-confirm", "une phrase de passe assez longue"), click("#invite-submit"),
		chromedp.WaitVisible("#login-invited", chromedp.ByQuery))
	var login string
	colleague.Run(t, "the login is filled in", chromedp.Value("#login", &login, chromedp.ByQuery))
	if login != "marie.dupont@cpas-demo.be" {
		t.Errorf("sign-in page login %q", login)
	}
	colleague.Run(t, "sign in", fill("#password", "une phrase de passe assez longue"), click("#login-submit"),
		chromedp.WaitVisible("#user-name", chromedp.ByQuery),
		chromedp.Poll(`location.pathname === "/"`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	if s := colleague.sessionStatus(t); s != 200 {
		t.Fatalf("the colleague's session: %d", s)
	}

	var confirm string
	adm.acceptDialogs(&confirm)
	adm.Open(t, srv.URL+"/users")
	adm.Run(t, "the colleague signed in", chromedp.Poll(
		`[...document.querySelectorAll("#users-table tr")].some(r => r.textContent.includes("marie.dupont@cpas-demo.be") && r.querySelector(".user-state").textContent === "actif" && !r.textContent.includes("jamais"))`,
		nil, chromedp.WithPollingTimeout(10*time.Second)))
	adm.Run(t, "disable", Eval(`[...document.querySelectorAll("#users-table tr")].find(r => r.textContent.includes("marie.dupont@cpas-demo.be")).querySelector("button[id^=user-disable-]").click()`, nil),
		waitText("#users-done", "Compte désactivé : ses sessions ont pris fin."))
	disabledAt := time.Now()
	for colleague.sessionStatus(t) != 401 {
		if time.Since(disabledAt) > 2*time.Second {
			t.Fatal("the disabled colleague's session still works 2 s later")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the session ended %v after the disable answered", time.Since(disabledAt).Round(time.Millisecond))
	if confirm == "" {
		t.Error("disabling asked no confirmation")
	}
	adm.Screenshot(t, "users-disabled")
	adm.Run(t, "dutch", chooseLang("nl"), waitText("#page-users h1", "Accounts van collega's"))
	adm.checkA11y(t, axe, "users (nl)")
}

// TestAnOfficeAdministratorRegistersACPASAndInvitesItsAdministrator: the
// ONEM office administrator registers a CPAS of the office (a wrong
// enterprise number is refused on its field) and invites its first
// administrator.
func TestAnOfficeAdministratorRegistersACPASAndInvitesItsAdministrator(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t)
	b.login(t, srv.URL, admin.DemoOfficeAdmin, admin.DemoOfficeAdminPass)
	b.Run(t, "french", chooseLang("fr"))
	b.Run(t, "the accounts page", chromedp.Poll(`location.pathname === "/users"`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.WaitVisible("#cpas-form", chromedp.ByQuery))
	b.Run(t, "a wrong number is refused on its field", fill("#cpas-name", "CPAS de Gesves"), fill("#cpas-id", "0999.999.923"),
		click("#cpas-submit"), waitText("#cpas-id-err", "Indiquez un numéro d'entreprise valable (10 chiffres)."))
	b.Run(t, "register", fill("#cpas-id", "0999.999.922"), click("#cpas-submit"),
		waitText("#users-done", "CPAS enregistré : vous pouvez inviter son administrateur."))
	var link string
	b.Run(t, "invite its administrator", fill("#users-displayName", "Jeanne Gesves"), fill("#users-login", "admin@cpas-gesves.be"),
		chromedp.SetValue("#users-role", "cpas_admin", chromedp.ByQuery),
		Eval(`document.querySelector("#users-role").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.WaitVisible("#users-cpasId", chromedp.ByQuery),
		chromedp.SetValue("#users-cpasId", "0999999922", chromedp.ByQuery),
		Eval(`document.querySelector("#users-cpasId").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		click("#users-submit"), chromedp.WaitVisible("#users-link", chromedp.ByQuery), chromedp.Value("#users-link", &link, chromedp.ByQuery))
	var row string
	b.Run(t, "the row", chromedp.Poll(`[...document.querySelectorAll("#users-table tr")].some(r => r.textContent.includes("admin@cpas-gesves.be"))`, nil,
		chromedp.WithPollingTimeout(10*time.Second)),
		Eval(`[...document.querySelectorAll("#users-table tr")].find(r => r.textContent.includes("admin@cpas-gesves.be")).textContent`, &row))
	if !strings.Contains(row, "Administrateur du CPAS") || !strings.Contains(row, "CPAS de Gesves") || !strings.Contains(row, "invitation en attente") {
		t.Errorf("the new administrator's row: %q", row)
	}
	b.Screenshot(t, "users-office-admin")
	b.checkA11y(t, axeSource(t), "users (office administrator)")
}
