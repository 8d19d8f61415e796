package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

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
	}
	return "page.notfound.title"
}

// content renders the current page. Without a signed-in user only the
// simulator and the sign-in page open: the device keeps no one's requests
// for an anonymous visitor.
func (s *shell) content() app.UI {
	if s.session == nil && s.page != PageSimulate && s.page != PageLogin && s.page != PageNotFound {
		return app.Section().ID("page-signin").Class("page").Body(
			app.H1().Text(s.t(s.titleID())),
			app.P().Class("card").Body(
				app.Text(s.t("signin.required")+" "),
				app.A().ID("signin-link").Href("/login").Text(s.t("nav.login")),
			),
		)
	}
	switch s.page {
	case PageRequests:
		return &requestList{Lang: s.lang, Version: s.dataVersion}
	case PageEditor:
		return &editor{Lang: s.lang, DraftID: s.requestID}
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
	}
	return app.Section().ID("page-notfound").Body(
		app.H1().Text(s.t("page.notfound.title")),
		app.P().Body(app.A().Href("/").Text(s.t("page.notfound.back"))),
	)
}
