package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"art60/server/accounts"
	"art60/server/api"
	"art60/server/store"
)

// invite creates an account as admin and returns its invitation.
func invite(t *testing.T, admin *client, a api.NewAccount) api.Invitation {
	t.Helper()
	res := admin.do("POST", "/api/v1/admin/users", a)
	if res.status != 201 {
		t.Fatalf("invite %s as %s: %d %s", a.Login, admin.login, res.status, res.body)
	}
	var inv api.Invitation
	res.decode(t, &inv)
	return inv
}

// tokenOf is the token in an invitation link's fragment.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	_, token, ok := strings.Cut(link, accounts.LinkPath)
	if !ok || !strings.HasPrefix(link, "http://x/") {
		t.Fatalf("invitation link %q: want http://x%sTOKEN", link, accounts.LinkPath)
	}
	return token
}

func TestACPASAdministratorInvitesAColleagueWhoChoosesTheirPassword(t *testing.T) {
	f := newFixture(t)
	admin := f.login("cpas-admin-a")
	inv := invite(t, admin, api.NewAccount{Login: "Marie.Dupont@cpas-a.be", DisplayName: "Marie Dupont", Role: api.RoleWorker})
	if inv.Account.CPASID != cpasA || inv.Account.Login != "marie.dupont@cpas-a.be" || !inv.Account.Invited {
		t.Fatalf("the new account: %+v, want a worker of CPAS A with an invitation waiting", inv.Account)
	}
	token := tokenOf(t, inv.Link)

	colleague := f.anonymous()
	colleague.expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "marie.dupont@cpas-a.be", Password: password},
		401, api.CodeBadCredentials)
	colleague.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: token, Password: "short"},
		422, api.CodeInvalid)
	res := colleague.do("POST", "/api/v1/invitation", api.InvitationAccept{Token: token, Password: "un mot de passe bien long"})
	var done api.InvitationAccepted
	if res.status != 200 {
		t.Fatalf("accept: %d %s", res.status, res.body)
	}
	res.decode(t, &done)
	if done.Login != "marie.dupont@cpas-a.be" {
		t.Errorf("accept answers login %q", done.Login)
	}
	colleague.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: token, Password: "un autre mot de passe long"},
		410, api.CodeInvitationInvalid)
	res = colleague.do("POST", "/api/v1/session", api.LoginRequest{Login: "marie.dupont@cpas-a.be", Password: "un mot de passe bien long"})
	var who api.SessionInfo
	if res.status != 200 {
		t.Fatalf("sign-in with the chosen password: %d %s", res.status, res.body)
	}
	res.decode(t, &who)
	if who.Role != api.RoleWorker || who.CPASID != cpasA {
		t.Errorf("signed in as %+v", who)
	}

	var list api.AccountsReply
	admin.do("GET", "/api/v1/admin/users", nil).decode(t, &list)
	i := slices.IndexFunc(list.Users, func(a api.Account) bool { return a.ID == inv.Account.ID })
	if i < 0 || list.Users[i].Invited || list.Users[i].LastSignInAt == "" {
		t.Errorf("the administrator's list after the sign-in: %+v", list.Users)
	}
	trail, _ := f.st.Audit(context.Background(), 0, "", 1000)
	var actions []string
	for _, e := range trail {
		if e.Object == inv.Account.ID {
			actions = append(actions, e.Action)
		}
		if strings.Contains(e.Detail+e.Object, token[37:]) {
			t.Errorf("the audit trail holds the invitation's secret: %+v", e)
		}
	}
	if want := []string{store.ActionUserAdd, store.ActionUserInvite, store.ActionUserAccept}; !slices.Equal(actions, want) {
		t.Errorf("audit of the account: %v, want %v", actions, want)
	}
}

