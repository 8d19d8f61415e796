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
				app.Range(rows).Slice(func(j int) app.UI { return e.periodRow(g.id, rows[j], j == 0, j == len(rows)-1) }),
			), e.countHints(g.id))
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
// not 150 (README: latency with 150 rows). Everything the row shows is in
// those fields.
//
// Its handlers find their row with rowAt, from the DOM, when the user acts.
// They must not use the row they were rendered for: go-app keeps the
// handler first mounted on an element (it compares handlers by their code,
// not by what they captured), and after a row above is deleted, moved or
// duplicated, that element shows another row.
type periodRow struct {
	app.Compo

	Lang   i18n.Lang
	Group  string // the table's id: its hints describe the row's fields
	RowID  string
	Index  int // position in the case: paths and row numbers
	Period calc.Period
	Errs   map[string]string // this row's messages, by field
	First  bool              // first of its table: cannot move up
	Last   bool              // last of its table: cannot move down

	ed *editor
}

func (r *periodRow) Render() app.UI { return r.ed.periodRowBody(r) }

// rowAt is the id of the row an event came from, as the DOM says now.
func rowAt(ctx app.Context) string {
	return ctx.JSSrc().Call("closest", "tbody.period").Get("dataset").Get("row").String()
}

// periodFields are the fields of a row that can carry a message.
var periodFields = []string{"kind", "from", "to", "daysPerWeek", "q", "s", "country", "days", "hours",
	"frontierWorker", "childBirthDate", "childDisability", "label"}

// countHints say what a row's "Days" and "Hours" are for (RULES.md §3:
// days or hours actually worked replace the count by the dates); every
// row's fields point to them (aria-describedby).
func (e *editor) countHints(group string) app.UI {
	return app.P().Class("muted count-hints").Body(
		app.Span().ID("hint-days-"+group).Text(e.t("period.days.hint")),
		app.Text(" "),
		app.Span().ID("hint-hours-"+group).Text(e.t("period.hours.hint")),
	)
}

func (e *editor) periodRow(group string, i int, first, last bool) app.UI {
	errs := map[string]string{}
	for _, f := range periodFields {
		if m := e.errFor(periodPath(i, f)); m != "" {
			errs[f] = m
		}
	}
	return &periodRow{Lang: e.Lang, Group: group, RowID: e.rows.ids[i], Index: i, Period: clonePeriod(e.draft.Case.Periods[i]),
		Errs: errs, First: first, Last: last, ed: e}
}

// periodPath is the path of a period's field in the case (RULES.md §7), as
// calc names it in its errors.
func periodPath(i int, field string) string { return "periods[" + itoa(i) + "]." + field }

// editPeriod applies an edit to the row's period, as it is now, and
// records it under the row's current path.
func (e *editor) editPeriod(ctx app.Context, id, field string, fn func(p *calc.Period, path string)) {
	i := e.rows.index(id)
	if i < 0 {
		return // the row was deleted meanwhile
	}
	path := periodPath(i, field)
	e.rows.edit(e.draft.Case.Periods, id, func(p *calc.Period) { fn(p, path) })
	e.changed(ctx, path)
}

// The editable fields of a period, by name: a row's handler carries a field
// name, never a pointer into the case.
var (
	periodDates = map[string]func(*calc.Period) *string{
		"from": func(p *calc.Period) *string { return &p.From },
		"to":   func(p *calc.Period) *string { return &p.To },
	}
	// The yes/no fields of revision 2 (RULES.md §7): nil is absent; an
	// unticked box is stored as absent too, since calc refuses even false
	// on a kind the field does not belong to.
	periodFlags = map[string]func(*calc.Period) **bool{
		"frontierWorker":  func(p *calc.Period) **bool { return &p.FrontierWorker },
		"childDisability": func(p *calc.Period) **bool { return &p.ChildDisability },
	}
	periodNumbers = map[string]func(*calc.Period) **float64{
		"daysPerWeek": func(p *calc.Period) **float64 { return &p.DaysPerWeek },
		"q":           func(p *calc.Period) **float64 { return &p.Q },
		"s":           func(p *calc.Period) **float64 { return &p.S },
		"days":        func(p *calc.Period) **float64 { return &p.Days },
		"hours":       func(p *calc.Period) **float64 { return &p.Hours },
	}
)

