package ui

import (
	"art60/app/drafts"
	"art60/app/i18n"
	"art60/calc"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// variant is a what-if copy of the case with one thing changed (the start
// date, the schedule, an added absence), shown beside the original.
type variant struct {
	c       calc.Case
	absence calc.Period
	out     outcome
}

func (e *editor) startVariant(ctx app.Context, ev app.Event) {
	c, err := drafts.CloneCase(e.draft.Case)
	if err != nil {
		return
	}
	e.variant = &variant{c: c, absence: calc.Period{Kind: "sickness_mutual"}}
	e.variant.recompute(e.Lang)
}

func (v *variant) recompute(lang i18n.Lang) {
	c := v.c
	c.Periods = append([]calc.Period(nil), v.c.Periods...)
	if v.absence.From != "" && v.absence.To != "" {
		c.Periods = append(c.Periods, v.absence)
	}
	v.out = solve(&c, lang)
}

func (e *editor) whatIf() app.UI {
	if e.variant == nil {
		return app.Div().Class("card no-print").Body(
			app.Button().Type("button").Class("secondary").ID("whatif-start").Text(e.t("whatif.start")).OnClick(e.startVariant),
		)
	}
	v := e.variant
	changed := func(ctx app.Context) { v.recompute(e.Lang) }
	date := func(path, label string, target *string) app.UI {
		return input{path: "whatif." + path, label: label, kind: "date", lang: e.Lang, value: showDate(*target),
			onChange: func(ctx app.Context, s string) {
				if iso, ok := i18n.ParseDate(s); ok {
					*target = iso
				}
				changed(ctx)
			}}.render()
	}
	num := func(path, label string, target **float64) app.UI {
		return input{path: "whatif." + path, label: label, kind: "number", value: showNumber(*target), instant: true,
			onChange: func(ctx app.Context, s string) {
				if n, ok := parseNumber(s); ok {
					*target = n
				}
				changed(ctx)
			}}.render()
	}
	return app.Section().ID("whatif").Class("card no-print").Body(
		app.H2().Text(e.t("whatif.title")),
		app.P().Class("muted").Text(e.t("whatif.hint")),
		app.Div().Class("form-grid").Body(
			date("start", e.t("contract.start"), &v.c.Contract.Start),
			num("daysPerWeek", e.t("contract.daysPerWeek"), &v.c.Contract.DaysPerWeek),
			num("q", e.t("contract.q"), &v.c.Contract.Q),
			num("s", e.t("contract.s"), &v.c.Contract.S),
			e.variantKind(),
			date("absence.from", e.t("whatif.absence.from"), &v.absence.From),
			date("absence.to", e.t("whatif.absence.to"), &v.absence.To),
		),
		e.comparison(),
		app.Button().Type("button").Class("secondary").ID("whatif-close").Text(e.t("whatif.close")).
			OnClick(func(ctx app.Context, ev app.Event) { e.variant = nil }),
	)
}

func (e *editor) variantKind() app.UI {
	v := e.variant
	kinds := calc.Kinds()
	return app.Div().Class("field").Body(
		app.Label().For("f-whatif-absence-kind").Text(e.t("whatif.absence.kind")),
		app.Select().ID("f-whatif-absence-kind").OnChange(func(ctx app.Context, ev app.Event) {
			v.absence.Kind = ctx.JSSrc().Get("value").String()
			v.recompute(e.Lang)
		}).Body(app.Range(kinds).Slice(func(k int) app.UI {
			return app.Option().Value(kinds[k]).Selected(kinds[k] == v.absence.Kind).Text(e.t("kind." + kinds[k]))
		})),
	)
}

// comparison shows both scenarios side by side.
func (e *editor) comparison() app.UI {
	a, b := e.out, e.variant.out
	row := func(label string, f func(outcome) string) app.UI {
		return app.Tr().Body(app.Th().Scope("row").Text(label), app.Td().Text(f(a)), app.Td().Text(f(b)))
	}
	return app.Table().ID("whatif-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Body(app.Span().Class("visually-hidden").Text(e.t("whatif.figure"))),
			app.Th().Scope("col").Text(e.t("whatif.current")),
			app.Th().Scope("col").Text(e.t("whatif.variant")),
		)),
		app.TBody().Body(
			row(e.t("result.contractEnd"), e.figure(func(r *calc.Result) string {
				if r.ContractEnd == nil {
					return e.t("result.alreadyAdmissible")
				}
				return i18n.Date(*r.ContractEnd)
			})),
			row(e.t("result.claimDate"), e.figure(func(r *calc.Result) string { return i18n.Date(r.ClaimDate) })),
			row(e.t("result.daysToWork"), e.figure(func(r *calc.Result) string { return itoa(r.ContractScheduledDays) })),
			row(e.t("result.requirement"), e.figure(func(r *calc.Result) string {
				return e.t("result.requirement.value", "days", i18n.Number(r.RequiredDays), "months", itoa(r.ReferenceMonths))
			})),
		),
	)
}

// figure formats one figure of an outcome, or says why there is none.
func (e *editor) figure(f func(*calc.Result) string) func(outcome) string {
	return func(o outcome) string {
		switch {
		case o.result != nil:
			return f(o.result)
		case o.unreach != nil:
			return e.t("whatif.unreachable")
		}
		return e.t("whatif.incomplete")
	}
}