func TestAnInvitationExpiresAfterSevenDaysAndANewLinkReplacesTheOld(t *testing.T) {
	f := newFixture(t)
	_, to := f.freeze()
	admin := f.login("cpas-admin-a")
	first := invite(t, admin, api.NewAccount{Login: "late", DisplayName: "En retard", Role: api.RoleWorker})
	to(accounts.InvitationTTL + time.Second)
	anon := f.anonymous()
	anon.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: tokenOf(t, first.Link), Password: "un mot de passe bien long"},
		410, api.CodeInvitationInvalid)

	admin = f.login("cpas-admin-a")
	res := admin.do("POST", "/api/v1/admin/users/"+first.Account.ID+"/invitation", nil)
	var second api.Invitation
	if res.status != 200 {
		t.Fatalf("new link: %d %s", res.status, res.body)
	}
	res.decode(t, &second)
	if second.Link == first.Link {
		t.Fatal("the new link is the old one")
	}
	third := api.Invitation{}
	admin.do("POST", "/api/v1/admin/users/"+first.Account.ID+"/invitation", nil).decode(t, &third)
	anon.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: tokenOf(t, second.Link), Password: "un mot de passe bien long"},
		410, api.CodeInvitationInvalid)
	anon.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: tokenOf(t, third.Link), Password: "un mot de passe bien long"},
		200, "")
	// A made-up token gets the same answer as a used or expired one.
	anon.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: first.Account.ID + ".guess", Password: "un mot de passe bien long"},
		410, api.CodeInvitationInvalid)
	anon.expectStatus("POST", "/api/v1/invitation", api.InvitationAccept{Token: "no token", Password: "un mot de passe bien long"},
		410, api.CodeInvitationInvalid)
}

func TestDisablingAnAccountEndsItsSessionsAtOnce(t *testing.T) {
	f := newFixture(t)
	_, _ = f.freeze() // the session cache cannot help: the clock stands still
	worker := f.login("worker-a")
	worker.expectStatus("GET", "/api/v1/session", nil, 200, "")
	admin := f.login("cpas-admin-a")
	id := worker.userID(t)
	admin.expectStatus("POST", "/api/v1/admin/users/"+id+"/disable", nil, 200, "")
	worker.expectStatus("GET", "/api/v1/session", nil, 401, api.CodeUnauthenticated)
	f.anonymous().expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password}, 401, api.CodeBadCredentials)
	admin.expectStatus("POST", "/api/v1/admin/users/"+id+"/invitation", nil, 422, api.CodeInvalid)

	admin.expectStatus("POST", "/api/v1/admin/users/"+id+"/enable", nil, 200, "")
	f.login("worker-a").expectStatus("GET", "/api/v1/session", nil, 200, "")
	// Nobody manages their own account here.
	admin.expectStatus("POST", "/api/v1/admin/users/"+admin.userID(t)+"/disable", nil, 404, api.CodeNotFound)
}

// userID asks the server who the client is.
func (c *client) userID(t *testing.T) string {
	t.Helper()
	var who api.SessionInfo
	c.do("GET", "/api/v1/session", nil).decode(t, &who)
	return who.UserID
}

