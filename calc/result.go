package calc

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
	for i := a; i <= min(ei, c-1); i++ {
		out[i-a] = z.full.sum(i, i)
	}
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

// timeline lists what a UI draws (see TimelineSpan).
func (e *engine) timeline(o *outcome) Timeline {
	E, C := e.evals[o.k], e.claim(o.k)
	var spans []TimelineSpan
	from := e.s42 // art. 42: the 3 years before C0, extended (§12.5)
	if o.reason != "readmission_art42" {
		r := &o.r
		from = r.from
		spans = append(spans, TimelineSpan{Role: "window", From: isoDate(r.from), To: isoDate(C - 1)})
		if r.s0 > r.from {
			spans = append(spans, TimelineSpan{Role: "extension", From: isoDate(r.from), To: isoDate(r.s0 - 1)})
		}
		if r.opt.p != nil {
			pf := addMonths(r.from, -120)
			from = pf
			spans = append(spans, TimelineSpan{Role: "reference10", From: isoDate(pf), To: isoDate(r.from - 1)})
		}
	}
	from = min(from, e.p.start)
	if E >= e.p.start {
		spans = append(spans, TimelineSpan{Role: "contract", From: isoDate(e.p.start), To: isoDate(E)})
	}
	for _, j := range e.inputOrder() {
		q := &e.periods[j]
		a, b := max(q.from, from), min(q.to, C)
		if a > b {
			continue
		}
		spans = append(spans, TimelineSpan{Role: "period", From: isoDate(a), To: isoDate(b),
			Index: q.idx, Kind: kindIDs[q.kind], Treatment: o.ly.treat[j].String()})
	}
	if E >= e.p.start {
		spans = append(spans, TimelineSpan{Role: "end", From: isoDate(E), To: isoDate(E)})
	}
	spans = append(spans, TimelineSpan{Role: "claim", From: isoDate(C), To: isoDate(C)})
	return Timeline{From: isoDate(from), To: isoDate(C), Spans: spans}
}
