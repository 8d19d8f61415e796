package ui

import (
	"context"
	"strings"
	"time"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// requestList is the home screen: every request of the device, newest ONEM
// answers on top (seed 004), searchable by name or NISS, filterable by status.
type requestList struct {
	app.Compo

	Lang    i18n.Lang
	Version int // the shell's data version: a new one reloads the list

	all    []drafts.Draft
	query  string
	status string
	err    string
	loaded bool
}

func (l *requestList) OnMount(ctx app.Context)  { l.load(ctx) }
func (l *requestList) OnUpdate(ctx app.Context) { l.load(ctx) }

func (l *requestList) load(ctx app.Context) {
	var ds []drafts.Draft
	withStore(ctx, func(c context.Context, st drafts.Store) (err error) {
		ds, err = st.List(c)
		return err
	}, func(err error) {
		l.loaded = true
		if err != nil {
			l.err = err.Error()
			return
		}
		l.all = ds
	})
}

func (l *requestList) t(id string, args ...string) string { return i18n.T(l.Lang, id, args...) }

// visible applies the search and the status filter.
func (l *requestList) visible() []drafts.Draft {
	q := strings.ToLower(strings.TrimSpace(l.query))
	qDigits := digitsOf(q)
	var out []drafts.Draft
	for _, d := range l.all {
		if l.status != "" && string(effectiveStatus(d)) != l.status {
			continue
		}
		name := strings.ToLower(d.LastName + " " + d.FirstName + " " + d.FirstName + " " + d.LastName)
		if q != "" && !strings.Contains(name, q) && (qDigits == "" || !strings.Contains(digitsOf(d.Case.Person.NISS), qDigits)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Statuses of the device only: a request waiting in the outbox, and one
// the server refused (it came back editable, with the reason).
const (
	statusPending api.Status = "pending"
	statusRefused api.Status = "refused"
)

// effectiveStatus is "pending" while queued, then the server's status.
func effectiveStatus(d drafts.Draft) api.Status {
	switch {
	case d.Outbox != 0:
		return statusPending
	case d.Rejection != nil && d.Remote == nil:
		return statusRefused
	case d.Remote != nil:
		return d.Remote.Status
	}
	return d.Status
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (l *requestList) Render() app.UI {
	rows := l.visible()
	return app.Section().ID("page-requests").Class("page").Body(
		app.H1().Text(l.t("page.requests.title")),
		app.Div().Class("card filters no-print").Body(
			app.Div().Class("form-grid").Body(
				app.Div().Class("field").Body(
					app.Label().For("search").Text(l.t("list.search")),
					app.Input().Type("search").ID("search").Value(l.query).
						OnInput(func(ctx app.Context, e app.Event) { l.query = ctx.JSSrc().Get("value").String() }),
				),
				app.Div().Class("field").Body(
					app.Label().For("status-filter").Text(l.t("list.status")),
					app.Select().ID("status-filter").OnChange(func(ctx app.Context, e app.Event) {
						l.status = ctx.JSSrc().Get("value").String()
					}).Body(
						app.Option().Value("").Selected(l.status == "").Text(l.t("list.status.all")),
						app.Range(allStatuses).Slice(func(i int) app.UI {
							s := string(allStatuses[i])
							return app.Option().Value(s).Selected(l.status == s).Text(l.t("status." + s))
						}),
					),
				),
			),
			app.A().Class("button").Href("/requests/new").Text(l.t("nav.new")),
		),
		app.If(l.err != "", func() app.UI { return app.P().Class("banner").Role("alert").Text(l.err) }),
		app.If(l.loaded && len(l.all) == 0, func() app.UI { return app.P().Class("card").Text(l.t("page.requests.empty")) }),
		app.If(len(l.all) > 0, func() app.UI { return l.table(rows) }),
	)
}

var allStatuses = []api.Status{api.StatusDraft, statusPending, api.StatusSent, api.StatusCalculated, api.StatusInvalidated}

func (l *requestList) table(rows []drafts.Draft) app.UI {
	today := now().Format(time.DateOnly)
	return app.Div().Class("table-scroll").Body(app.Table().ID("request-table").Body(
		app.Caption().Class("visually-hidden").Text(l.t("page.requests.title")),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text(l.t("list.person")),
			app.Th().Scope("col").Text(l.t("person.niss")),
			app.Th().Scope("col").Text(l.t("list.status")),
			app.Th().Scope("col").Text(l.t("result.contractEnd")),
			app.Th().Scope("col").Text(l.t("list.updated")),
		)),
		app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
			d := rows[i]
			end := endInForce(d)
			checkOpen := effectiveStatus(d) == api.StatusCalculated && endCheckOpen(end, today)
			name := personName(l.Lang, d.LastName, d.FirstName)
			if d.Simulation {
				name += " · " + l.t("list.simulation")
			}
			tr := app.Tr()
			if checkOpen {
				tr = tr.Class("endcheck-open")
			}
			return tr.Body(
				app.Td().Body(app.A().Href(requestURL(d.ID, d.Editable())).Text(name)),
				app.Td().Text(orDash(d.Case.Person.NISS)),
				app.Td().Body(app.Span().Class("badge status-"+string(effectiveStatus(d))).Text(l.t("status."+string(effectiveStatus(d))))),
				app.Td().Body(
					app.Text(i18n.Date(end)),
					app.If(checkOpen, func() app.UI { return app.Span().Class("badge endcheck").Text(" " + l.t("list.endCheckOpen")) }),
				),
				app.Td().Text(i18n.Date(dateOf(d.UpdatedAt))),
			)
		})),
	))
}

// personName is how a request names its person: "LAST First", or
// "(no name)" so that the link is never empty.
func personName(lang i18n.Lang, last, first string) string {
	if name := strings.TrimSpace(last + " " + first); name != "" {
		return name
	}
	return i18n.T(lang, "list.unnamed")
}

// endInForce is the contract end to show for a request: ONEM's or the
// server's once sent (api.Request.ContractEnd), else the device's.
func endInForce(d drafts.Draft) string {
	switch {
	case d.Remote != nil:
		return d.Remote.ContractEnd()
	case d.Result != nil:
		return d.Result.ContractEnd
	}
	return ""
}

// endCheckOpen says whether today lies in the end-of-contract check window.
func endCheckOpen(end, today string) bool {
	from, to, ok := api.EndCheckWindow(end)
	return ok && today >= from && today <= to
}

func dateOf(rfc3339 string) string {
	if len(rfc3339) >= 10 {
		return rfc3339[:10]
	}
	return rfc3339
}
