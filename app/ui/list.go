package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// requestList is the home screen: every request of the device, newest ONEM
// answers on top (seed 004), searchable by name or NISS, filterable by status.
//
// It stays instant with 10,000 requests (README, "Performance"): it reads
// the drafts' list rows (drafts.Row), not the drafts; the search and the
// filter run over keys made once per load; and only the rows in view are in
// the DOM, inside a scroll area whose rows all have the same height (CSS),
// with two pads standing for the rows above and below.
type requestList struct {
	app.Compo

	Lang    i18n.Lang
	Version int // the shell's data version: a new one reloads the list

	rows   []drafts.Row
	names  []string // per row: its names as the search matches them
	niss   []string // per row: the NISS's digits
	shown  []int    // indexes in rows of those the search and the filter keep
	query  string
	status string
	first  int // index in shown of the first row in the DOM
	rowH   int // height of one row in pixels, as drawn
	viewH  int // height of the scroll area in pixels
	err    string
	loaded bool
}

// Until the first rows are measured: the CSS row height at 16 px, and a
// tall screen.
const (
	defaultRowH  = 48
	defaultViewH = 800
	overscan     = 5 // rows drawn beyond each edge of the view, so a scroll step shows no gap
)

func (l *requestList) OnMount(ctx app.Context)  { l.load(ctx) }
func (l *requestList) OnUpdate(ctx app.Context) { l.load(ctx) }

// OnResize measures again: a phone turned, a window narrowed to cards.
func (l *requestList) OnResize(ctx app.Context) { l.measure(ctx) }

func (l *requestList) load(ctx app.Context) {
	var rows []drafts.Row
	withStore(ctx, func(c context.Context, st drafts.Store) (err error) {
		rows, err = st.Rows(c)
		return err
	}, func(err error) {
		l.loaded = true
		if err != nil {
			l.err = err.Error()
			return
		}
		l.setRows(rows)
		ctx.Defer(l.measure)
	})
}

// setRows keeps the rows and makes their search keys.
func (l *requestList) setRows(rows []drafts.Row) {
	l.rows = rows
	l.names = make([]string, len(rows))
	l.niss = make([]string, len(rows))
	for i, r := range rows {
		l.names[i] = strings.ToLower(r.LastName + " " + r.FirstName + " " + r.FirstName + " " + r.LastName)
		l.niss[i] = digitsOf(r.NISS)
	}
	l.filter()
}

func (l *requestList) t(id string, args ...string) string { return i18n.T(l.Lang, id, args...) }

// filter applies the search and the status filter.
func (l *requestList) filter() {
	q := strings.ToLower(strings.TrimSpace(l.query))
	qDigits := digitsOf(q)
	l.shown = l.shown[:0]
	for i, r := range l.rows {
		if l.status != "" && string(r.Status) != l.status {
			continue
		}
		if q != "" && !strings.Contains(l.names[i], q) && (qDigits == "" || !strings.Contains(l.niss[i], qDigits)) {
			continue
		}
		l.shown = append(l.shown, i)
	}
}

// Statuses of the device only (drafts.StatusOf).
const (
	statusPending = drafts.StatusPending
	statusRefused = drafts.StatusRefused
)