// periodRowBody draws one period on two lines, so that a row fits the
// editor's column beside the result: the fields every period has under the
// column headers, then the rarer ones (days, hours, country, label) with
// their own labels.
func (e *editor) periodRowBody(r *periodRow) app.UI {
	p, i := r.Period, r.Index
	n := itoa(i + 1)
	date := func(field string) app.UI {
		path := periodPath(i, field)
		return input{path: path, label: e.t("period." + field), srSuffix: n, kind: "date", lang: e.Lang, value: showDate(*periodDates[field](&p)),
			err: r.Errs[field], compact: true,
			onChange: func(ctx app.Context, v string) {
				e.editPeriod(ctx, rowAt(ctx), field, func(q *calc.Period, path string) { *periodDates[field](q) = e.parseDate(path, v) })
			}}.render()
	}
	number := func(field string) input {
		path := periodPath(i, field)
		return input{path: path, label: e.t("period." + field), kind: "number", value: showNumber(*periodNumbers[field](&p)),
			err: r.Errs[field], instant: true,
			onChange: func(ctx app.Context, v string) {
				id := rowAt(ctx)
				at := e.periodPathOf(id, field)
				if at == "" {
					return // the row was deleted meanwhile
				}
				if n, ok := e.parseNumberAt(at, v); ok {
					e.editPeriod(ctx, id, field, func(q *calc.Period, _ string) { *periodNumbers[field](q) = n })
				}
			}}
	}
	cell := func(field string) app.UI {
		in := number(field)
		in.srSuffix, in.compact = n, true
		return in.render()
	}
	more := func(field string) app.UI {
		in := number(field)
		in.inline, in.srSuffix = true, n
		in.describe = []string{"hint-" + field + "-" + r.Group}
		return in.render()
	}
	return app.TBody().Class("period").DataSet("row", r.RowID).Body(
		app.Tr().ID("row-"+itoa(i)).Body(
			app.Td().Body(e.kindSelect(r)),
			app.Td().Body(date("from")),
			app.Td().Body(date("to")),
			app.Td().Body(cell("daysPerWeek")),
			app.Td().Body(cell("q")),
			app.Td().Body(cell("s")),
			app.Td().Class("cell-actions").Body(e.rowButtons(r)),
		),
		app.Tr().Class("period-more").Body(app.Td().ColSpan(7).Body(app.Div().Class("row-more").Body(
			more("days"),
			more("hours"),
			input{path: periodPath(i, "country"), label: e.t("period.country"), srSuffix: n, inline: true,
				value: i18n.CountryName(e.Lang, p.Country), list: countryListID, err: r.Errs["country"],
				onChange: func(ctx app.Context, v string) {
					id := rowAt(ctx)
					e.editPeriod(ctx, id, "country", func(q *calc.Period, path string) {
						q.Country = e.parseCountry(path, v)
						e.clearInapplicable(q, e.rows.index(id))
					})
				}}.render(),
			input{path: periodPath(i, "label"), label: e.t("period.label"), srSuffix: n, inline: true, value: p.Label,
				err: r.Errs["label"],
				onChange: func(ctx app.Context, v string) {
					e.editPeriod(ctx, rowAt(ctx), "label", func(q *calc.Period, _ string) { q.Label = v })
				}}.render(),
			// The fields of revision 2 each have a slot of their own that
			// is always there, empty where the field does not apply, so an
			// element (and the handler go-app keeps on it) only ever shows
			// one field, whatever kinds the rows above change to. A mark
			// that does not apply (pasted on Belgian work) stays visible
			// with calc's error, so it can be unticked.
			e.extraSlot("frontierWorker", frontierApplies(p) || p.FrontierWorker != nil, func() app.UI { return e.flagInput(r, "frontierWorker") }),
			e.extraSlot("childBirthDate", p.Kind == "child_raising", func() app.UI {
				path := periodPath(i, "childBirthDate")
				val := ""
				if p.ChildBirthDate != nil {
					val = *p.ChildBirthDate
				}
				return input{path: path, label: e.t("period.childBirthDate"), srSuffix: n, inline: true, kind: "date", lang: e.Lang,
					value: showDate(val), err: r.Errs["childBirthDate"],
					onChange: func(ctx app.Context, v string) {
						e.editPeriod(ctx, rowAt(ctx), "childBirthDate", func(q *calc.Period, path string) {
							q.ChildBirthDate = nil
							if d := e.parseDate(path, v); d != "" {
								q.ChildBirthDate = &d
							}
						})
					}}.render()
			}),
			e.extraSlot("childDisability", p.Kind == "child_raising", func() app.UI { return e.flagInput(r, "childDisability") }),
		))),
	)
}

