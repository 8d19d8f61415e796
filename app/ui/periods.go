package ui

import (
	"strings"

	"art60/app/i18n"
	"art60/calc"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The editor shows the case's periods in three tables, as the paper form
// does: past work, other periods before the contract (assimilated days and
// events that extend the window), and events during the contract. They
// are one list in the case; a row's table follows from its kind and date.
type periodGroup struct {
	id       string
	titleID  string
	hintID   string
	newKind  string
	contains func(p calc.Period, contractStart string) bool
}

var periodGroups = []periodGroup{
	{id: "work", titleID: "section.work", hintID: "section.work.hint", newKind: "work",
		contains: func(p calc.Period, start string) bool { return !during(p, start) && p.Kind == "work" }},
	{id: "events", titleID: "section.events", hintID: "section.events.hint", newKind: "sickness_mutual",
		contains: func(p calc.Period, start string) bool { return !during(p, start) && p.Kind != "work" }},
	{id: "during", titleID: "section.during", hintID: "section.during.hint", newKind: "unpaid_leave",
		contains: during},
}

// during says whether a period starts inside the contract.
func during(p calc.Period, contractStart string) bool {
	return contractStart != "" && p.From != "" && p.From >= contractStart
}

func (e *editor) periodSections() app.UI {
	return app.Range(periodGroups).Slice(func(i int) app.UI { return e.periodTable(periodGroups[i]) })
}

func (e *editor) periodTable(g periodGroup) app.UI {
	c := &e.draft.Case
	var rows []int
	for i, p := range c.Periods {
		if g.contains(p, c.Contract.Start) {
			rows = append(rows, i)
		}
	}
	tableID := "periods-" + g.id
	return app.FieldSet().Class("card periods").ID("group-"+g.id).Body(
		app.Legend().Text(e.t(g.titleID)),
		app.P().Class("muted").Text(e.t(g.hintID)),
		app.If(len(rows) > 0, func() app.UI {
			return app.Div().Class("table-scroll").Body(app.Table().ID(tableID).Body(
				// fixed layout: the columns share the width as the stylesheet says
				app.ColGroup().Body(
					app.Col().Class("col-kind"), app.Col().Class("col-date"), app.Col().Class("col-date"),
					app.Col().Class("col-num"), app.Col().Class("col-num"), app.Col().Class("col-num"),
					app.Col().Class("col-actions"),
				),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(e.t("period.kind")),
					app.Th().Scope("col").Text(e.t("period.from")),
					app.Th().Scope("col").Text(e.t("period.to")),
					app.Th().Scope("col").Text(strings.ReplaceAll(e.t("period.daysPerWeek"), "/", "/\u200b")), // may wrap after the slash
					app.Th().Scope("col").Text(e.t("period.q")),
					app.Th().Scope("col").Text(e.t("period.s")),
					app.Th().Scope("col").Body(app.Span().Class("visually-hidden").Text(e.t("period.actions"))),
				)),
				app.Range(rows).Slice(func(j int) app.UI { return e.periodRow(rows[j]) }),
			))
		}),
		app.Div().Class("row-actions").Body(
			app.Button().Type("button").Class("secondary").ID("add-"+g.id).Text(e.t("period.add")).
				OnClick(func(ctx app.Context, ev app.Event) { e.addPeriod(ctx, g) }),
		),
		app.If(g.id == "work", e.pasteBox),
	)
}

// periodRow is one table row as its own component: go-app re-renders a
// child only when its exported fields change, so an edit redraws one row,
// not 150 (README: latency with 150 rows).
type periodRow struct {
	app.Compo

	Lang   i18n.Lang
	Index  int
	Period calc.Period
	Errs   map[string]string // this row's messages, by path

	ed *editor
}

func (r *periodRow) Render() app.UI { return r.ed.periodRowBody(r.Index) }