// effectiveStatus is "pending" while queued, then the server's status.
func effectiveStatus(d drafts.Draft) api.Status { return drafts.StatusOf(&d) }

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
	return app.Section().ID("page-requests").Class("page").Body(
		app.H1().Text(l.t("page.requests.title")),
		app.Div().Class("card filters no-print").Body(
			app.Div().Class("form-grid").Body(
				app.Div().Class("field").Body(
					app.Label().For("search").Text(l.t("list.search")),
					app.Input().Type("search").ID("search").Value(l.query).OnInput(l.onSearch),
				),
				app.Div().Class("field").Body(
					app.Label().For("status-filter").Text(l.t("list.status")),
					app.Select().ID("status-filter").OnChange(l.onStatus).Body(
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
		app.If(l.loaded && len(l.rows) == 0, func() app.UI { return app.P().Class("card").Text(l.t("page.requests.empty")) }),
		app.If(len(l.rows) > 0, func() app.UI { return l.list() }),
	)
}

func (l *requestList) onSearch(ctx app.Context, e app.Event) {
	l.query = ctx.JSSrc().Get("value").String()
	l.refilter(ctx)
}

func (l *requestList) onStatus(ctx app.Context, e app.Event) {
	l.status = ctx.JSSrc().Get("value").String()
	l.refilter(ctx)
}

// refilter filters again and shows the top of the result (a reload of
// the rows, after a sync, keeps the place instead).
func (l *requestList) refilter(ctx app.Context) {
	l.filter()
	l.first = 0
	if sc := app.Window().GetElementByID("request-scroll"); sc.Truthy() {
		sc.Set("scrollTop", 0)
	}
	ctx.Defer(l.measure)
}

// window returns the part of shown that is in the DOM.
func (l *requestList) window() (first, last int) {
	rowH, viewH := l.rowH, l.viewH
	if rowH <= 0 {
		rowH = defaultRowH
	}
	if viewH <= 0 {
		viewH = defaultViewH
		if app.IsClient {
			viewH = app.Window().Get("innerHeight").Int() * 7 / 10 // .list-scroll's max-height
		}
	}
	n := viewH/rowH + 1 + 2*overscan
	first = max(min(l.first, len(l.shown)-n), 0)
	return first, min(first+n, len(l.shown))
}

// onScroll moves the window when the view has moved by whole rows.
func (l *requestList) onScroll(ctx app.Context, e app.Event) {
	rowH := l.rowH
	if rowH <= 0 {
		rowH = defaultRowH
	}
	first := max(ctx.JSSrc().Get("scrollTop").Int()/rowH-overscan, 0)
	if first == l.first {
		ctx.PreventUpdate()
		return
	}
	l.first = first
	ctx.Defer(l.measure)
}

// measure reads the drawn row height and view height (the CSS decides them:
// a table row, or a card at phone width) and sets the pads' heights
// through the CSSOM (the CSP allows no style attribute).
func (l *requestList) measure(ctx app.Context) {
	doc := app.Window().Get("document")
	sc := doc.Call("getElementById", "request-scroll")
	if !sc.Truthy() {
		return
	}
	changed := false
	if h := sc.Get("clientHeight").Int(); h > 0 && h != l.viewH {
		l.viewH, changed = h, true
	}
	if tr := sc.Call("querySelector", "#request-table tbody tr"); tr.Truthy() {
		if h := tr.Get("offsetHeight").Int(); h > 0 && h != l.rowH {
			l.rowH, changed = h, true
		}
	}
	first, last := l.window()
	rowH := max(l.rowH, 1)
	setHeight(doc, "list-pad-top", first*rowH)
	setHeight(doc, "list-pad-bottom", (len(l.shown)-last)*rowH)
	if changed {
		ctx.Update()
		ctx.Defer(l.measure) // the pads follow the new window
	}
}

func setHeight(doc app.Value, id string, px int) {
	if el := doc.Call("getElementById", id); el.Truthy() {
		el.Get("style").Set("height", strconv.Itoa(px)+"px")
	}
}

var allStatuses = []api.Status{api.StatusDraft, statusPending, api.StatusSent, api.StatusCalculated, api.StatusInvalidated}

// list is the count, then the scroll area: a pad, the table of the rows in
// view, a pad.
func (l *requestList) list() app.UI {
	first, last := l.window()
	today := now().Format(time.DateOnly)
	rows := l.shown[first:last]
	return app.Div().Body(
		app.P().ID("list-count").Class("list-count").Role("status").Text(l.t("list.shown", "count", strconv.Itoa(len(l.shown)))),
		app.If(len(l.shown) == 0, func() app.UI { return app.P().Class("card").Text(l.t("list.none")) }),
		app.Div().ID("request-scroll").Class("list-scroll").TabIndex(0).Role("region").
			Aria("label", l.t("page.requests.title")).OnScroll(l.onScroll).Body(
			app.Div().ID("list-pad-top").Class("list-pad").Aria("hidden", "true"),
			app.Table().ID("request-table").Body(
				app.Caption().Class("visually-hidden").Text(l.t("page.requests.title")),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(l.t("list.person")),
					app.Th().Scope("col").Text(l.t("person.niss")),
					app.Th().Scope("col").Text(l.t("list.status")),
					app.Th().Scope("col").Text(l.t("result.contractEnd")),
					app.Th().Scope("col").Text(l.t("list.updated")),
				)),
				app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
					return l.row(&l.rows[rows[i]], today)
				})),
			),
			app.Div().ID("list-pad-bottom").Class("list-pad").Aria("hidden", "true"),
		),
	)
}

// row is one request: a table row, drawn as a card at phone width, each
// cell but the name and the status badge then labelled by its column
// (data-label, CSS).
func (l *requestList) row(r *drafts.Row, today string) app.UI {
	checkOpen := r.Status == api.StatusCalculated && endCheckOpen(r.End, today)
	name := personName(l.Lang, r.LastName, r.FirstName)
	if r.Simulation {
		name += " · " + l.t("list.simulation")
	}
	tr := app.Tr()
	if checkOpen {
		tr = tr.Class("endcheck-open")
	}
	return tr.Body(
		app.Td().Class("list-name").Body(app.A().Href(requestURL(r.ID, r.Editable)).Text(name)),
		app.Td().DataSet("label", l.t("person.niss")).Text(orDash(r.NISS)),
		app.Td().Body( // the badge says what it is: no label on a card
			app.Span().Class("badge status-"+string(r.Status)).Text(l.t("status."+string(r.Status)))),
		app.Td().DataSet("label", l.t("result.contractEnd")).Body(
			app.Text(i18n.Date(r.End)),
			app.If(checkOpen, func() app.UI { return app.Span().Class("badge endcheck").Text(" " + l.t("list.endCheckOpen")) }),
		),
		app.Td().DataSet("label", l.t("list.updated")).Text(i18n.Date(dateOf(r.UpdatedAt))),
	)
}

// personName is how a request names its person: "LAST First", or
// "(no name)" so that the link is never empty.
func personName(lang i18n.Lang, last, first string) string {
	if name := strings.TrimSpace(last + " " + first); name != "" {
		return name
	}
	return i18n.T(lang, "list.unnamed")
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
