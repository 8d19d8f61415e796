package calc

import "math"

// Solve validates the case and finds the first contract end date E at which
// the person is admissible (RULES.md §8). The error is a *ValidationError or
// an *UnreachableError. Steps, warnings and messages are in lang (fr, nl, de,
// en; anything else gives English). The case is not modified.
func Solve(c *Case, lang string) (*Result, error) {
	l := langOf(lang)
	a := getArena()
	defer putArena(a)
	p, errs := c.prepareIn(l, a)
	if len(errs) > 0 {
		return nil, &ValidationError{Fields: errs}
	}
	months := horizonMonths
	if !fullHorizon && p.lastDay() < addMonths(p.start, firstHorizonMonths) {
		months = firstHorizonMonths
	}
	e := newEngine(p, a, months)
	o, unreachable := e.solve(l)
	if o == nil && unreachable == nil { // nothing holds in the first years
		e = newEngine(p, a, horizonMonths)
		o, unreachable = e.solve(l)
	}
	if unreachable != nil {
		return nil, unreachable
	}
	return e.result(o, c, l), nil
}

// lastDay is the last day of the periods (start − 1 without any). The first
// scan of Solve needs every period inside its days: a period's treatment
// can depend on all its days (unpaid leave, §12.8), not only those scanned.
func (p *prepared) lastDay() int {
	last := p.start - 1
	for i := range p.periods {
		last = max(last, p.periods[i].to)
	}
	return last
}

// maxOptions bounds the options of an age row (a test checks the table).
const maxOptions = 8

// outcome is where the scan stopped.
type outcome struct {
	k      int // evaluation index: 0 is E = start − 1
	reason string
	ly     *layer
	age    int
	r      evalOut // the option that held (zero for art. 42)
	prev   evalOut // best main option at the previous evaluation point
}

// solve scans E = start − 1 and then every candidate in date order and stops
// at the first one where an option holds (§8). When none holds before
// start + e.months, short of the whole horizon, it returns nil, nil. The window is recomputed for
// every candidate: it slides with E (V3b), so "required − credit at start"
// is never used.
func (e *engine) solve(l lang) (*outcome, *UnreachableError) {
	var r, prev, best, kBest evalOut
	bestK, bestShort := -1, math.Inf(1)
	ph := 0
	var cl calendar
	var wins [maxOptions]evalOut // windows computed for a candidate, one per length
	for k, E := range e.evals {
		C := e.claim(k)
		for ph+1 < len(e.phases) && e.phases[ph+1] <= k {
			ph++
		}
		ly := e.layer(ruleSetFor(C), ph)
		cl.moveTo(C, e.p)
		if k == 0 && ly.rs.art42 && e.p.hasLBD {
			var ok bool
			if e.s42, ok = e.art42(ly, C, cl.y, cl.m, cl.d); ok {
				return &outcome{reason: "readmission_art42", ly: ly, age: cl.age}, nil
			}
		}
		opts := ly.rs.optionsFor(cl.age)
		short := math.Inf(1)
		nw := 0
		for j := range opts {
			same := false // options of equal months share the window
			for w := 0; w < nw && !same; w++ {
				if same = wins[w].opt.months == opts[j].months; same {
					r = wins[w]
				}
			}
			e.evalOption(&r, ly, &opts[j], E, C, cl.y, cl.m, cl.d, same)
			if !same && nw < maxOptions {
				wins[nw], nw = r, nw+1
			}
			if r.ok {
				o := &outcome{k: k, ly: ly, age: cl.age, r: r, prev: prev}
				if k == 0 {
					o.reason = "enough_days"
				}
				return o, nil
			}
			if opts[j].p == nil && opts[j].days-r.x < short {
				short, kBest = opts[j].days-r.x, r
			}
		}
		if k > 0 && short < bestShort-eps {
			best, bestK, bestShort = kBest, k, short
		}
		prev = kBest
	}
	if e.months < horizonMonths {
		return nil, nil
	}
	last := e.evals[len(e.evals)-1]
	u := &UnreachableError{Horizon: isoDate(last)}
	if bestK > 0 {
		u.BestCredit = round2(best.x)
		u.BestRequiredDays = best.opt.days
		u.BestContractEnd = isoDate(e.evals[bestK])
	}
	u.Message = tr(l, "err.unreachable", displayDate(last), formatNumber(u.BestCredit, l),
		formatNumber(u.BestRequiredDays, l), displayDate(e.evals[max(bestK, 0)]))
	return nil, u
}

// calendar follows the claim date of the scan, which only moves forward:
// its year, month, day and the person's age, updated day by day rather than
// recomputed for every candidate.
type calendar struct {
	z, y, m, d int
	age        int
	birthday   int // the next birthday (age + 1)
	started    bool
}

func (cl *calendar) moveTo(c int, p *prepared) {
	if !cl.started || c < cl.z || c-cl.z > 31 {
		cl.z, cl.started = c, true
		cl.y, cl.m, cl.d = civil(c)
		cl.age = ageAt(p.by, p.bm, p.bd, c)
		cl.birthday = birthdayAt(p.bm, p.bd, p.by+cl.age+1)
		return
	}
	for cl.z < c {
		cl.z++
		if cl.d++; cl.d > daysIn(cl.y, cl.m) {
			cl.d = 1
			if cl.m++; cl.m > 12 {
				cl.m, cl.y = 1, cl.y+1
			}
		}
	}
	for c >= cl.birthday {
		cl.age++
		cl.birthday = birthdayAt(p.bm, p.bd, p.by+cl.age+1)
	}
}

// birthdayAt is the day of the birthday in year y (29 February: 1 March in
// non-leap years, §2.1).
func birthdayAt(m, d, y int) int {
	if m == 2 && d == 29 && !isLeap(y) {
		m, d = 3, 1
	}
	return daysFromCivil(y, m, d)
}

// art42Months: readmission without stage looks at the 3 years before C0.
const art42Months = 36

// art42 reports readmission without stage (AR art. 42, RULES.md §2.2,
// §12.5), checked once, for C0 (cy-cm-cd) under a rule set that has it:
// S42 ≤ lastBenefitDate ≤ C0 − 1, where S42 is C0 − 3 years extended like
// a window (leaflet T39) by the extend-treated periods of ly, the layer of
// E = start − 1, without cap. It returns S42 too.
func (e *engine) art42(ly *layer, c0, cy, cm, cd int) (int, bool) {
	s42 := e.extendStart(ly, addMonthsCivil(cy, cm, cd, -art42Months), c0)
	return s42, e.p.lbd <= c0-1 && e.p.lbd >= s42
}