func (e *editor) periodRow(i int) app.UI {
	base := "periods[" + itoa(i) + "]"
	errs := map[string]string{}
	for _, f := range []string{"kind", "from", "to", "daysPerWeek", "q", "s", "country", "days", "hours"} {
		if m := e.errFor(base + "." + f); m != "" {
			errs[f] = m
		}
	}
	return &periodRow{Lang: e.Lang, Index: i, Period: e.draft.Case.Periods[i], Errs: errs, ed: e}
}

// periodRowBody draws one period on two lines, so that a row fits the
// editor's column beside the result: the fields every period has under the
// column headers, then the rarer ones (days, hours, country, label) with
// their own labels.
func (e *editor) periodRowBody(i int) app.UI {
	p := &e.draft.Case.Periods[i]
	base := "periods[" + itoa(i) + "]"
	n := itoa(i + 1)
	more := func(field string, target **float64) app.UI {
		in := e.numberField(base+"."+field, e.t("period."+field), target)
		in.inline, in.srSuffix = true, n
		return in.render()
	}
	return app.TBody().Class("period").Body(
		app.Tr().ID("row-"+itoa(i)).Body(
			app.Td().Body(e.kindSelect(i)),
			app.Td().Body(e.compactDate(base+".from", e.t("period.from")+" "+n, &p.From)),
			app.Td().Body(e.compactDate(base+".to", e.t("period.to")+" "+n, &p.To)),
			app.Td().Body(e.numberInput(base+".daysPerWeek", e.t("period.daysPerWeek")+" "+n, &p.DaysPerWeek, true)),
			app.Td().Body(e.numberInput(base+".q", e.t("period.q")+" "+n, &p.Q, true)),
			app.Td().Body(e.numberInput(base+".s", e.t("period.s")+" "+n, &p.S, true)),
			app.Td().Class("cell-actions").Body(
				app.Button().Type("button").Class("secondary small").Aria("label", e.t("period.duplicate")+" "+n).Body(icon("duplicate")).
					Title(e.t("period.duplicate")).OnClick(func(ctx app.Context, ev app.Event) { e.duplicatePeriod(ctx, i) }),
				app.Button().Type("button").Class("secondary small").Aria("label", e.t("period.delete")+" "+n).Body(icon("delete")).
					Title(e.t("period.delete")).OnClick(func(ctx app.Context, ev app.Event) { e.deletePeriod(ctx, i) }),
			),
		),
		app.Tr().Class("period-more").Body(app.Td().ColSpan(7).Body(app.Div().Class("row-more").Body(
			more("days", &p.Days),
			more("hours", &p.Hours),
			input{path: base + ".country", label: e.t("period.country"), srSuffix: n, inline: true, value: p.Country,
				err: e.errFor(base + ".country"),
				onChange: func(ctx app.Context, v string) {
					p.Country = strings.ToUpper(strings.TrimSpace(v))
					e.changed(ctx, base+".country")
				}}.render(),
			input{path: base + ".label", label: e.t("period.label"), srSuffix: n, inline: true, value: p.Label,
				onChange: func(ctx app.Context, v string) { p.Label = v; e.changed(ctx, base+".label") }}.render(),
		))),
	)
}

func (e *editor) compactDate(path, label string, target *string) app.UI {
	return input{path: path, label: label, kind: "date", value: showDate(*target), err: e.errFor(path), compact: true,
		onChange: func(ctx app.Context, v string) {
			*target = e.parseDate(path, v)
			e.changed(ctx, path)
		}}.render()
}

func (e *editor) kindSelect(i int) app.UI {
	p := &e.draft.Case.Periods[i]
	path := "periods[" + itoa(i) + "].kind"
	id := fieldID(path)
	kinds := calc.Kinds()
	return app.Div().Class("field").Body(
		app.Label().For(id).Class("visually-hidden").Text(e.t("period.kind")+" "+itoa(i+1)),
		app.Select().ID(id).Aria("invalid", e.errFor(path) != "").OnChange(func(ctx app.Context, ev app.Event) {
			p.Kind = ctx.JSSrc().Get("value").String()
			e.changed(ctx, path)
		}).Body(app.Range(kinds).Slice(func(k int) app.UI {
			return app.Option().Value(kinds[k]).Selected(kinds[k] == p.Kind).Text(e.t("kind." + kinds[k]))
		})),
	)
}

