package ui

import (
	"html"
	"slices"
	"sort"
	"strconv"
	"strings"

	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// view renders what the editor and the detail page both show.
type view struct{ lang i18n.Lang }

func (v view) t(id string, args ...string) string { return i18n.T(v.lang, id, args...) }

// resultPanel shows the live answer: end date, claim date, days to work,
// the window, the rule set and option, the steps and the timeline.
func (e *editor) resultPanel() app.UI {
	return view{e.Lang}.resultPanel(e.out)
}

func (v view) resultPanel(o outcome) app.UI {
	// tabindex -1: the summary's "see the result" takes the focus there.
	return app.Section().ID("result").Class("card result").TabIndex(-1).Aria("live", "polite").Body(
		app.H2().Text(v.t("result.title")),
		v.resultBody(o),
	)
}

func (v view) resultBody(o outcome) app.UI {
	switch {
	case o.unreach != nil:
		return app.P().ID("result-unreachable").Class("banner").Text(v.t("result.unreachable",
			"credit", i18n.Number(o.unreach.BestCredit), "required", i18n.Number(o.unreach.BestRequiredDays),
			"horizon", i18n.Date(o.unreach.Horizon)))
	case o.result == nil:
		return v.problems(o)
	}
	r := o.result
	return app.Div().Body(
		v.summary(r),
		v.warnings(r.Warnings), // before the steps, which can be long: seen without scrolling
		app.H3().Text(v.t("result.steps")),
		app.Ol().ID("result-steps").Class("steps").Body(app.Range(r.Steps).Slice(func(i int) app.UI {
			return app.Li().Text(r.Steps[i])
		})),
	)
}

// liveSummary is the answer in one line, kept in view at the top of the
// screen on a phone, where the full result comes only after the form; its
// button takes the reader (and the keyboard focus) to that result. Beside
// the form on a wide screen the result itself stays in view and the line
// is not shown (art60.css, "Phone").
func (e *editor) liveSummary() app.UI {
	o := e.out
	var text string
	switch {
	case o.unreach != nil:
		text = e.t("result.short.unreachable")
	case o.result == nil:
		text = e.t("result.short.incomplete", "count", itoa(len(o.errs)))
	case o.result.ContractEnd == nil:
		text = e.t("result.contractEnd") + e.t("punct.colon") + e.t("result.alreadyAdmissible")
	default:
		text = e.t("result.contractEnd") + e.t("punct.colon") + i18n.Date(*o.result.ContractEnd)
	}
	return app.Div().ID("live-summary").Class("live-summary no-print").Body(
		app.Span().ID("live-end").Text(text),
		app.Button().Type("button").Class("secondary small").ID("live-jump").Text(e.t("result.jump")).
			OnClick(func(ctx app.Context, ev app.Event) {
				if el := app.Window().GetElementByID("result"); el.Truthy() {
					el.Call("scrollIntoView")
					el.Call("focus", map[string]any{"preventScroll": true})
				}
			}),
	)
}

// warnings lists calc's points of attention (RULES.md §12.18), already in
// the reader's language: they change no figure but may change what the
// worker enters or checks, so they sit with the result under a heading.
func (v view) warnings(ws []string) app.UI {
	if len(ws) == 0 {
		return nil
	}
	return app.Div().ID("result-warnings").Class("warnings-block").Body(
		app.H3().ID("result-warnings-title").Text(v.t("result.warnings")),
		app.Ul().Class("warnings").Aria("labelledby", "result-warnings-title").Body(app.Range(ws).Slice(func(i int) app.UI {
			return app.Li().Class("banner").Text(ws[i])
		})),
	)
}

// timelinePanel draws the window of a computed case, full width. onemEnd
// is the end date ONEM's decision set instead of the computed one (""
// when none, see onemEnd): the picture shows it beside E, because the
// decision's date is the request's (README, "ONEM's figures everywhere").
func (v view) timelinePanel(o outcome, onemEnd string) app.UI {
	if o.result == nil {
		return nil
	}
	return app.Section().ID("timeline").Class("card").Body(
		app.H2().Text(v.t("result.timeline")),
		// On a phone the chart scrolls in its own frame; a keyboard user
		// scrolls it too, so the frame takes the focus and has a name.
		app.Raw(`<div class="timeline-wrap" tabindex="0" role="region" aria-label="`+html.EscapeString(v.t("result.timeline"))+`">`+
			timelineSVG(withONEMEnd(o.result.Timeline, onemEnd), v.lang, o.labels)+`</div>`),
		timelineLegend(v.lang, onemEnd != ""),
	)
}

// onemEnd is the end date of r's decision when it differs from the
// computed one, else "".
func onemEnd(r *api.Request) string {
	if r == nil || r.Decision == nil || r.Decision.ContractEnd == nil {
		return ""
	}
	if r.Result != nil && r.Result.ContractEnd != nil && *r.Result.ContractEnd == *r.Decision.ContractEnd {
		return ""
	}
	return *r.Decision.ContractEnd
}

// withONEMEnd adds ONEM's end date to a timeline as its own mark.
func withONEMEnd(tl calc.Timeline, end string) calc.Timeline {
	if end == "" {
		return tl
	}
	tl.Spans = append(slices.Clip(tl.Spans), calc.TimelineSpan{Role: "onem-end", From: end, To: end})
	if end > tl.To { // ISO dates: ONEM's end after the computed claim date widens the picture to it
		tl.To = end
	}
	return tl
}

// summary is the answer in a few lines, the figures the worker copies.
func (v view) summary(r *calc.Result) app.UI {
	end := v.t("result.alreadyAdmissible")
	if r.ContractEnd != nil {
		end = i18n.Date(*r.ContractEnd)
	}
	rows := [][2]string{
		{v.t("result.contractEnd"), end},
		{v.t("result.claimDate"), i18n.Date(r.ClaimDate)},
		{v.t("result.daysToWork"), itoa(r.ContractScheduledDays)},
		{v.t("result.contractCredit"), i18n.Number(r.ContractCredit)},
		{v.t("result.creditBefore"), i18n.Number(r.CreditedBeforeContract)},
		{v.t("result.requirement"), v.t("result.requirement.value", "days", i18n.Number(r.RequiredDays), "months", itoa(r.ReferenceMonths))},
		{v.t("result.ruleSet"), r.RuleSet.Name},
		{v.t("result.age"), itoa(r.AgeAtClaim)},
	}
	if r.Window != nil {
		rows = append(rows, [2]string{v.t("result.window"), v.t("result.window.value",
			"from", i18n.Date(r.Window.From), "to", i18n.Date(r.Window.To), "count", itoa(r.Window.ExtensionDays))})
	}
	ids := []string{"result-end", "result-claim", "result-days", "result-contract-credit", "result-credit-before",
		"result-requirement", "result-ruleset", "result-age", "result-window"}
	return app.Dl().Class("summary").Body(app.Range(rows).Slice(func(i int) app.UI {
		return app.Div().Class("summary-row").Body(
			app.Dt().Text(rows[i][0]),
			app.Dd().ID(ids[i]).Text(rows[i][1]),
		)
	}))
}

// problems lists what keeps the case from being computed, each a link to
// its field.
func (v view) problems(o outcome) app.UI {
	paths := make([]string, 0, len(o.errs))
	for p := range o.errs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return app.Div().ID("result-incomplete").Body(
		app.P().Text(v.t("result.incomplete", "count", itoa(len(paths)))),
		app.Ul().Body(app.Range(paths).Slice(func(i int) app.UI {
			return app.Li().Body(app.A().Href("#" + fieldID(paths[i])).Text(v.pathLabel(paths[i]) + v.t("punct.colon") + o.errs[paths[i]]))
		})),
	)
}

// pathLabel names a field for the user: "periods[3].to" -> "Row 4: To".
func (v view) pathLabel(path string) string {
	labels := map[string]string{
		"person.niss": "person.niss", "person.birthDate": "person.birthDate", "contract.start": "contract.start",
		"contract.daysPerWeek": "contract.daysPerWeek", "contract.q": "contract.q", "contract.s": "contract.s",
		"lastBenefitDate": "options.lastBenefitDate", "previousAdmissionDate": "options.previousAdmissionDate",
		"options.claimDays": "options.claimDays",
		"lastName":          "person.lastName", "firstName": "person.firstName", "referenceEmail": "details.referenceEmail",
		"comments": "details.comments", "attachments": "attach.label", "derogation": "endCheck.justification",
		"derogation.justification": "endCheck.justification", "remark": "review.remark",
		"contractEnd": "review.correctEnd", "days": "review.correctDays",
	}
	if id, ok := labels[path]; ok {
		return v.t(id)
	}
	if row, field, ok := parsePeriodPath(path); ok {
		return v.t("period.row", "n", itoa(row+1)) + " – " + v.t("period."+field)
	}
	return path
}

// parsePeriodPath parses "periods[3].to" into 3 and "to".
func parsePeriodPath(path string) (row int, field string, ok bool) {
	rest, found := strings.CutPrefix(path, "periods[")
	if !found {
		return 0, "", false
	}
	num, field, found := strings.Cut(rest, "].")
	row, err := strconv.Atoi(num)
	return row, field, found && err == nil
}

func timelineLegend(lang i18n.Lang, onem bool) app.UI {
	items := []string{"credit", "extend", "none", "window", "extension", "contract", "end", "claim"}
	if onem {
		items = append(items, "onem-end")
	}
	return app.Ul().Class("legend").Body(app.Range(items).Slice(func(i int) app.UI {
		return app.Li().Body(
			app.Span().Class("swatch tl-"+items[i]).Aria("hidden", "true"),
			app.Text(i18n.T(lang, "legend."+items[i])),
		)
	}))
}
