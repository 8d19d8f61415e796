// Package ui holds art60's screens as go-app components. One shell component
// serves every route: it owns the language, the connectivity state and the
// update banner, and renders the page that matches the URL.
package ui

import (
	"regexp"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Page identifies a screen.
type Page int

// The screens of the product.
const (
	PageNotFound Page = iota
	PageRequests
	PageEditor
	PageDetail
	PageSimulate
	PageQueue
	PageLogin
	PageReview
	PageContact
	PageReports
	PagePrivacy
	PagePassword
	PageUsers
	PageInvite
)

// StaticRoutes are the fixed paths; the service worker must cache each of
// them so that every screen opens offline (DESIGN.md pitfalls).
var StaticRoutes = map[string]Page{
	"/":             PageRequests,
	"/requests/new": PageEditor,
	"/simulate":     PageSimulate,
	"/queue":        PageQueue,
	"/login":        PageLogin,
	"/contact":      PageContact,
	"/reports":      PageReports,
	"/privacy":      PagePrivacy,
	"/password":     PagePassword,
	"/users":        PageUsers,
	"/invite":       PageInvite,
}

// requestPath matches /requests/{id} and /requests/{id}/edit, where id is a
// client-generated UUID (never personal data).
var requestPath = regexp.MustCompile(`^/requests/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(/edit)?$`)

// reviewPath matches /queue/{id}: an agent reviewing one request.
var reviewPath = regexp.MustCompile(`^/queue/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// Register declares every route to go-app. The browser build and the server
// both call it: the server needs the routes to pre-render pages.
func Register() {
	for path := range StaticRoutes {
		app.Route(path, newShell)
	}
	app.RouteWithRegexp(requestPath.String(), newShell)
	app.RouteWithRegexp(reviewPath.String(), newShell)
}

// resolve maps a URL path to its page and, for request pages, the request id.
func resolve(path string) (Page, string) {
	if p, ok := StaticRoutes[path]; ok {
		return p, ""
	}
	if m := requestPath.FindStringSubmatch(path); m != nil {
		if m[2] != "" {
			return PageEditor, m[1]
		}
		return PageDetail, m[1]
	}
	if m := reviewPath.FindStringSubmatch(path); m != nil {
		return PageReview, m[1]
	}
	return PageNotFound, ""
}
