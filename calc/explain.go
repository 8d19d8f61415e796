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

func (e *engine) steps(o *outcome, res *Result, credits []float64, l lang) []string {
	E, C := e.evals[o.k], e.claim(o.k)
	rs := o.ly.rs
	claimRule := "step.claimdays.monsat"
	if e.p.monFri {
		claimRule = "step.claimdays.monfri"
	}
	var s []string
	add := func(id string, args ...string) { s = append(s, tr(l, id, args...)) }
	add("step.ruleset."+rs.id, displayDate(C), tr(l, rs.nameMsg))
	add("step.age", strconv.Itoa(o.age), displayDate(daysFromCivil(e.p.by, e.p.bm, e.p.bd)))
	if o.reason == "readmission_art42" {
		add("step.art42", displayDate(e.p.lbd), displayDate(C))
		return s
	}
	if e.p.hasLBD && ruleSets[ruleSetFor(e.claim(0))].art42 {
		add("step.art42.no", displayDate(e.p.lbd), displayDate(e.claim(0)))
	}
	opts := rs.optionsFor(o.age)
	labels := make([]string, len(opts))
	for j := range opts {
		labels[j] = optionLabel(&opts[j], l)
	}
	add("step.options", strings.Join(labels, " · "))
	for j := range opts {
		s = append(s, e.optionLine(o, &opts[j], l))
	}
	r := &o.r
	add("step.window", displayDate(r.from), displayDate(C-1), strconv.Itoa(r.opt.months))
	if r.s0 > r.from {
		add("step.extension", strconv.Itoa(r.s0-r.from), displayDate(r.s0))
	}
	if r.capped {
		add("step.cap", strconv.Itoa(rs.capYears), displayDate(r.from))
	}
	if r.cut > r.from {
		add("step.pad", displayDate(e.p.pad))
	}
	idx := make([]int, len(e.periods))
	for j := range e.periods {
		idx[e.periods[j].idx] = j
	}
	// the periods that touch the window; the others are counted
	others := 0
	for _, j := range idx {
		q := &e.periods[j]
		if q.to < r.from || q.from >= C {
			others++
			continue
		}
		add("step.period", periodNo(q), kindName(q.kind, l), displayDate(q.from), displayDate(q.to),
			treatNames[l][o.ly.treat[j]], formatNumber(credits[j], l))
	}
	if others > 0 {
		add("step.others", strconv.Itoa(others))
	}
	add("step.credits", formatNumber(res.CreditedBeforeContract, l), formatNumber(res.ContractCredit, l),
		formatNumber(res.WindowCredit, l), formatNumber(res.RequiredDays, l))
	if o.reason == "enough_days" {
		add("step.enough", displayDate(C))
		add(claimRule)
		return s
	}
	add("step.contract", displayDate(e.p.start), displayDate(E), strconv.Itoa(o.k))
	pr := &o.prev
	if o.k == 1 {
		add("step.end.first", displayDate(E), formatNumber(pr.x, l), formatNumber(pr.opt.days, l))
	} else {
		add("step.end", displayDate(E), displayDate(e.evals[o.k-1]), formatNumber(pr.x, l), formatNumber(pr.opt.days, l))
	}
	add("step.claim", displayDate(C))
	add(claimRule)
	return s
}

// optionLine says how one option fared at the candidate where the scan stopped.
func (e *engine) optionLine(o *outcome, opt *option, l lang) string {
	E, C := e.evals[o.k], e.claim(o.k)
	cy, cm, cd := civil(C)
	var r evalOut
	e.evalOption(&r, o.ly, opt, E, C, cy, cm, cd)
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
	idx := make([]int, len(e.periods))
	for j := range e.periods {
		idx[e.periods[j].idx] = j
	}
	for _, j := range idx {
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
