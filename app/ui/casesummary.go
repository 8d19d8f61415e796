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

// joinParts joins the parts that are not empty: a card never shows a
// separator with nothing on one side ("Calculé par l'ONEM · ").
func joinParts(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
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
			cols := []string{v.t("period.kind"), v.t("period.from"), v.t("period.to"), v.t("period.daysPerWeek"), "Q / S",
				v.t("period.country"), v.t("period.label")}
			return app.Div().Class("table-scroll").Body(app.Table().ID("case-periods").Class("stack").Body(
				app.Caption().Class("visually-hidden").Text(v.t("case.periods")),
				headRow(cols),
				app.TBody().Body(app.Range(c.Periods).Slice(func(i int) app.UI {
					p := c.Periods[i]
					cells := []string{v.t("kind." + p.Kind), i18n.Date(p.From), i18n.Date(p.To), num(p.DaysPerWeek),
						qs(p.Q, p.S, ""), i18n.CountryName(v.lang, p.Country), v.periodNotes(p)}
					return app.Tr().Body(app.Range(cells).Slice(func(j int) app.UI {
						return labelledCell(cols[j]).Text(cells[j])
					}))
				})),
			))
		}),
	)
}

// periodNotes is a period's label with the facts of RULES.md §7 that only
// some kinds carry (frontier worker; the child's birth date and
// disability), so the agent sees everything the rules used.
func (v view) periodNotes(p calc.Period) string {
	notes := []string{p.Label}
	if p.FrontierWorker != nil && *p.FrontierWorker {
		notes = append(notes, v.t("period.frontierWorker"))
	}
	if p.ChildBirthDate != nil && *p.ChildBirthDate != "" {
		notes = append(notes, v.t("period.childBirthDate")+v.t("punct.colon")+i18n.Date(*p.ChildBirthDate))
	}
	if p.ChildDisability != nil && *p.ChildDisability {
		notes = append(notes, v.t("period.childDisability"))
	}
	return joinParts(" · ", notes...)
}

// headRow is a table's header row, one column heading per label.
func headRow(cols []string) app.UI {
	return app.THead().Body(app.Tr().Body(app.Range(cols).Slice(func(i int) app.UI {
		return app.Th().Scope("col").Text(cols[i])
	})))
}

// labelledCell is a cell that carries its column's heading: on a phone the
// stylesheet stacks the rows of a table of class "stack" as cards, and
// each value shows its heading before it (art60.css, "Phone").
func labelledCell(heading string) app.HTMLTd { return app.Td().DataSet("label", heading) }
