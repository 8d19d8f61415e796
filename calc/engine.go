package calc

import (
	"math"
	"slices"
)

// The engine turns a prepared case into per-day arrays over one day range
// [lo, lo+n) that starts on a Monday, so that index i has weekday i%7 and
// weeks are [7w, 7w+6]. Everything the solver asks for a candidate E is then
// a prefix-sum difference (credit, extension days) plus a short loop over the
// few days between E and C.
//
// Arrays that depend on the rule set (the treatment of each kind, §12.13) or
// on which work abroad counts (§12.11, which only changes at a few candidates)
// live in a layer, built lazily: most cases need one layer, a contract
// straddling 1 March 2026 two.

// horizonMonths: candidates run up to the day before start + 6 years (§12.14).
const horizonMonths = 72

// firstHorizonMonths: when every period ends within the contract's first 2
// years, Solve first scans the candidates of those years, where nearly every
// case ends, with day arrays that stop there; only when none holds does it
// scan the whole horizon again. Every array and bound of the engine is the
// same over the days both scans see (engine.reaches bounds the windows of
// the claims scanned), so the result is the same (a test solves generated
// cases both ways).
const firstHorizonMonths = 24

// fullHorizon makes Solve scan the whole horizon at once (tests).
var fullHorizon = false

type engine struct {
	a       *arena
	p       *prepared
	periods []pperiod // sorted canonically: the result never depends on input order
	lo, n   int
	startI  int        // index of the contract start
	zlo     int        // first index any layer's zone can start at: nw and beWork begin there
	nw      []bool     // nw[i−zlo]: a non-work period covers day i (§12.9)
	beWork  []float64  // beWork[i−zlo]: summed credit of the Belgian work periods on day i
	nwRuns  []interval // the days (indexes) non-work periods cover, as runs
	beRuns  []interval // the days Belgian work covers, as runs, when work abroad waits for it (§12.11)
	beAcc   []int      // beAcc[j]: days of beRuns[:j]
	evals   []int      // evaluation points: E = start − 1, then every candidate E (§8, §12.14)
	claims  []int      // C of each evaluation point (§4)
	reach   []int      // per rule set: earliest day its windows can reach; never if unused
	pReach  []int      // per rule set: earliest day its P can reach (== reach without P)
	ea      []int      // per period: first evaluation index from which its work abroad counts
	phases  []int      // evaluation indexes where the set of counting abroad work changes
	layers  [][]*layer
	months  int   // the candidates scanned run up to the day before start + months
	order   []int // engine indexes in input order, once asked (inputOrder)
	s42     int   // art. 42: start of the extended 3 years before C0, once checked (§12.5)
}

const never = math.MaxInt

func newEngine(p *prepared, a *arena, months int) *engine {
	e := &engine{a: a, p: p, periods: sortPeriods(p.periods, a), months: months}
	e.candidates()
	e.reaches()
	e.dayRange()
	e.paintStatic()
	e.abroadPhases()
	e.layers = make([][]*layer, len(ruleSets))
	for i := range e.layers {
		e.layers[i] = make([]*layer, len(e.phases))
	}
	return e
}

// sortPeriods returns the periods ordered by everything the engine uses,
// so that two orders of the same input give bit-identical sums: first by
// the bits of periodKey (sorted with the input index below them as plain
// integers, much faster than through a comparison function), then the rare
// periods equal in all of them by credit, schedule and input order.
func sortPeriods(in []pperiod, a *arena) []pperiod {
	keys := take(&a.u, len(in), false)
	for i := range in {
		keys[i] = periodKey(&in[i])<<idxBits | uint64(i)
	}
	slices.Sort(keys)
	out := take(&a.p, len(in), false)
	for i, k := range keys {
		out[i] = in[k&(1<<idxBits-1)]
	}
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && keys[j]>>idxBits == keys[i]>>idxBits {
			j++
		}
		for x := i + 1; x < j; x++ { // insertion: stable, so input order stays last
			for y := x; y > i && tieLess(&out[y], &out[y-1]); y-- {
				out[y], out[y-1] = out[y-1], out[y]
			}
		}
		i = j
	}
	return out
}

// idxBits holds a period's input index (fewer than maxPeriods) in a sort key.
const idxBits = 17

// periodKey packs from, to, kind, days a week, 6 months, frontier, abroad and
// convention, in that order of significance, into 47 bits: the dates lie
// within the 73,414 days of the input bounds (< 2¹⁷), kind < 2⁵, days a week
// < 2⁴.
func periodKey(q *pperiod) uint64 {
	return uint64(q.from-minInputDay)<<30 | uint64(q.to-minInputDay)<<13 | uint64(q.kind)<<8 |
		uint64(q.dpw)<<4 | uint64(b2i(q.months == 6))<<3 | uint64(b2i(q.frontier))<<2 |
		uint64(b2i(q.abroad))<<1 | uint64(b2i(q.conv))
}

