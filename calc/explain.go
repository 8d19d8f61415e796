package calc

import (
	"strconv"
	"strings"
)

// The explanation a social worker follows (issue 3): which rule set and why,
// the age and the option that held, the window and its extension, what each
// period contributed, and why the end date is that day.

func optionLabel(o *option, l lang) string {
	d, m := formatNumber(o.days, l), strconv.Itoa(o.months)
	switch {
	case o.p == nil:
		return tr(l, "opt.main", d, m)
	case o.p.factor != 0:
		return tr(l, "opt.pformula", d, m, formatNumber(o.p.factor, l), formatNumber(o.p.base, l))
	}
	return tr(l, "opt.pfixed", d, m, formatNumber(o.p.min, l))
}

func periodNo(q *pperiod) string { return strconv.Itoa(q.idx + 1) }

// kindNames and treatNames: the labels of kinds and treatments per language.
var kindNames, treatNames = func() (k [4][numKinds]string, t [4][3]string) {
	for l := langFR; l <= langEN; l++ {
		for i, id := range kindIDs {
			k[l][i] = tr(l, "kind."+id)
		}
		for _, x := range []treat{tNone, tCredit, tExtend} {
			t[l][x] = tr(l, "treat."+x.String())
		}
	}
	return k, t
}()

func kindName(k int, l lang) string { return kindNames[l][k] }

// explainer collects the lines of the steps in one language.
type explainer struct {
	l     lang
	lines []string
}

func (x *explainer) add(id string, args ...string) { x.lines = append(x.lines, tr(x.l, id, args...)) }

func (e *engine) steps(o *outcome, res *Result, credits []float64, l lang) []string {
	x := &explainer{l: l}
	C := e.claim(o.k)
	x.add("step.ruleset."+o.ly.rs.id, displayDate(C), tr(l, o.ly.rs.nameMsg))
	x.add("step.age", strconv.Itoa(o.age), displayDate(daysFromCivil(e.p.by, e.p.bm, e.p.bd)))
	if o.reason == "readmission_art42" {
		x.add("step.art42", displayDate(e.p.lbd), displayDate(C))
		return x.lines
	}
	if e.p.hasLBD && ruleSets[ruleSetFor(e.claim(0))].art42 {
		x.add("step.art42.no", displayDate(e.p.lbd), displayDate(e.claim(0)))
	}
	e.explainOptions(x, o)
	e.explainWindow(x, o)
	e.explainPeriods(x, o, credits)
	x.add("step.credits", formatNumber(res.CreditedBeforeContract, l), formatNumber(res.ContractCredit, l),
		formatNumber(res.WindowCredit, l), formatNumber(res.RequiredDays, l))
	e.explainEnd(x, o)
	return x.lines
}

// explainOptions lists the options of the age and how each fared.
func (e *engine) explainOptions(x *explainer, o *outcome) {
	opts := o.ly.rs.optionsFor(o.age)
	labels := make([]string, len(opts))
	for j := range opts {
		labels[j] = optionLabel(&opts[j], x.l)
	}
	x.add("step.options", strings.Join(labels, " · "))
	for j := range opts {
		x.lines = append(x.lines, e.optionLine(o, &opts[j], x.l))
	}
}

// explainWindow describes the window of the option that held (§5).
func (e *engine) explainWindow(x *explainer, o *outcome) {
	r := &o.r
	x.add("step.window", displayDate(r.from), displayDate(e.claim(o.k)-1), strconv.Itoa(r.opt.months))
	if r.s0 > r.from {
		x.add("step.extension", strconv.Itoa(r.s0-r.from), displayDate(r.s0))
	}
	if r.capped {
		x.add("step.cap", strconv.Itoa(o.ly.rs.capYears), displayDate(r.from))
	}
	if r.cut > r.from {
		x.add("step.pad", displayDate(e.p.pad))
	}
}

