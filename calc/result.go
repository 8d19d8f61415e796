package calc

import "slices"

// result assembles the Result of RULES.md §7 and §12.16 for an outcome.
func (e *engine) result(o *outcome, c *Case, l lang) *Result {
	E, C := e.evals[o.k], e.claim(o.k)
	rs := o.ly.rs
	res := &Result{
		RuleSet:           RuleSetRef{ID: rs.id, Name: tr(l, rs.nameMsg), Source: rs.source},
		AlreadyAdmissible: o.reason != "",
		Reason:            o.reason,
		AgeAtClaim:        o.age,
		ClaimDate:         isoDate(C),
		Periods:           make([]PeriodResult, len(c.Periods)),
		Steps:             []string{},
		Warnings:          []string{},
	}
	var credits []float64 // nil for art. 42: nothing is counted
	if o.reason != "readmission_art42" {
		e.fillWindow(res, o, l)
		credits = e.periodCredits(o)
	}
	if o.reason == "" {
		end := isoDate(E)
		res.ContractEnd = &end
		res.ContractScheduledDays = o.k
	}
	for j := range e.periods {
		q := &e.periods[j]
		res.Periods[q.idx] = PeriodResult{Index: q.idx, Treatment: o.ly.treat[j].String()}
		if credits != nil {
			res.Periods[q.idx].CreditInWindow = round2(credits[j])
		}
	}
	res.Warnings = e.warnings(o, l)
	res.Steps = e.steps(o, res, credits, l)
	res.Timeline = e.timeline(o)
	return res
}

// fillWindow sets the option, the window and the credits (§12.16).
func (e *engine) fillWindow(res *Result, o *outcome, l lang) {
	E, C := e.evals[o.k], e.claim(o.k)
	r := &o.r
	res.Option = optionLabel(r.opt, l)
	res.OptionID = r.opt.id
	res.RequiredDays = r.opt.days
	res.ReferenceMonths = r.opt.months
	res.Window = &Window{From: isoDate(r.from), To: isoDate(C - 1), ExtensionDays: r.s0 - r.from}
	start := e.p.start
	pre := &o.ly.main.full
	res.CreditedBeforeContract = round2(pre.sum(r.cut-e.lo, start-1-e.lo))
	if E >= start {
		res.ContractCredit = round2(pre.sum(max(r.cut, start)-e.lo, E-e.lo))
	}
	res.WindowCredit = round2(r.x)
}

// cappedDays returns the capped credit of every day of [a, c−1] (indexes)
// when the contract ends on e, as sumWindow counts them.
func (e *engine) cappedDays(z *zone, a, ei, c int) []float64 {
	out := e.a.floats(max(c-a, 0), false)
	z.full.days(out[:max(min(ei, c-1)-a+1, 0)], a)
	if ei+1 > c-1 {
		return out
	}
	sofar := 0.0
	if ws := (ei + 1) - (ei+1)%7; ws <= ei {
		sofar = z.full.sum(ws, ei)
	}
	raw := z.noContract
	for i := ei + 1; i <= c-1; i++ {
		if i%7 == 0 {
			sofar = 0
		}
		v := capDay(raw(i), sofar)
		sofar += v
		if i >= a {
			out[i-a] = v
		}
	}
	return out
}

// periodCredits splits the capped credit of every window day among its
// sources in proportion to their credit (§12.16): on a day under non-work
// periods, the period(s) giving the largest credit; otherwise the counting
// work periods and the contract.
func (e *engine) periodCredits(o *outcome) []float64 {
	out := make([]float64, len(e.periods))
	ly := o.ly
	E, C := e.evals[o.k]-e.lo, e.claim(o.k)-e.lo
	a := max(o.r.cut-e.lo, 0)
	if a > C-1 {
		return out
	}
	z := ly.main
	capped := e.cappedDays(z, a, E, C)
	ties := e.ties(ly)
	for j := range e.periods {
		q := &e.periods[j]
		if ly.treat[j] != tCredit || q.v <= 0 {
			continue
		}
		from, to := e.clip(q.from, q.to)
		from, to = max(from, a), min(to, C-1)
		for i := from; i <= to; i++ {
			if q.sched&(1<<(i%7)) == 0 || capped[i-a] == 0 {
				continue
			}
			switch {
			case q.kind == kWork && !z.nw[i-z.first]:
				total := z.workAt(i)
				if i <= E {
					total += e.contractDay(i)
				}
				out[j] += q.v / total * capped[i-a]
			case q.kind != kWork && z.nw[i-z.first] && ly.ownCredit(q, i) && q.v == z.evAt(i):
				out[j] += capped[i-a] / float64(ties[i-z.first])
			}
		}
	}
	return out
}

