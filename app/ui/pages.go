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
	}
	return "page.notfound.title"
}

// content renders the current page. The pages are placeholders until their
// issues land; each already takes all its text from the catalogue.
func (s *shell) content() app.UI {
	switch s.page {
	case PageRequests:
		return s.placeholder("page-requests", "page.requests.empty")
	case PageEditor:
		return s.placeholder("page-editor", "page.editor.intro")
	case PageDetail:
		return s.placeholder("page-detail", "page.detail.intro", "id", s.requestID)
	case PageSimulate:
		return s.placeholder("page-simulate", "page.simulate.intro")
	case PageQueue:
		return s.placeholder("page-queue", "page.queue.intro")
	case PageLogin:
		return s.placeholder("page-login", "page.login.intro")
	}
	return app.Section().ID("page-notfound").Body(
		app.H1().Text(s.t("page.notfound.title")),
		app.P().Body(app.A().Href("/").Text(s.t("page.notfound.back"))),
	)
}

func (s *shell) placeholder(id, introID string, args ...string) app.UI {
	return app.Section().ID(id).Class("page").Body(
		app.H1().Text(s.t(s.titleID())),
		app.P().Class("card").Text(s.t(introID, args...)),
	)
}