// explainPeriods says what each period touching the window did; the others
// are counted in one line.
func (e *engine) explainPeriods(x *explainer, o *outcome, credits []float64) {
	C, others := e.claim(o.k), 0
	for _, j := range e.inputOrder() {
		q := &e.periods[j]
		if q.to < o.r.from || q.from >= C {
			others++
			continue
		}
		x.add("step.period", periodNo(q), kindName(q.kind, x.l), displayDate(q.from), displayDate(q.to),
			treatNames[x.l][o.ly.treat[j]], formatNumber(credits[j], x.l))
	}
	if others > 0 {
		x.add("step.others", strconv.Itoa(others))
	}
}

// explainEnd says why the end date is that day, and how C follows (§4, §8).
func (e *engine) explainEnd(x *explainer, o *outcome) {
	E, C := e.evals[o.k], e.claim(o.k)
	claimRule := "step.claimdays.monsat"
	if e.p.monFri {
		claimRule = "step.claimdays.monfri"
	}
	if o.reason == "enough_days" {
		x.add("step.enough", displayDate(C))
		x.add(claimRule)
		return
	}
	x.add("step.contract", displayDate(e.p.start), displayDate(E), strconv.Itoa(o.k))
	pr := &o.prev
	if o.k == 1 {
		x.add("step.end.first", displayDate(E), formatNumber(pr.x, x.l), formatNumber(pr.opt.days, x.l))
	} else {
		x.add("step.end", displayDate(E), displayDate(e.evals[o.k-1]), formatNumber(pr.x, x.l), formatNumber(pr.opt.days, x.l))
	}
	x.add("step.claim", displayDate(C))
	x.add(claimRule)
}

// optionLine says how one option fared at the candidate where the scan stopped.
func (e *engine) optionLine(o *outcome, opt *option, l lang) string {
	E, C := e.evals[o.k], e.claim(o.k)
	cy, cm, cd := civil(C)
	var r evalOut
	e.evalOption(&r, o.ly, opt, E, C, cy, cm, cd, false)
	verdict := tr(l, "verdict.no")
	if r.ok {
		verdict = tr(l, "verdict.yes")
	}
	line := tr(l, "step.option", optionLabel(opt, l), displayDate(r.from), displayDate(C-1),
		formatNumber(r.x, l), formatNumber(opt.days, l))
	if opt.p != nil && atLeast(r.x, opt.days) {
		line += " " + tr(l, "step.option.p", formatNumber(r.p, l), formatNumber(opt.pNeeded(r.x), l))
	}
	return line + " " + verdict
}

// warnings lists what the user should know about the input (in input order).
func (e *engine) warnings(o *outcome, l lang) []string {
	rs := o.ly.rs
	out := []string{}
	// art. 42 is looked at once, under the rule set of C0 (§12.5)
	if rs0 := &ruleSets[ruleSetFor(e.claim(0))]; e.p.hasLBD && !rs0.art42 {
		out = append(out, tr(l, "warn.lbd_ignored", tr(l, rs0.nameMsg)))
	}
	if e.p.hasPAD && !rs.previousAdmission {
		out = append(out, tr(l, "warn.pad_ignored", tr(l, rs.nameMsg)))
	}
	for _, j := range e.inputOrder() {
		q := &e.periods[j]
		n := periodNo(q)
		switch {
		case o.ly.short[j]:
			out = append(out, tr(l, "warn.short", n, kindName(q.kind, l),
				strconv.Itoa(rs.kinds[q.kind].minMonths), tr(l, rs.nameMsg)))
		case q.abroad && !q.conv:
			out = append(out, tr(l, "warn.abroad.noconv", n, q.country))
		case q.abroad && o.ly.treat[j] == tExtend:
			out = append(out, tr(l, "warn.abroad.78", n, q.country))
		}
		if q.noSched {
			out = append(out, tr(l, "warn.nosched", n))
		}
	}
	return out
}
