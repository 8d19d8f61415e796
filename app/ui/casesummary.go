package ui

import (
	"strings"

	"art60/app/i18n"
	"art60/calc"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// orDash shows an absent value as a dash rather than an empty cell.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// caseSummary shows a case read-only: the person's dates, the contract and
// every period, as the detail and review screens need it.
func (v view) caseSummary(c calc.Case) app.UI {
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return i18n.Number(*p)
	}
	// qs shows a Q/S fraction; none given means the default (RULES.md §12.3):
	// full time for the contract, the kind's rule for a period.
	qs := func(q, s *float64, none string) string {
		switch {
		case q == nil && s == nil:
			return none
		case q == nil:
			return v.t("case.fullTime")
		}
		return strings.Trim(num(q)+" / "+num(s), " /")
	}
	return app.Section().ID("case").Class("card").Body(
		app.H2().Text(v.t("case.title")),
		app.Dl().Class("summary").Body(
			dlRow(v.t("person.niss"), orDash(c.Person.NISS)),
			dlRow(v.t("person.birthDate"), orDash(i18n.Date(c.Person.BirthDate))),
			dlRow(v.t("contract.start"), i18n.Date(c.Contract.Start)),
			dlRow(v.t("contract.daysPerWeek"), num(c.Contract.DaysPerWeek)),
			dlRow("Q / S", qs(c.Contract.Q, c.Contract.S, v.t("case.fullTime"))),
		),
		app.If(len(c.Periods) > 0, func() app.UI {
			return app.Div().Class("table-scroll").Body(app.Table().ID("case-periods").Body(
				app.Caption().Class("visually-hidden").Text(v.t("case.periods")),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(v.t("period.kind")),
					app.Th().Scope("col").Text(v.t("period.from")),
					app.Th().Scope("col").Text(v.t("period.to")),
					app.Th().Scope("col").Text(v.t("period.daysPerWeek")),
					app.Th().Scope("col").Text("Q / S"),
					app.Th().Scope("col").Text(v.t("period.country")),
					app.Th().Scope("col").Text(v.t("period.label")),
				)),
				app.TBody().Body(app.Range(c.Periods).Slice(func(i int) app.UI {
					p := c.Periods[i]
					return app.Tr().Body(
						app.Td().Text(v.t("kind."+p.Kind)),
						app.Td().Text(i18n.Date(p.From)),
						app.Td().Text(i18n.Date(p.To)),
						app.Td().Text(num(p.DaysPerWeek)),
						app.Td().Text(qs(p.Q, p.S, "")),
						app.Td().Text(p.Country),
						app.Td().Text(v.periodNotes(p)),
					)
				})),
			))
		}),
	)
}

// periodNotes is a period's label with the facts of RULES.md §7 that only
// some kinds carry (frontier worker; the child's birth date and
// disability), so the agent sees everything the rules used.
func (v view) periodNotes(p calc.Period) string {
	notes := []string{}
	if p.Label != "" {
		notes = append(notes, p.Label)
	}
	if p.FrontierWorker != nil && *p.FrontierWorker {
		notes = append(notes, v.t("period.frontierWorker"))
	}
	if p.ChildBirthDate != nil && *p.ChildBirthDate != "" {
		notes = append(notes, v.t("period.childBirthDate")+v.t("punct.colon")+i18n.Date(*p.ChildBirthDate))
	}
	if p.ChildDisability != nil && *p.ChildDisability {
		notes = append(notes, v.t("period.childDisability"))
	}
	return strings.Join(notes, " · ")
}