// ties counts, per day, the credit-treated non-work periods that give the
// day's (largest) credit, to split it among them.
func (e *engine) ties(ly *layer) []int32 {
	z := ly.main
	if z.ev == nil {
		return nil
	}
	t := e.a.int32s(len(z.ev))
	for j := range e.periods {
		q := &e.periods[j]
		if ly.treat[j] != tCredit || q.kind == kWork {
			continue
		}
		a, b := e.clip(q.from, q.to)
		for i := max(a, z.first); i <= b; i++ {
			if ly.ownCredit(q, i) && q.v == z.evAt(i) {
				t[i-z.first]++
			}
		}
	}
	return t
}

// inputOrder returns the engine's period indexes in input order.
func (e *engine) inputOrder() []int {
	if e.order == nil {
		e.order = e.a.ints(len(e.periods))
		for j := range e.periods {
			e.order[e.periods[j].idx] = j
		}
	}
	return e.order
}

// timeline lists what a UI draws (see TimelineSpan). Its dates are printed
// into one string that the spans share: a span is one allocation less.
func (e *engine) timeline(o *outcome) Timeline {
	E, C := e.evals[o.k], e.claim(o.k)
	var tb timelineBuilder
	from := e.s42 // art. 42: the 3 years before C0, extended (§12.5)
	if o.reason != "readmission_art42" {
		r := &o.r
		from = r.from
		tb.add(TimelineSpan{Role: "window"}, r.from, C-1)
		if r.s0 > r.from {
			tb.add(TimelineSpan{Role: "extension"}, r.from, r.s0-1)
		}
		if r.opt.p != nil {
			pf := addMonths(r.from, -120)
			from = pf
			tb.add(TimelineSpan{Role: "reference10"}, pf, r.from-1)
		}
	}
	from = min(from, e.p.start)
	if E >= e.p.start {
		tb.add(TimelineSpan{Role: "contract"}, e.p.start, E)
	}
	order := e.inputOrder()
	n := 0
	for _, j := range order {
		if q := &e.periods[j]; max(q.from, from) <= min(q.to, C) {
			n++
		}
	}
	tb.grow(n + 2)
	for _, j := range order {
		q := &e.periods[j]
		a, b := max(q.from, from), min(q.to, C)
		if a > b {
			continue
		}
		tb.add(TimelineSpan{Role: "period", Index: q.idx, Kind: kindIDs[q.kind], Treatment: o.ly.treat[j].String()}, a, b)
	}
	if E >= e.p.start {
		tb.add(TimelineSpan{Role: "end"}, E, E)
	}
	tb.add(TimelineSpan{Role: "claim"}, C, C)
	tb.add(TimelineSpan{}, from, C) // the timeline's own bounds, taken off below
	spans := tb.done()
	last := spans[len(spans)-1]
	return Timeline{From: last.From, To: last.To, Spans: spans[:len(spans)-1]}
}

// timelineBuilder collects spans and prints all their dates into one string.
type timelineBuilder struct {
	spans []TimelineSpan
	days  []int // from, to of each span
}

func (tb *timelineBuilder) grow(n int) {
	tb.spans = slices.Grow(tb.spans, n)
	tb.days = slices.Grow(tb.days, 2*n)
}

func (tb *timelineBuilder) add(s TimelineSpan, from, to int) {
	tb.spans = append(tb.spans, s)
	tb.days = append(tb.days, from, to)
}

func (tb *timelineBuilder) done() []TimelineSpan {
	buf := make([]byte, 0, 10*len(tb.days))
	ends := make([]int, len(tb.days))
	for i, z := range tb.days {
		buf = appendISODate(buf, z)
		ends[i] = len(buf)
	}
	all, start := string(buf), 0
	for i := range tb.spans {
		tb.spans[i].From, tb.spans[i].To = all[start:ends[2*i]], all[ends[2*i]:ends[2*i+1]]
		start = ends[2*i+1]
	}
	return tb.spans
}