// tieLess orders periods of equal periodKey by credit, then schedule.
func tieLess(a, b *pperiod) bool {
	if a.v != b.v {
		return a.v < b.v
	}
	return a.sched < b.sched
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// candidates lists E = start − 1 and the contract's scheduled days up to the
// day before start + e.months, holidays included, with their claim dates.
func (e *engine) candidates() {
	p := e.p
	end := addMonths(p.start, e.months) - 1
	e.evals = e.a.ints(countSched(p.start, end, p.csched) + 1)[:0]
	e.evals = append(e.evals, p.start-1)
	w := weekday(p.start)
	for z := p.start; z <= end; z++ {
		if p.csched&(1<<w) != 0 {
			e.evals = append(e.evals, z)
		}
		if w++; w == 7 {
			w = 0
		}
	}
	e.claims = e.a.ints(len(e.evals))
	clear(e.claims)
}

// claim returns C for evaluation index k, computed once. 0 means "not yet":
// day 0 is 1 January 1970, a legal holiday, never a claim date.
func (e *engine) claim(k int) int {
	if c := e.claims[k]; c != 0 {
		return c
	}
	c := claimAfter(e.evals[k], e.p.monFri)
	e.claims[k] = c
	return c
}

// reaches computes, for every rule set that serves some claim date of the
// scan, the earliest day any of its windows (with extension) or P can
// reach, so that the per-day arrays need not go further back.
//
// For a claim date C served by rule set rs and an option of M months, the
// window start s satisfies s = S0 − |U ∩ [s, C−1]| with S0 ≥ B =
// (first C of rs) − (longest M of rs), U ⊆ V (the periods that may extend
// under rs) and C ≤ L (last C of rs); hence G(s) = s − B + |V ∩ [s, L−1]| ≥ 0.
// G never decreases with s, so s is at least the smallest s with G(s) ≥ 0.
func (e *engine) reaches() {
	e.reach = make([]int, len(ruleSets))
	e.pReach = make([]int, len(ruleSets))
	for r := range ruleSets {
		rs := &ruleSets[r]
		k0, _ := searchFirst(len(e.evals), func(k int) bool { return e.claim(k) >= rs.validFrom })
		k1, _ := searchFirst(len(e.evals), func(k int) bool { return e.claim(k) > rs.validTo })
		if k0 >= k1 {
			e.reach[r], e.pReach[r] = never, never
			continue
		}
		cmin, cmax := e.claim(k0), e.claim(k1-1)
		months, needP := 0, false
		amin, amax := e.age(cmin), e.age(cmax)
		for _, row := range rs.rows {
			if row.maxAge < amin || row.minAge > amax {
				continue
			}
			for _, o := range row.options {
				months = max(months, o.months)
				needP = needP || o.p != nil
			}
		}
		if rs.art42 {
			months = max(months, art42Months) // its 3 years are extended like a window (§12.5)
		}
		s := reachBack(e.mayExtend(rs), addMonths(cmin, -months), cmax)
		if rs.capYears > 0 {
			s = max(s, addMonths(cmin, -12*rs.capYears))
		}
		e.reach[r], e.pReach[r] = s, s
		if needP {
			e.pReach[r] = addMonths(s, -120)
		}
	}
}

func (e *engine) age(c int) int { return ageAt(e.p.by, e.p.bm, e.p.bd, c) }

type interval struct{ from, to int }

// mayExtend returns the merged day intervals of the periods that may
// extend under rs (before minimum and maximum durations, which only shrink U).
func (e *engine) mayExtend(rs *ruleSet) []interval {
	var iv []interval
	for i := range e.periods { // sorted by from
		q := &e.periods[i]
		if !q.abroad && rs.kinds[q.kind].t != tExtend {
			continue
		}
		if n := len(iv); n > 0 && q.from <= iv[n-1].to+1 {
			iv[n-1].to = max(iv[n-1].to, q.to)
		} else {
			iv = append(iv, interval{q.from, q.to})
		}
	}
	return iv
}

// reachBack returns the smallest s with s − b + |U ∩ [s, c−1]| ≥ 0, U being
// the union of the sorted disjoint intervals iv: walking back from b, days
// of U are free and every other day spends one of the |U ∩ [b, c−1]| days.
func reachBack(iv []interval, b, c int) int {
	k, j := 0, -1
	for i, x := range iv {
		if x.from < b {
			j = i
		}
		k += max(0, min(x.to, c-1)-max(x.from, b)+1)
	}
	s := b
	for ; j >= 0; j-- {
		gap := s - 1 - min(iv[j].to, s-1)
		if gap > k {
			break
		}
		k -= gap
		s = iv[j].from
	}
	return s - k
}

// dayRange picks the day range [lo, hi]: back to the earliest reach of the
// rule sets in use, the contract start, and the periods whose treatment
// depends on days before them (unpaid leave counts days per calendar year,
// §12.8; work abroad looks at the Belgian work after it, §12.11); up to the
// last claim date. lo is moved back to the Monday on or before 1 January of
// its year, so that calendar years and weeks (§12.10) are whole.
func (e *engine) dayRange() {
	lo := never
	for _, r := range e.pReach {
		lo = min(lo, r)
	}
	if len(e.periods) > 0 {
		lo = max(lo, e.periods[0].from) // sorted by from: no data before
	} else {
		lo = e.p.start - 1
	}
	lo = min(lo, e.p.start-1)
	for i := range e.periods {
		switch q := &e.periods[i]; {
		case q.conv:
			lo = min(lo, q.to+1)
		case q.kind == kUnpaidLeave:
			lo = min(lo, q.from)
		}
	}
	y, _, _ := civil(lo)
	lo = daysFromCivil(y, 1, 1)
	lo -= weekday(lo)
	hi := e.claim(len(e.evals)-1) + 1
	e.lo, e.n = lo, hi-lo+1
	e.startI = e.p.start - lo
	e.zlo = e.n
	for _, r := range e.pReach {
		if r != never {
			e.zlo = min(e.zlo, monday(max(r-lo, 0)))
		}
	}
	if fullRange {
		e.zlo = 0
	}
}

// clip returns the index range of a period inside the day range.
func (e *engine) clip(from, to int) (int, int) {
	return max(from-e.lo, 0), min(to-e.lo, e.n-1)
}

// paintStatic builds what no rule set changes: which days a non-work period
// covers, the credit of Belgian work and, when some work abroad waits for
// Belgian employment after it (§12.11, the only reader), the runs of days
// Belgian work covers. Runs (merged intervals of the sorted periods) cost
// per period, not per day of the range.
func (e *engine) paintStatic() {
	waits := false
	for i := range e.periods {
		if q := &e.periods[i]; q.conv && !q.frontier {
			waits = true
			break
		}
	}
	e.beWork = e.a.floats(e.n-e.zlo, true)
	e.nwRuns = take(&e.a.iv, len(e.periods), false)[:0]
	if waits {
		e.beRuns = take(&e.a.iv, len(e.periods), false)[:0]
	}
	for i := range e.periods {
		q := &e.periods[i]
		a, b := e.clip(q.from, q.to)
		if a > b {
			continue
		}
		switch {
		case q.kind != kWork:
			e.nwRuns = addRun(e.nwRuns, a, b)
		case !q.abroad:
			if a, b := max(a, e.zlo)-e.zlo, b-e.zlo; a <= b {
				paintAdd(e.beWork, a, b, q.sched, q.v) // zlo is a Monday
			}
			if waits {
				e.beRuns = addRun(e.beRuns, a, b)
			}
		}
	}
	e.nw = e.a.bools(e.n - e.zlo)
	for _, r := range e.nwRuns {
		for i := max(r.from, e.zlo); i <= r.to; i++ {
			e.nw[i-e.zlo] = true
		}
	}
	if !waits {
		return
	}
	e.beAcc = e.a.ints(len(e.beRuns) + 1)
	e.beAcc[0] = 0
	for j, r := range e.beRuns {
		e.beAcc[j+1] = e.beAcc[j] + r.to - r.from + 1
	}
}

// addRun adds the days [a, b] to runs, sorted disjoint intervals; a is not
// before the start of the last run (the periods are sorted by from).
func addRun(runs []interval, a, b int) []interval {
	if n := len(runs); n > 0 && a <= runs[n-1].to+1 {
		runs[n-1].to = max(runs[n-1].to, b)
		return runs
	}
	return append(runs, interval{a, b})
}

// paintAdd adds v to the scheduled days of [a, b] of arr, whose index 0 is
// a Monday.
func paintAdd(arr []float64, a, b int, sched uint8, v float64) {
	w := a % 7 // i's weekday, without a division per day
	for i := a; i <= b; i++ {
		if sched&(1<<w) != 0 {
			arr[i] += v
		}
		if w++; w == 7 {
			w = 0
		}
	}
}

// contractDay is the contract's credit on index i when the contract runs on it.
func (e *engine) contractDay(i int) float64 {
	if i >= e.startI && e.p.csched&(1<<(i%7)) != 0 {
		return e.p.cv
	}
	return 0
}

// sumWindow returns the capped credit of the days [a, c−1] when the contract
// ends on e (all indexes): days up to e come from pre (which has the contract
// on every day), the few days after e are capped here without the contract,
// continuing the week of e. raw gives the credit of a day without the contract.
func sumWindow(pre *prefix, a, e, c int, raw func(i int) float64) float64 {
	s := 0.0
	if a <= e {
		s = pre.sum(a, e)
	}
	if e+1 > c-1 {
		return s
	}
	sofar := 0.0
	if ws := (e + 1) - (e+1)%7; ws <= e {
		sofar = pre.sum(ws, e)
	}
	for i := e + 1; i <= c-1; i++ {
		if i%7 == 0 {
			sofar = 0
		}
		v := capDay(raw(i), sofar)
		sofar += v
		if i >= a {
			s += v
		}
	}
	return s
}

// abroadPhases finds, for each work abroad in a convention country, the
// first evaluation point from which it counts (§12.11): a frontier worker's
// from the first, the others from the first candidate at which the Belgian
// salaried employment after them lasts their 3 or 6 months (employed, which
// only grows with the candidate, so a binary search finds it).
func (e *engine) abroadPhases() {
	e.ea = make([]int, len(e.periods))
	e.phases = []int{0}
	for j := range e.periods {
		e.ea[j] = never
		switch q := &e.periods[j]; {
		case !q.conv:
		case q.frontier:
			e.ea[j] = 0
		default:
			if k, ok := searchFirst(len(e.evals), func(k int) bool { return e.employed(q, k) }); ok {
				e.ea[j] = k
				e.phases = append(e.phases, k)
			}
		}
	}
	slices.Sort(e.phases)
	e.phases = slices.Compact(e.phases)
}

// employed reports whether work abroad q, last day A, is followed by its
// months n of Belgian salaried employment for evaluation point k (AR art. 37
// § 2, RULES.md §12.11): the calendar days d with A < d < C inside a Belgian
// work period or inside [contract.start, E], each once (weekends and days
// under other periods included), number at least the days of
// [F, F + n months − 1 day], F being the first of them.
//
// It never turns false again as k grows: from k = 1 on, F is the first
// Belgian work day after A or the first contract day after A, whichever
// comes first, and the days only grow; F can move earlier than at k = 0
// only when it lay in [contract.start, C0), which leaves C0 − F < 5 days,
// too few for 3 months.
func (e *engine) employed(q *pperiod, k int) bool {
	a := q.to + 1 - e.lo // first day after the job; dayRange keeps it in range
	E, C := e.evals[k]-e.lo, e.claim(k)-e.lo
	n, first := e.beDays(a, C-1), never
	if n > 0 {
		first = e.nextBE(a)
	}
	if s := max(a, e.startI); s <= E {
		n += E - s + 1 - e.beDays(s, E) // contract days not already inside Belgian work
		first = min(first, s)
	}
	if n == 0 {
		return false
	}
	f := first + e.lo
	return n >= addMonths(f, int(q.months))-f
}

// beDays counts the days of [a, b] (indexes) inside a Belgian work period.
func (e *engine) beDays(a, b int) int {
	if a > b {
		return 0
	}
	return e.beBefore(b+1) - e.beBefore(a)
}

// beBefore counts the days before index x inside a Belgian work period.
func (e *engine) beBefore(x int) int {
	lo, hi := 0, len(e.beRuns) // the runs before lo start before x, those from hi on do not
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); e.beRuns[m].from < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return 0
	}
	return e.beAcc[lo] - max(0, e.beRuns[lo-1].to-x+1)
}

// nextBE returns the first index from a on inside a Belgian work period
// (there is one: the caller counted it).
func (e *engine) nextBE(a int) int {
	lo, hi := 0, len(e.beRuns) // the runs before lo end before a
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); e.beRuns[m].to < a {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return max(a, e.beRuns[lo].from)
}

// searchFirst returns the first k in [0, n) with ok(k), ok being monotone.
func searchFirst(n int, ok func(int) bool) (int, bool) {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ok(m) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo, lo < n
}

// capDay is the weekly cap of §12.10: a day gets min(its credit, 6 − what
// its Monday–Sunday week already has).
func capDay(raw, sofar float64) float64 {
	v := 6 - sofar
	if raw < v {
		v = raw
	}
	if v < 0 {
		v = 0
	}
	return v
}

// layer returns the arrays of a rule set and a phase, building them once.
func (e *engine) layer(rsI, ph int) *layer {
	if ly := e.layers[rsI][ph]; ly != nil {
		return ly
	}
	var prev *layer
	if ph > 0 {
		prev = e.layers[rsI][ph-1]
	}
	ly := e.buildLayer(&ruleSets[rsI], e.phases[ph], e.reach[rsI], e.pReach[rsI], prev)
	e.layers[rsI][ph] = ly
	return ly
}