func TestEachAdministratorSeesAndManagesTheirOwnTenantOnly(t *testing.T) {
	f := newFixture(t)
	logins := func(admin string) []string {
		var list api.AccountsReply
		f.login(admin).do("GET", "/api/v1/admin/users", nil).decode(t, &list)
		var out []string
		for _, a := range list.Users {
			out = append(out, a.Login)
		}
		return out
	}
	for admin, want := range map[string][]string{
		"cpas-admin-a":   {"worker-a"},
		"office-admin-a": {"agent-a", "cpas-admin-a"},
		"admin": {"agent-a", "agent-b", "cpas-admin-a", "cpas-admin-b", "dpo", "office-admin-a", "office-admin-b",
			"worker-a", "worker-b"},
	} {
		if got := logins(admin); !slices.Equal(got, want) {
			t.Errorf("%s sees %v, want %v", admin, got, want)
		}
	}

	cpasAdmin, officeAdmin := f.login("cpas-admin-a"), f.login("office-admin-a")
	refused := []struct {
		who   *client
		a     api.NewAccount
		field string
	}{
		{cpasAdmin, api.NewAccount{Login: "x1", DisplayName: "X", Role: api.RoleAgent, OfficeID: "namur"}, "role"},
		{cpasAdmin, api.NewAccount{Login: "x2", DisplayName: "X", Role: api.RoleWorker, CPASID: cpasB}, "cpasId"},
		{officeAdmin, api.NewAccount{Login: "x3", DisplayName: "X", Role: api.RoleCPASAdmin, CPASID: cpasB}, "cpasId"},
		{officeAdmin, api.NewAccount{Login: "x4", DisplayName: "X", Role: api.RoleAgent, OfficeID: "liege"}, "officeId"},
		{officeAdmin, api.NewAccount{Login: "x5", DisplayName: "X", Role: api.RoleWorker, CPASID: cpasA}, "role"},
		{officeAdmin, api.NewAccount{Login: "x6", DisplayName: " ", Role: api.RoleAgent}, "displayName"},
		{cpasAdmin, api.NewAccount{Login: "with space", DisplayName: "X", Role: api.RoleWorker}, "login"},
	}
	for _, r := range refused {
		res := r.who.do("POST", "/api/v1/admin/users", r.a)
		if res.status != 422 || !hasField(res.errorBody(t), r.field) {
			t.Errorf("%s creating %+v: %d %s, want 422 naming %s", r.who.login, r.a, res.status, res.body, r.field)
		}
	}
	cpasAdmin.expectStatus("POST", "/api/v1/admin/users", api.NewAccount{Login: "worker-a", DisplayName: "X", Role: api.RoleWorker},
		409, api.CodeLoginTaken)
	inv := invite(t, officeAdmin, api.NewAccount{Login: "new-cpas-admin", DisplayName: "Y", Role: api.RoleCPASAdmin, CPASID: cpasA})
	if inv.Account.CPASID != cpasA {
		t.Errorf("office administrator's CPAS administrator: %+v", inv.Account)
	}
	agent := invite(t, officeAdmin, api.NewAccount{Login: "new-agent", DisplayName: "Z", Role: api.RoleAgent})
	if agent.Account.OfficeID != "namur" {
		t.Errorf("office administrator's agent: %+v", agent.Account)
	}
}

func TestAnOfficeAdministratorRegistersTheCPASOfTheirOfficeOnly(t *testing.T) {
	f := newFixture(t)
	office := f.login("office-admin-a")
	res := office.do("POST", "/api/v1/admin/cpas", api.CPASInfo{ID: "BE 0999.999.922", Name: "CPAS de Gesves"})
	var cp api.CPASInfo
	if res.status != 201 {
		t.Fatalf("register: %d %s", res.status, res.body)
	}
	res.decode(t, &cp)
	if cp != (api.CPASInfo{ID: "0999999922", Name: "CPAS de Gesves", OfficeID: "namur"}) {
		t.Errorf("registered %+v", cp)
	}
	office.expectStatus("POST", "/api/v1/admin/cpas", api.CPASInfo{ID: "0999999922", Name: "Encore"}, 409, api.CodeCPASTaken)
	for _, c := range []struct {
		in    api.CPASInfo
		field string
	}{
		{api.CPASInfo{ID: "0999999923", Name: "Mauvais numéro"}, "id"},
		{api.CPASInfo{ID: "0200000142", Name: " "}, "name"},
		{api.CPASInfo{ID: "0200000142", Name: "Ailleurs", OfficeID: "liege"}, "officeId"},
	} {
		res := office.do("POST", "/api/v1/admin/cpas", c.in)
		if res.status != 422 || !hasField(res.errorBody(t), c.field) {
			t.Errorf("register %+v: %d %s, want 422 naming %s", c.in, res.status, res.body, c.field)
		}
	}
	// The new CPAS is the office's: its administrator may now be invited.
	invite(t, office, api.NewAccount{Login: "admin-gesves", DisplayName: "Admin Gesves", Role: api.RoleCPASAdmin, CPASID: cp.ID})
	f.login("admin").expectStatus("POST", "/api/v1/admin/cpas", api.CPASInfo{ID: "0200000142", Name: "CPAS de Liège-bis", OfficeID: "liege"}, 201, "")
}