// countryListID is the datalist of country names that every row's
// country field offers (editor.countryList).
const countryListID = "country-list"

// countryList offers the countries by name in the user's language,
// Belgium first: people pick or type a name, the case keeps the ISO code.
func (e *editor) countryList() app.UI { return &countryOptions{Lang: e.Lang} }

// countryOptions is its own component: its 249 options are drawn again
// only when the language changes, not on every keystroke in the editor.
type countryOptions struct {
	app.Compo
	Lang i18n.Lang
}

func (c *countryOptions) Render() app.UI {
	cs := i18n.Countries(c.Lang)
	return app.DataList().ID(countryListID).Body(app.Range(cs).Slice(func(i int) app.UI {
		return app.Option().Value(cs[i].Name)
	}))
}

// parseCountry reads a typed or picked country into its ISO code; a name
// it does not know is kept as typed and flagged at path, as a date is.
func (e *editor) parseCountry(path, v string) string {
	key := e.rows.rowKey(path)
	delete(e.local, key)
	code, ok := i18n.ParseCountry(v)
	if !ok {
		e.local[key] = e.t("field.country.unknown")
		return strings.TrimSpace(v)
	}
	return code
}

// frontierApplies says whether a period can be marked as a frontier
// worker's: work in a country other than Belgium (RULES.md §7, §12.11).
func frontierApplies(p calc.Period) bool {
	return p.Kind == "work" && p.Country != "" && p.Country != "BE"
}

// extraSlot is the fixed place of one optional field on a row's second line.
func (e *editor) extraSlot(field string, applies bool, body func() app.UI) app.UI {
	return app.Div().Class("row-extra extra-" + field).Body(app.If(applies, body))
}

// flagInput is a checkbox bound to a yes/no field of the row's period.
func (e *editor) flagInput(r *periodRow, field string) app.UI {
	path := periodPath(r.Index, field)
	id := fieldID(path)
	v := *periodFlags[field](&r.Period)
	errMsg := r.Errs[field]
	box := app.Input().Type("checkbox").ID(id).Name(path).Checked(v != nil && *v).Aria("invalid", errMsg != "").
		OnChange(func(ctx app.Context, ev app.Event) {
			on := ctx.JSSrc().Get("checked").Bool()
			e.editPeriod(ctx, rowAt(ctx), field, func(q *calc.Period, _ string) {
				*periodFlags[field](q) = nil
				if on {
					t := true
					*periodFlags[field](q) = &t
				}
			})
		})
	if errMsg != "" {
		box = box.Aria("describedby", id+"-err")
	}
	return app.Div().Class("field field-inline checkbox").Body(
		box,
		app.Label().For(id).Body(
			app.Text(e.t("period."+field)),
			app.Span().Class("visually-hidden").Text(" "+itoa(r.Index+1)),
		),
		app.If(errMsg != "", func() app.UI { return app.Span().ID(id + "-err").Class("field-error").Text(errMsg) }),
	)
}

