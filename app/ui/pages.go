package ui

import (
	"slices"

	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// openToAll says whether a page opens without a signed-in user: the
// simulator (which needs no identity), the sign-in, an invitation link.
func openToAll(p Page) bool {
	return p == PageSimulate || p == PageLogin || p == PageInvite || p == PageNotFound
}

// pageRoles lists the roles a page is for; a page not listed is for
// everyone signed in. The server refuses the others anyway: this spares
// them a screen of errors (an administrator has no requests to queue).
var pageRoles = map[Page][]api.Role{
	PageRequests: {api.RoleWorker},
	PageEditor:   {api.RoleWorker},
	PageDetail:   {api.RoleWorker},
	PageContact:  {api.RoleWorker},
	PageQueue:    {api.RoleAgent},
	PageReview:   {api.RoleAgent},
	PageReports:  {api.RoleAgent, api.RoleOfficeAdmin, api.RoleAdmin},
	PageUsers:    {api.RoleCPASAdmin, api.RoleOfficeAdmin, api.RoleAdmin},
	PagePrivacy:  {api.RoleDPO},
}

func forRole(p Page, r api.Role) bool {
	roles, ok := pageRoles[p]
	return !ok || slices.Contains(roles, r)
}

// titleID is the catalogue id of the current page's title.
func (s *shell) titleID() string {
	switch s.page {
	case PageRequests:
		return "page.requests.title"
	case PageEditor:
		return "page.editor.title"
	case PageDetail:
		return "page.detail.title"
	case PageSimulate:
		return "page.simulate.title"
	case PageQueue:
		return "page.queue.title"
	case PageLogin:
		return "page.login.title"
	case PageReview:
		return "page.review.title"
	case PageContact:
		return "page.contact.title"
	case PageReports:
		return "page.reports.title"
	case PagePrivacy:
		return "page.privacy.title"
	case PagePassword:
		return "page.password.title"
	case PageUsers:
		return "page.users.title"
	case PageInvite:
		return "page.invite.title"
	}
	return "page.notfound.title"
}

// content renders the current page. Without a signed-in user only the
// simulator and the sign-in page open: the device keeps no one's requests
// for an anonymous visitor.
func (s *shell) content() app.UI {
	if s.session == nil && !openToAll(s.page) {
		return app.Section().ID("page-signin").Class("page").Body(
			app.H1().Text(s.t(s.titleID())),
			app.P().Class("card").Body(
				app.Text(s.t("signin.required")+" "),
				app.A().ID("signin-link").Href("/login").Text(s.t("nav.login")),
			),
		)
	}
	if s.session != nil && !forRole(s.page, s.session.Role) {
		return app.Section().ID("page-other-role").Class("page").Body(
			app.H1().Text(s.t(s.titleID())),
			app.P().Class("card").Body(
				app.Text(s.t("page.otherRole")+" "),
				app.A().ID("home-link").Href(homeFor(s.session.Role)).Text(s.t("page.otherRole.home")),
			),
		)
	}
	switch s.page {
	case PageRequests:
		return &requestList{Lang: s.lang, Version: s.dataVersion}
	case PageEditor:
		return &editor{Lang: s.lang, DraftID: s.requestID, Offline: !s.online || !s.sync.Reachable}
	case PageDetail:
		return &requestDetail{Lang: s.lang, RequestID: s.requestID, Version: s.dataVersion}
	case PageSimulate:
		return &editor{Lang: s.lang, Simulation: true}
	case PageQueue:
		return &queuePage{Lang: s.lang}
	case PageReview:
		return &reviewPage{Lang: s.lang, RequestID: s.requestID}
	case PageContact:
		return &contactPage{Lang: s.lang}
	case PageReports:
		return &reportsPage{Lang: s.lang}
	case PagePrivacy:
		return &privacyPage{Lang: s.lang}
	case PageLogin:
		return &loginPage{Lang: s.lang}
	case PagePassword:
		return &passwordPage{Lang: s.lang, Login: s.session.Login}
	case PageUsers:
		return &usersPage{Lang: s.lang}
	case PageInvite:
		return &invitePage{Lang: s.lang}
	}
	return app.Section().ID("page-notfound").Body(
		app.H1().Text(s.t("page.notfound.title")),
		app.P().Body(app.A().Href("/").Text(s.t("page.notfound.back"))),
	)
}
