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

// explainer collects the lines of the steps in one language, printed one
// after another into one buffer that becomes one string: a line costs no
// allocation of its own, nor do the dates and numbers in it.
type explainer struct {
	l     lang
	buf   []byte
	ends  []int             // where each line ends in buf
	rules map[string]string // cite → the end of a line naming it
}

func (x *explainer) add(id string, args ...arg) {
	x.buf = appendMsg(x.buf, x.l, id, args...)
	x.ends = append(x.ends, len(x.buf))
}

// addRule adds a line that ends by saying which rule its figures come from
// (cite: a message id of the rule-set table); the few distinct endings are
// made once per explanation.
func (x *explainer) addRule(cite, id string, args ...arg) {
	rule, ok := x.rules[cite]
	if !ok {
		if x.rules == nil {
			x.rules = map[string]string{}
		}
		rule = " " + tr(x.l, "step.rule", tr(x.l, cite))
		x.rules[cite] = rule
	}
	x.buf = append(appendMsg(x.buf, x.l, id, args...), rule...)
	x.ends = append(x.ends, len(x.buf))
}

// lines returns the lines, sharing one string.
func (x *explainer) lines() []string {
	all, out, start := string(x.buf), make([]string, len(x.ends)), 0
	for i, end := range x.ends {
		out[i], start = all[start:end], end
	}
	return out
}

func (e *engine) steps(o *outcome, res *Result, credits []float64, l lang) []string {
	C, n := e.claim(o.k), 0 // n: the periods with a line of their own (explainPeriods)
	for j := range e.periods {
		if q := &e.periods[j]; q.to >= o.r.from && q.from < C {
			n++
		}
	}
	x := &explainer{l: l, buf: make([]byte, 0, 1536+192*n), ends: make([]int, 0, 16+n)}
	x.add("step.ruleset."+o.ly.rs.id, date(C), text(tr(l, o.ly.rs.nameMsg)))
	x.add("step.age", integer(o.age), date(daysFromCivil(e.p.by, e.p.bm, e.p.bd)))
	if rs0 := &ruleSets[ruleSetFor(e.claim(0))]; e.p.hasLBD && rs0.art42 {
		id := "step.art42.no"
		if o.reason == "readmission_art42" {
			id = "step.art42"
		}
		x.addRule(rs0.cite.art42, id, date(e.p.lbd), date(e.claim(0)), date(e.s42))
	}
	if o.reason == "readmission_art42" {
		return x.lines()
	}
	e.explainOptions(x, o)
	e.explainWindow(x, o)
	e.explainPeriods(x, o, credits)
	x.add("step.credits", number(res.CreditedBeforeContract), number(res.ContractCredit),
		number(res.WindowCredit), number(res.RequiredDays))
	e.explainEnd(x, o)
	return x.lines()
}

// explainOptions lists the options of the age and how each fared.
func (e *engine) explainOptions(x *explainer, o *outcome) {
	opts := o.ly.rs.optionsFor(o.age)
	labels := make([]string, len(opts))
	for j := range opts {
		labels[j] = optionLabel(&opts[j], x.l)
	}
	x.addRule(o.ly.rs.cite.options, "step.options", text(strings.Join(labels, " · ")))
	for j := range opts {
		e.optionLine(x, o, &opts[j], labels[j])
	}
}

// explainWindow describes the window of the option that held (§5).
func (e *engine) explainWindow(x *explainer, o *outcome) {
	r, rs := &o.r, o.ly.rs
	x.add("step.window", date(r.from), date(e.claim(o.k)-1), integer(r.opt.months))
	if r.s0 > r.from {
		x.addRule(rs.cite.extension, "step.extension", integer(r.s0-r.from), date(r.s0))
	}
	if r.capped {
		x.addRule(rs.cite.cap, "step.cap", integer(rs.capYears), date(r.from))
	}
	if r.cut > r.from {
		x.add("step.pad", date(e.p.pad))
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
		x.addRule(periodCite(o.ly, j, q), "step.period", integer(q.idx+1), text(kindName(q.kind, x.l)), date(q.from),
			date(q.to), text(treatNames[x.l][o.ly.treat[j]]), number(credits[j]))
	}
	if others > 0 {
		x.add("step.others", integer(others))
	}
}

// periodCite is the message id of the rule behind what period q (engine
// index j) does in layer ly.
func periodCite(ly *layer, j int, q *pperiod) string {
	switch {
	case q.abroad && ly.treat[j] == tCredit:
		return ly.rs.cite.abroad
	case q.abroad:
		return ly.rs.cite.abroadExtend
	}
	return ly.rs.citeOf(q.kind, ly.treat[j])
}

// explainEnd says why the end date is that day, and how C follows (§4, §8).
func (e *engine) explainEnd(x *explainer, o *outcome) {
	E, C := e.evals[o.k], e.claim(o.k)
	claimRule := "step.claimdays.monsat"
	if e.p.monFri {
		claimRule = "step.claimdays.monfri"
	}
	if o.reason == "enough_days" {
		x.add("step.enough", date(C))
		x.add(claimRule)
		return
	}
	x.add("step.contract", date(e.p.start), date(E), integer(o.k))
	pr := &o.prev
	if o.k == 1 {
		x.add("step.end.first", date(E), number(pr.x), number(pr.opt.days))
	} else {
		x.add("step.end", date(E), date(e.evals[o.k-1]), number(pr.x), number(pr.opt.days))
	}
	x.add("step.claim", date(C))
	x.add(claimRule)
}