// clearInapplicable drops the fields of revision 2 that no longer apply to
// the period after its kind or country changed: calc refuses them on other
// kinds, and a hidden field must not hold an error the user cannot see.
func (e *editor) clearInapplicable(q *calc.Period, i int) {
	if !frontierApplies(*q) {
		q.FrontierWorker = nil
	}
	if q.Kind != "child_raising" {
		q.ChildBirthDate, q.ChildDisability = nil, nil
		delete(e.local, e.rows.rowKey(periodPath(i, "childBirthDate")))
	}
}

// periodPathOf is the current path of a row's field ("" once it is gone).
func (e *editor) periodPathOf(id, field string) string {
	if i := e.rows.index(id); i >= 0 {
		return periodPath(i, field)
	}
	return ""
}

// rowButton is one small icon button of a row; the label names the row
// for screen readers. act gets the row the click came from.
func (e *editor) rowButton(id, msg, n, iconName string, disabled bool, act func(ctx app.Context, row string)) app.UI {
	return app.Button().Type("button").ID(id).Class("secondary small").Aria("label", e.t(msg)+" "+n).
		Title(e.t(msg)).Disabled(disabled).Body(icon(iconName)).
		OnClick(func(ctx app.Context, ev app.Event) { act(ctx, rowAt(ctx)) })
}

func (e *editor) rowButtons(r *periodRow) app.UI {
	n, at := itoa(r.Index+1), "row-"+itoa(r.Index)
	return app.Div().Class("row-buttons").Body(
		e.rowButton(at+"-up", "period.moveUp", n, "up", r.First, func(ctx app.Context, row string) { e.movePeriod(ctx, row, -1, "-up") }),
		e.rowButton(at+"-down", "period.moveDown", n, "down", r.Last, func(ctx app.Context, row string) { e.movePeriod(ctx, row, +1, "-down") }),
		e.rowButton(at+"-duplicate", "period.duplicate", n, "duplicate", false, e.duplicatePeriod),
		e.rowButton(at+"-delete", "period.delete", n, "delete", false, e.deletePeriod),
	)
}

func (e *editor) kindSelect(r *periodRow) app.UI {
	path := periodPath(r.Index, "kind")
	id := fieldID(path)
	kinds := calc.Kinds()
	return app.Div().Class("field").Body(
		app.Label().For(id).Class("cell-label").Body(
			app.Text(e.t("period.kind")),
			app.Span().Class("visually-hidden").Text(" "+itoa(r.Index+1)),
		),
		app.Select().ID(id).Aria("invalid", r.Errs["kind"] != "").OnChange(func(ctx app.Context, ev app.Event) {
			v := ctx.JSSrc().Get("value").String()
			id := rowAt(ctx)
			e.editPeriod(ctx, id, "kind", func(q *calc.Period, _ string) {
				q.Kind = v
				e.clearInapplicable(q, e.rows.index(id))
			})
		}).Body(app.Range(kinds).Slice(func(k int) app.UI {
			return app.Option().Value(kinds[k]).Selected(kinds[k] == r.Period.Kind).Text(e.t("kind." + kinds[k]))
		})),
	)
}

// addPeriod appends an empty row of the group's kind and focuses its first date.
func (e *editor) addPeriod(ctx app.Context, g periodGroup) {
	p := calc.Period{Kind: g.newKind}
	if g.id == "during" {
		p.From = e.draft.Case.Contract.Start
	}
	ps := e.draft.Case.Periods
	e.draft.Case.Periods, _ = e.rows.insert(ps, len(ps), p)
	e.changed(ctx, "periods")
	focusLater(e.back(ctx), fieldID(periodPath(len(ps), "from")))
}

func (e *editor) duplicatePeriod(ctx app.Context, id string) {
	ps, copyID := e.rows.duplicate(e.draft.Case.Periods, id)
	if copyID == "" {
		return
	}
	e.draft.Case.Periods = ps
	e.changed(ctx, "periods")
	focusLater(e.back(ctx), fieldID(periodPath(e.rows.index(copyID), "from")))
}

