package ui

import (
	"sort"
	"strings"
	"time"

	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// queuePage is the ONEM agent's work list: the sent requests of the CPAS
// of their office, by due date, overdue ones first and marked.
type queuePage struct {
	app.Compo

	Lang i18n.Lang

	items   []api.QueueItem
	err     string
	loaded  bool
	cpas    string
	status  string
	overdue bool
	query   string
}

func (q *queuePage) t(id string, args ...string) string { return i18n.T(q.Lang, id, args...) }

func (q *queuePage) OnMount(ctx app.Context) { q.load(ctx) }

// load asks the server for the queue in the chosen status (sent by
// default: the work to do, by due date; decided ones newest first).
func (q *queuePage) load(ctx app.Context) {
	var reply api.QueueReply
	path := "/api/v1/queue"
	if q.status != "" {
		path += "?status=" + q.status
	}
	fetchJSON(ctx, path, &reply, func(err error) {
		q.loaded = true
		if err != nil {
			q.err = q.t("queue.failed", "error", errorText(q.Lang, err))
			return
		}
		q.err, q.items = "", reply.Items
	})
}

func (q *queuePage) visible(today string) []api.QueueItem {
	needle := strings.ToLower(strings.TrimSpace(q.query))
	var out []api.QueueItem
	for _, it := range q.items {
		switch {
		case q.cpas != "" && it.CPASID != q.cpas:
		case q.overdue && !it.Overdue:
		case needle != "" && !strings.Contains(strings.ToLower(it.RequestID+" "+it.CPASID+" "+it.CPASName+" "+it.LastName+" "+it.FirstName), needle):
		default:
			out = append(out, it)
		}
	}
	return out
}

func (q *queuePage) Render() app.UI {
	today := now().Format(time.DateOnly)
	rows := q.visible(today)
	return app.Section().ID("page-queue").Class("page").Body(
		app.H1().Text(q.t("page.queue.title")),
		app.P().Class("muted").Text(q.t("page.queue.intro")),
		q.filters(),
		app.If(q.err != "", func() app.UI { return app.P().Class("banner").Role("alert").Text(q.err) }),
		app.If(q.loaded && len(q.items) == 0 && q.err == "", func() app.UI { return app.P().Class("card").Text(q.t("queue.empty")) }),
		app.If(len(q.items) > 0, func() app.UI { return q.table(rows, today) }),
	)
}

func (q *queuePage) filters() app.UI {
	cpas := map[string]string{}
	for _, it := range q.items {
		cpas[it.CPASID] = it.CPASName
	}
	ids := make([]string, 0, len(cpas))
	for id := range cpas {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return cpas[ids[i]] < cpas[ids[j]] })
	return app.Div().Class("card filters no-print").Body(app.Div().Class("form-grid").Body(
		app.Div().Class("field").Body(
			app.Label().For("queue-search").Text(q.t("queue.search")),
			app.Input().Type("search").ID("queue-search").Value(q.query).
				OnInput(func(ctx app.Context, e app.Event) { q.query = ctx.JSSrc().Get("value").String() }),
		),
		app.Div().Class("field").Body(
			app.Label().For("queue-cpas").Text(q.t("queue.cpas")),
			app.Select().ID("queue-cpas").OnChange(func(ctx app.Context, e app.Event) { q.cpas = ctx.JSSrc().Get("value").String() }).Body(
				app.Option().Value("").Selected(q.cpas == "").Text(q.t("list.status.all")),
				app.Range(ids).Slice(func(i int) app.UI {
					return app.Option().Value(ids[i]).Selected(q.cpas == ids[i]).Text(cpas[ids[i]])
				}),
			),
		),
		app.Div().Class("field").Body(
			app.Label().For("queue-status").Text(q.t("list.status")),
			app.Select().ID("queue-status").OnChange(func(ctx app.Context, e app.Event) {
				q.status = ctx.JSSrc().Get("value").String()
				q.load(ctx)
			}).Body(app.Range(queueStatuses).Slice(func(i int) app.UI {
				st := queueStatuses[i]
				return app.Option().Value(string(st)).Selected(q.status == string(st) || (q.status == "" && st == api.StatusSent)).
					Text(q.t("status." + string(st)))
			})),
		),
		app.Div().Class("field checkbox").Body(
			app.Input().Type("checkbox").ID("queue-overdue").Checked(q.overdue).
				OnChange(func(ctx app.Context, e app.Event) { q.overdue = ctx.JSSrc().Get("checked").Bool() }),
			app.Label().For("queue-overdue").Text(q.t("queue.overdueOnly")),
		),
	))
}

// queueStatuses are the lists an agent can ask for.
var queueStatuses = []api.Status{api.StatusSent, api.StatusCalculated, api.StatusInvalidated}

func (q *queuePage) table(rows []api.QueueItem, today string) app.UI {
	cols := []string{q.t("queue.due"), q.t("list.person"), q.t("queue.request"), q.t("queue.cpas"), q.t("queue.kind"), q.t("queue.received")}
	return app.Div().Class("table-scroll").Body(app.Table().ID("queue-table").Class("stack").Body(
		app.Caption().Class("visually-hidden").Text(q.t("page.queue.title")),
		headRow(cols),
		app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
			it := rows[i]
			late := it.Overdue
			tr := app.Tr()
			if late {
				tr = tr.Class("overdue")
			}
			return tr.Body(
				labelledCell(cols[0]).Body(
					app.Text(i18n.Date(it.DueDate)),
					app.If(late, func() app.UI { return app.Span().Class("badge overdue").Text(" " + q.t("queue.overdue")) }),
				),
				labelledCell(cols[1]).Body(app.A().Href("/queue/"+it.RequestID).Text(personName(q.Lang, it.LastName, it.FirstName))),
				labelledCell(cols[2]).Class("muted").Text(it.RequestID[:8]),
				labelledCell(cols[3]).Text(it.CPASName),
				labelledCell(cols[4]).Body(
					app.Text(q.t("kind.request."+string(it.Kind))),
					app.If(it.CommentCount > 0, func() app.UI {
						return app.Span().Class("badge").Text(" " + q.t("queue.comments", "count", itoa(it.CommentCount)))
					}),
				),
				labelledCell(cols[5]).Text(i18n.Date(dateOf(it.ReceivedAt))),
			)
		})),
	))
}