// addPeriod appends an empty row of the group's kind and focuses its first date.
func (e *editor) addPeriod(ctx app.Context, g periodGroup) {
	p := calc.Period{Kind: g.newKind}
	if g.id == "during" {
		p.From = e.draft.Case.Contract.Start
	}
	e.draft.Case.Periods = append(e.draft.Case.Periods, p)
	i := len(e.draft.Case.Periods) - 1
	e.changed(ctx, "periods")
	focusLater(ctx, fieldID("periods["+itoa(i)+"].from"))
}

func (e *editor) duplicatePeriod(ctx app.Context, i int) {
	ps := e.draft.Case.Periods
	c := ps[i]
	e.draft.Case.Periods = append(ps[:i+1:i+1], append([]calc.Period{c}, ps[i+1:]...)...)
	e.changed(ctx, "periods")
	focusLater(ctx, fieldID("periods["+itoa(i+1)+"].from"))
}

func (e *editor) deletePeriod(ctx app.Context, i int) {
	ps := e.draft.Case.Periods
	e.draft.Case.Periods = append(ps[:i:i], ps[i+1:]...)
	e.touched = map[string]bool{} // indices moved: old marks would point at other rows
	e.changed(ctx, "periods")
}

// focusLater moves the keyboard focus once the new row is in the DOM.
func focusLater(ctx app.Context, id string) {
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(id); el.Truthy() {
			el.Call("focus")
		}
	})
}

// pasteBox takes rows copied from a spreadsheet: one line per period,
// columns separated by tabs or semicolons: from, to, [label], [days per
// week], [Q], [S], [country].
func (e *editor) pasteBox() app.UI {
	return app.Details().Class("paste").Body(
		app.Summary().Text(e.t("paste.title")),
		app.P().Class("muted").ID("paste-hint").Text(e.t("paste.hint")),
		app.Label().For("paste-rows").Class("visually-hidden").Text(e.t("paste.title")),
		app.Textarea().ID("paste-rows").Rows(4).Aria("describedby", "paste-hint").Text(e.paste).
			OnInput(func(ctx app.Context, ev app.Event) { e.paste = ctx.JSSrc().Get("value").String() }),
		app.Button().Type("button").Class("secondary").ID("paste-add").Text(e.t("paste.add")).
			OnClick(func(ctx app.Context, ev app.Event) {
				rows, bad := parsePastedRows(e.paste)
				e.draft.Case.Periods = append(e.draft.Case.Periods, rows...)
				e.paste = ""
				if bad > 0 {
					e.saveMsg, e.saveErr = e.t("paste.skipped", "count", itoa(bad)), true
				}
				e.changed(ctx, "periods")
			}),
	)
}

// parsePastedRows reads spreadsheet rows into work periods; it returns the
// number of non-empty lines it could not read.
func parsePastedRows(text string) (rows []calc.Period, bad int) {
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		sep := "\t"
		if !strings.Contains(line, "\t") {
			sep = ";"
		}
		cols := strings.Split(line, sep)
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		p, ok := pastedRow(cols)
		if !ok {
			bad++
			continue
		}
		rows = append(rows, p)
	}
	return rows, bad
}

func pastedRow(cols []string) (calc.Period, bool) {
	col := func(i int) string {
		if i < len(cols) {
			return cols[i]
		}
		return ""
	}
	from, ok1 := i18n.ParseDate(col(0))
	to, ok2 := i18n.ParseDate(col(1))
	if !ok1 || !ok2 {
		return calc.Period{}, false
	}
	p := calc.Period{Kind: "work", From: from, To: to, Label: col(2), Country: strings.ToUpper(col(6))}
	for i, target := range []**float64{&p.DaysPerWeek, &p.Q, &p.S} {
		v, ok := parseNumber(col(3 + i))
		if !ok {
			return calc.Period{}, false
		}
		*target = v
	}
	return p, true
}
