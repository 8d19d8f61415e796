package ui

import (
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// reportsPage shows ONEM's figures per office: requests per status, the
// overdue ones, and the median handling time.
type reportsPage struct {
	app.Compo

	Lang i18n.Lang

	reply *api.ReportReply
	err   string
}

func (p *reportsPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *reportsPage) OnMount(ctx app.Context) {
	var r api.ReportReply
	fetchJSON(ctx, "/api/v1/reports", &r, func(err error) {
		if err != nil {
			p.err = p.t("queue.failed", "error", errorText(p.Lang, err))
			return
		}
		p.reply = &r
	})
}

func (p *reportsPage) Render() app.UI {
	return app.Section().ID("page-reports").Class("page").Body(
		app.H1().Text(p.t("page.reports.title")),
		app.If(p.err != "", func() app.UI { return app.P().Class("banner").Role("alert").Text(p.err) }),
		app.If(p.reply != nil, p.table),
	)
}

func (p *reportsPage) table() app.UI {
	offices := p.reply.Offices
	median := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return i18n.Number(*v)
	}
	return app.Div().Class("table-scroll").Body(app.Table().ID("reports-table").Class("stack").Body(
		app.Caption().Text(p.t("reports.caption", "date", i18n.Date(p.reply.Today))),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text(p.t("reports.office")),
			app.Th().Scope("col").Text(p.t("status.sent")),
			app.Th().Scope("col").Text(p.t("status.calculated")),
			app.Th().Scope("col").Text(p.t("status.invalidated")),
			app.Th().Scope("col").Text(p.t("queue.overdue")),
			app.Th().Scope("col").Text(p.t("reports.late")),
			app.Th().Scope("col").Text(p.t("reports.median")),
		)),
		app.TBody().Body(app.Range(offices).Slice(func(i int) app.UI {
			o := offices[i]
			return app.Tr().Body(
				app.Th().Scope("row").Text(o.OfficeName),
				labelledCell(p.t("status.sent")).Text(itoa(o.Counts.Sent)),
				labelledCell(p.t("status.calculated")).Text(itoa(o.Counts.Calculated)),
				labelledCell(p.t("status.invalidated")).Text(itoa(o.Counts.Invalidated)),
				labelledCell(p.t("queue.overdue")).Text(itoa(o.Overdue)),
				labelledCell(p.t("reports.late")).Text(itoa(o.DecidedLate)),
				labelledCell(p.t("reports.median")).Text(median(o.MedianHandlingWorkingDays)),
			)
		})),
	))
}
