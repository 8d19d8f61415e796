package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// home is embedded by the components that start background work (the
// device store, the API) from an event handler. It keeps a context of the
// component itself, given at mount and at each update, and the result of
// the work comes back through it.
//
// Why: go-app drops a ctx.Dispatch whose source element is no longer
// mounted, and the source of an event's context is the element that fired
// the event. A re-render while the work runs (a save landing, another tab's
// change) can replace that element; the answer of a Send was then lost and
// the editor stayed open although the request was already queued.
type home struct {
	self app.Context
	kept bool
}

// keep remembers ctx, a lifecycle context of the component.
func (h *home) keep(ctx app.Context) { h.self, h.kept = ctx, true }

// back is the context to bring results back through: the component's own
// once mounted, else the event's.
func (h *home) back(ev app.Context) app.Context {
	if h.kept {
		return h.self
	}
	return ev
}