// optionLine says how one option (label: its label) fared at the candidate
// where the scan stopped.
func (e *engine) optionLine(x *explainer, o *outcome, opt *option, label string) {
	E, C := e.evals[o.k], e.claim(o.k)
	cy, cm, cd := civil(C)
	var r evalOut
	e.evalOption(&r, o.ly, opt, E, C, cy, cm, cd, false)
	x.buf = appendMsg(x.buf, x.l, "step.option", text(label), date(r.from), date(C-1), number(r.x), number(opt.days))
	if opt.p != nil && atLeast(r.x, opt.days) {
		x.buf = appendMsg(append(x.buf, ' '), x.l, "step.option.p", number(r.p), number(opt.pNeeded(r.x)))
	}
	x.buf = append(x.buf, ' ')
	if r.ok {
		x.add("verdict.yes")
	} else {
		x.add("verdict.no")
	}
}

// warnings lists what the user should know about the input (RULES.md
// §12.18): first those about the whole case, then per period in input
// order. They never change a figure.
func (e *engine) warnings(o *outcome, l lang) []string {
	rs := o.ly.rs
	out := []string{}
	if e.p.partTime {
		out = append(out, tr(l, "warn.parttime"))
	}
	// art. 42 is looked at once, under the rule set of C0 (§12.5)
	if rs0 := &ruleSets[ruleSetFor(e.claim(0))]; e.p.hasLBD && !rs0.art42 {
		out = append(out, tr(l, "warn.lbd_ignored", tr(l, rs0.nameMsg)))
		if !e.p.hasPAD && rs.previousAdmission {
			out = append(out, tr(l, "warn.pad_missing"))
		}
	}
	if e.p.hasPAD && !rs.previousAdmission {
		out = append(out, tr(l, "warn.pad_ignored", tr(l, rs.nameMsg)))
	}
	for _, j := range e.inputOrder() {
		out = e.periodWarnings(out, o.ly, j, l)
	}
	return out
}

// periodWarnings appends the warnings about period j (engine index).
func (e *engine) periodWarnings(out []string, ly *layer, j int, l lang) []string {
	rs, q := ly.rs, &e.periods[j]
	r := &rs.kinds[q.kind]
	warn := func(id string, args ...string) { // a warning about the period, named by its number
		out = append(out, tr(l, id, append([]string{periodNo(q)}, args...)...))
	}
	switch ly.why[j] {
	case whyShort:
		warn("warn.short", kindName(q.kind, l), strconv.Itoa(r.minMonths), tr(l, rs.nameMsg))
	case whyChildOld:
		warn("warn.child.old", strconv.Itoa(childAge(r, q)), displayDate(e.extendEnd(rs, q)+1), tr(l, rs.nameMsg))
	case whyChildShort:
		warn("warn.child.short", strconv.Itoa(childAge(r, q)), displayDate(e.extendEnd(rs, q)+1),
			strconv.Itoa(r.minMonths), tr(l, rs.nameMsg))
	}
	switch {
	case r.age > 0 && !q.hasChild:
		warn("warn.child.nobirth", strconv.Itoa(childAge(r, q)))
	case q.kind == kUnemploymentBenefits && rs.art42 && ly.treat[j] == tNone:
		warn("warn.benefits", tr(l, rs.nameMsg))
	case q.kind == kUnpaidLeave && rs.kinds[kForceMajeure].t != tNone && e.uncredited(ly, j):
		warn("warn.unpaid")
	case q.abroad && !q.conv:
		warn("warn.abroad.noconv", codeOf(int(q.cc)))
	case q.abroad && ly.treat[j] == tExtend:
		warn("warn.abroad.employment", codeOf(int(q.cc)), strconv.Itoa(int(q.months)), strconv.Itoa(rs.abroadMaxMonths/12))
	}
	if q.abroad && someNationalities.hasIndex(int(q.cc)) {
		warn("warn.abroad.nationality", codeOf(int(q.cc)))
	}
	if q.noSched {
		warn("warn.nosched")
	}
	return out
}

// childAge is the birthday before which child raising extends (§12.19).
func childAge(r *kindRule, q *pperiod) int {
	if q.disabled {
		return r.ageDisabled
	}
	return r.age
}

// uncredited reports whether some scheduled day of period j gives no
// credit of its own in layer ly (unpaid leave beyond its first days, §12.8).
func (e *engine) uncredited(ly *layer, j int) bool {
	q := &e.periods[j]
	a, b := e.clip(q.from, q.to)
	for i := a; i <= b; i++ {
		if q.sched&(1<<(i%7)) != 0 && (ly.treat[j] != tCredit || !ly.ownCredit(q, i)) {
			return true
		}
	}
	return false
}
