package ui

import (
	"encoding/json"
	"sync"

	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// A request the server holds is shown with one set of figures everywhere
// (list, detail, print, the agent's review): ONEM's when it decided, else
// the server's computation, marked provisional until ONEM answers. The
// explanation is recomputed by calc in the reader's language; the figures
// stay those stored.

// storedOutcome is the outcome of a stored request in the reader's
// language. calc recomputes the case; when it finds the stored figures
// again its steps and warnings are used (the same reasoning, in lang).
// When it does not (the rules changed since the request was computed), the
// stored explanation stays, in the language it was sent in, and recomputed
// is false.
func storedOutcome(r *api.Request, lang i18n.Lang) (o outcome, recomputed bool) {
	o = outcome{result: r.Result, unreach: r.Unreachable}
	var c calc.Case
	if r.Result == nil || json.Unmarshal(r.Case, &c) != nil {
		return o, false
	}
	local := solve(&c, lang)
	if local.result == nil || !sameFigures(local.result, r.Result) {
		return o, false
	}
	return outcome{result: local.result}, true
}

// sameFigures compares what a result decides, not the words of its steps.
func sameFigures(a, b *calc.Result) bool {
	fig := func(r *calc.Result) any {
		return []any{r.ContractEnd, r.ClaimDate, r.ContractScheduledDays, r.ContractCredit, r.CreditedBeforeContract,
			r.RequiredDays, r.ReferenceMonths, r.RuleSet.ID, r.Window, r.AlreadyAdmissible}
	}
	x, _ := json.Marshal(fig(a))
	y, _ := json.Marshal(fig(b))
	return string(x) == string(y)
}

// inForce is the result with the figures in force: ONEM's corrected end
// date and days replace the computed ones. replaced lists the computed
// figures that ONEM replaced, as label and value, to show as such.
func (v view) inForce(res *calc.Result, r *api.Request) (shown *calc.Result, replaced [][2]string) {
	if res == nil || r == nil || r.Decision == nil || r.Decision.Outcome != api.StatusCalculated {
		return res, nil
	}
	c := *res
	if end := r.Decision.ContractEnd; end != nil && (res.ContractEnd == nil || *end != *res.ContractEnd) {
		computed := v.t("result.alreadyAdmissible")
		if res.ContractEnd != nil {
			computed = i18n.Date(*res.ContractEnd)
		}
		c.ContractEnd = end
		replaced = append(replaced, [2]string{v.t("result.computedEnd"), computed})
	}
	if days := r.Decision.Days; days != nil && *days != res.ContractScheduledDays {
		c.ContractScheduledDays = *days
		replaced = append(replaced, [2]string{v.t("result.computedDays"), itoa(res.ContractScheduledDays)})
	}
	return &c, replaced
}

// requestResult is the result panel of a stored request: "provisional"
// until ONEM decides, "decided by ONEM" after, with the computed figures
// that ONEM corrected shown beside the decided ones.
func (v view) requestResult(r *api.Request, o outcome, recomputed bool) app.UI {
	title := v.t("result.title")
	switch {
	case r.Decision == nil && r.Status == api.StatusSent:
		title = v.t("result.title.provisional")
	case r.Decision != nil && r.Decision.Outcome == api.StatusCalculated:
		title = v.t("result.title.decided")
	}
	shown, replaced := v.inForce(o.result, r)
	o.result = shown
	return app.Section().ID("result").Class("card result").Body(
		app.H2().Text(title),
		app.If(len(replaced) > 0, func() app.UI {
			return app.Dl().ID("result-corrected").Class("summary corrected").Body(app.Range(replaced).Slice(func(i int) app.UI {
				return dlRow(replaced[i][0], replaced[i][1])
			}))
		}),
		app.If(!recomputed && o.result != nil, func() app.UI {
			return app.P().ID("result-stored-steps").Class("muted").Text(v.t("result.storedSteps"))
		}),
		v.resultBody(o),
	)
}

// rulesNow is what calc's current rules give for a stored request, and
// whether that differs from the figures stored with it: a request computed
// before a revision of RULES.md (§13) keeps the figures it was computed
// and sent with, and the reader is told what the rules give now. Nothing
// to compare (no stored figures, a case that does not decode) is no change.
func rulesNow(r *api.Request, lang i18n.Lang) (now outcome, changed bool) {
	if r == nil || (r.Result == nil && r.Unreachable == nil) {
		return outcome{}, false
	}
	var c calc.Case
	if json.Unmarshal(r.Case, &c) != nil {
		return outcome{}, false
	}
	now = solve(&c, lang)
	if r.Result != nil {
		return now, now.result == nil || !sameFigures(now.result, r.Result)
	}
	return now, now.unreach == nil // stored unreachable, now computed or refused
}

// rulesCheck keeps the last rulesNow of a screen: a page redraws on every
// event, the request and the language change rarely.
var rulesCheck struct {
	mu      sync.Mutex
	req     *api.Request
	lang    i18n.Lang
	now     outcome
	changed bool
}

func rulesNowCached(r *api.Request, lang i18n.Lang) (outcome, bool) {
	rulesCheck.mu.Lock()
	defer rulesCheck.mu.Unlock()
	if rulesCheck.req != r || rulesCheck.lang != lang {
		rulesCheck.now, rulesCheck.changed = rulesNow(r, lang)
		rulesCheck.req, rulesCheck.lang = r, lang
	}
	return rulesCheck.now, rulesCheck.changed
}

// rulesChanged is the banner of a stored request whose figures the current
// rules no longer give (nil otherwise): the rules changed since it was
// computed, what they give now, and that the request's figures stay.
func (v view) rulesChanged(id string, r *api.Request) app.UI {
	now, changed := rulesNowCached(r, v.lang)
	if !changed {
		return nil
	}
	return app.P().ID(id).Class("banner").Role("status").Text(v.t("rules.changed", "now", v.rulesNowText(now)))
}

// rulesNowText says in a few words what the current rules give.
func (v view) rulesNowText(o outcome) string {
	switch {
	case o.unreach != nil:
		return v.t("rules.now.unreachable")
	case o.result == nil:
		return v.t("rules.now.invalid")
	case o.result.ContractEnd == nil:
		return v.t("rules.now.admissible", "claim", i18n.Date(o.result.ClaimDate))
	}
	r := o.result
	return v.t("rules.now.end", "end", i18n.Date(*r.ContractEnd), "claim", i18n.Date(r.ClaimDate),
		"count", itoa(r.ContractScheduledDays))
}