// deletePeriod removes the row and keeps the keyboard focus in the table:
// on the delete button of the row that took its place, else of the row
// above, else on the table's "add" button.
func (e *editor) deletePeriod(ctx app.Context, id string) {
	c := &e.draft.Case
	i := e.rows.index(id)
	if i < 0 {
		return
	}
	g := groupOf(c.Periods[i], c.Contract.Start)
	c.Periods = e.rows.remove(c.Periods, id)
	forgetRow(e.touched, id)
	forgetRow(e.local, id)
	e.changed(ctx, "periods")
	focus := "add-" + g.id
	for _, j := range []int{i, i - 1} {
		if j >= 0 && j < len(c.Periods) && g.contains(c.Periods[j], c.Contract.Start) {
			focus = "row-" + itoa(j) + "-delete"
			break
		}
	}
	focusLater(e.back(ctx), focus)
}

// movePeriod swaps the row with its neighbour (dir -1 above, +1 below)
// in the same table, found now rather than at render time, and keeps the
// keyboard focus on the button that moved it.
func (e *editor) movePeriod(ctx app.Context, id string, dir int, button string) {
	c := &e.draft.Case
	i := e.rows.index(id)
	if i < 0 {
		return
	}
	g := groupOf(c.Periods[i], c.Contract.Start)
	for j := i + dir; j >= 0 && j < len(c.Periods); j += dir {
		if g.contains(c.Periods[j], c.Contract.Start) {
			c.Periods = e.rows.swap(c.Periods, id, e.rows.ids[j])
			e.changed(ctx, "periods")
			focusLater(e.back(ctx), "row-"+itoa(j)+button)
			return
		}
	}
}

// groupOf is the table a period shows in.
func groupOf(p calc.Period, contractStart string) periodGroup {
	for _, g := range periodGroups {
		if g.contains(p, contractStart) {
			return g
		}
	}
	return periodGroups[0]
}

// forgetRow drops the marks of a deleted row: a typing error in it must
// not block sending.
func forgetRow[V any](marks map[string]V, id string) {
	for k := range marks {
		if strings.HasPrefix(k, "row:"+id+".") {
			delete(marks, k)
		}
	}
}

// focusLater moves the keyboard focus once the new row is in the DOM. ctx
// must be the editor's own (e.back): go-app drops a deferred call whose
// event source is gone, and the button pressed often is (the first "Add a
// row" redraws the fieldset around it; "delete" goes with its row), which
// left the focus on the page's body.
func focusLater(ctx app.Context, id string) {
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(id); el.Truthy() {
			el.Call("focus")
		}
	})
}

// pasteBox takes rows copied from a spreadsheet: one line per period,
// columns separated by tabs or semicolons: from, to, [label], [days per
// week], [Q], [S], [country], [frontier worker].
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
				ps := e.draft.Case.Periods
				e.draft.Case.Periods, _ = e.rows.insert(ps, len(ps), rows...)
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
	country, known := i18n.ParseCountry(col(6))
	if !known {
		country = strings.ToUpper(col(6)) // kept: calc flags it on the row
	}
	p := calc.Period{Kind: "work", From: from, To: to, Label: col(2), Country: country}
	for i, target := range []**float64{&p.DaysPerWeek, &p.Q, &p.S} {
		v, ok := parseNumber(col(3 + i))
		if !ok {
			return calc.Period{}, false
		}
		*target = v
	}
	if pastedYes[strings.ToLower(col(7))] {
		// Kept even on Belgian work: calc then flags the row's field,
		// rather than the paste dropping what the sheet said.
		t := true
		p.FrontierWorker = &t
	}
	return p, true
}

// pastedYes are the words a spreadsheet's frontier column may hold for
// "yes", in the four languages; anything else leaves the mark unset.
var pastedYes = map[string]bool{"1": true, "oui": true, "ja": true, "yes": true, "x": true}
