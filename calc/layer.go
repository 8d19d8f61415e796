package calc

// layer holds the per-day data of one rule set and one phase of work abroad
// (see engine.go). Its days live in zones: main, from the earliest day a
// window of the rule set can reach (engine.reaches) to the end, and low,
// the 120 months before it that only the P conditions of §2.1 read, built
// the first time one is checked.
type layer struct {
	rs       *ruleSet
	k0       int     // first evaluation index of the phase
	treat    []treat // effective treatment of each (sorted) period
	why      []why   // why an extend kind has treatment none (§12.12, §12.19)
	ulDay    []bool  // unpaid leave: the day is one of the first n of its year (§12.8), engine indexes
	ucum     []int32 // ucum[i]: days of U (§5) in [main.first, main.first+i); nil: U is empty
	main     *zone
	low      *zone // nil until needed
	lowFirst int   // first index of low (== main.first when no P can be asked)
}

// zone holds the days [first, end) of a layer (first is a Monday, so that
// local index i%7 is still the weekday). Methods take engine indexes.
type zone struct {
	first, end int
	nw         []bool    // engine.nw over the zone's days
	work       []float64 // credit of counting work periods (Belgian and abroad)
	ev         []float64 // largest credit of the credit-treated non-work periods (§12.9); nil: none
	nc         []float64 // the credit of each day without the contract: ev on a non-work day, else work
	// full is the capped credit with the contract running on every day,
	// computed lazily up to done; sofar is the credit of done's week so far.
	full  prefix
	done  int
	sofar float64
}

// fullRange makes layers start at the engine's first day (tests check that
// the reach of engine.reaches changes nothing).
var fullRange = false

func monday(i int) int { return i - i%7 }

func (e *engine) buildLayer(rs *ruleSet, k0, wReach, pReach int, prev *layer) *layer {
	first := monday(max(wReach-e.lo, 0))
	lowFirst := monday(max(min(pReach, wReach)-e.lo, 0))
	if fullRange {
		first, lowFirst = 0, 0
	}
	np := len(e.periods)
	ly := &layer{rs: rs, k0: k0, treat: make([]treat, np), why: make([]why, np), lowFirst: lowFirst}
	ul := false
	for j := range e.periods {
		ly.treat[j], ly.why[j] = e.treatment(rs, j, k0)
		ul = ul || (ly.treat[j] == tCredit && e.periods[j].kind != kWork && rs.kinds[e.periods[j].kind].firstDays > 0)
	}
	if ul {
		e.unpaidLeave(ly)
	}
	if prev != nil && prev.main.first == first && !e.abroadChanged(prev, ly, first) {
		ly.main, ly.ucum = prev.main, prev.ucum
		if !e.abroadChanged(prev, ly, lowFirst) {
			ly.low = prev.low
		}
		return ly
	}
	ly.main = e.newZone(ly, first, e.n)
	ly.ucum = e.extendDays(ly, first)
	return ly
}

// abroadChanged reports whether work abroad from index from on has another
// treatment in ly than in prev.
func (e *engine) abroadChanged(prev, ly *layer, from int) bool {
	for j := range e.periods {
		if q := &e.periods[j]; q.conv && q.to-e.lo >= from && prev.treat[j] != ly.treat[j] {
			return true
		}
	}
	return false
}

// newZone paints the credit of the layer's periods on the days [first, end).
func (e *engine) newZone(ly *layer, first, end int) *zone {
	z := &zone{first: first, end: end, nw: e.nw[first-e.zlo : end-e.zlo], work: e.beWork[first-e.zlo : end-e.zlo], done: first}
	shared := true
	for j := range e.periods {
		q := &e.periods[j]
		a, b := e.clip(q.from, q.to)
		a, b = max(a, first), min(b, end-1)
		if a > b || ly.treat[j] != tCredit {
			continue
		}
		switch {
		case q.kind == kWork && q.abroad:
			if shared {
				w := e.a.floats(len(z.work), false)
				copy(w, z.work)
				z.work, shared = w, false
			}
			paintAdd(z.work, a-first, b-first, q.sched, q.v)
		case q.kind != kWork:
			var only []bool
			if ly.rs.kinds[q.kind].firstDays > 0 {
				only = ly.ulDay
			}
			z.paintMax(e.a, a, b, q.sched, q.v, only)
		}
	}
	z.nc = e.a.floats(end-first, false)
	copy(z.nc, z.work)
	for _, r := range e.nwRuns { // a non-work period replaces work on its days (§3, §12.9)
		a, b := max(r.from, first)-first, min(r.to, end-1)-first
		if a > b {
			continue
		}
		if z.ev == nil {
			clear(z.nc[a : b+1])
		} else {
			copy(z.nc[a:b+1], z.ev[a:b+1])
		}
	}
	z.full = newPrefix(e.a, first, end-first)
	return z
}

// extendDays counts U (§5), the union of the extend-treated periods, from
// index first on: ucum[i] is the number of U days in [first, first+i).
func (e *engine) extendDays(ly *layer, first int) []int32 {
	m := e.n - first
	var diff []int32
	for j := range e.periods {
		q := &e.periods[j]
		if ly.treat[j] != tExtend {
			continue
		}
		from, to := q.from, e.extendEnd(ly.rs, q)
		if mx := maxMonths(ly.rs, q); mx > 0 {
			// only the most recent part extends: [(to + 1) − max, to] (§12.12)
			from = max(from, addMonths(to+1, -mx))
		}
		a, b := e.clip(from, to)
		if a = max(a, first); a > b {
			continue
		}
		if diff == nil {
			diff = e.a.int32s(m + 1)
		}
		diff[a-first]++
		diff[b-first+1]--
	}
	if diff == nil {
		return nil
	}
	c, acc := int32(0), int32(0)
	for i := 0; i < m; i++ { // in place: diff[i] becomes the number of U days before i
		c += diff[i]
		diff[i] = acc
		if c > 0 {
			acc++
		}
	}
	diff[m] = acc
	return diff
}

// noContract is the credit of day i without the contract: a non-work
// period replaces work on its days (§3, §12.9).
func (z *zone) noContract(i int) float64 {
	if li := i - z.first; li >= 0 && i < z.end {
		return z.nc[li]
	}
	return 0
}

// workAt and evAt read the zone at engine index i.
func (z *zone) workAt(i int) float64 { return z.work[i-z.first] }

func (z *zone) evAt(i int) float64 {
	if z.ev == nil {
		return 0
	}
	return z.ev[i-z.first]
}

// ensure computes the capped credit (§12.10) of the zone up to index b, the
// days before the contract start in a loop that does not look at it.
func (e *engine) ensure(z *zone, b int) {
	b = min(b, z.end-1)
	if b < z.done {
		return
	}
	li, lb := z.done-z.first, b-z.first
	ls := min(max(e.startI-z.first, li), lb+1) // the first local index the contract may run on
	sofar := capDays(z.nc[:ls], &z.full, li, z.sofar)
	for li = ls; li <= lb; {
		w := li % 7 // z.first is a Monday
		if w == 0 && li > 0 {
			sofar = z.full.closeWeek(li)
		}
		end := min(lb, li-w+6) + 1 // the days [li, end) of this week
		sofar = e.capContractDays(z, li, end, ls, sofar)
		li = end
	}
	z.done, z.sofar = b+1, sofar
}

// capDays writes into p the capped credit of the days raw[li:] (§12.10),
// the credit of li's week being sofar before li, and returns the credit of
// the last week so far.
func capDays(raw []float64, p *prefix, li int, sofar float64) float64 {
	cum := p.cum[:len(raw)]
	for li < len(raw) {
		w := li % 7 // index 0 is a Monday
		if w == 0 && li > 0 {
			sofar = p.closeWeek(li)
		}
		end := min(len(raw), li-w+7)
		for ; li < end; li++ {
			sofar += capDay(raw[li], sofar)
			cum[li] = sofar // the week's running sum is the capped credit so far
		}
	}
	return sofar
}

// capContractDays is capDays for the days [li, end) of one week of z, the
// contract running on its scheduled days from local index ls on that no
// non-work period covers.
func (e *engine) capContractDays(z *zone, li, end, ls int, sofar float64) float64 {
	for ; li < end; li++ {
		raw := z.nc[li]
		if li >= ls && !z.nw[li] && e.p.csched&(1<<(li%7)) != 0 {
			raw += e.p.cv
		}
		sofar += capDay(raw, sofar)
		z.full.cum[li] = sofar
	}
	return sofar
}

// sum returns the capped credit of the days [a, b] (engine indexes, b not
// after the last ensured day of main), building low when a reaches it.
func (e *engine) sum(ly *layer, a, b int) float64 {
	s := 0.0
	if first := ly.main.first; a < first && ly.lowFirst < first {
		if ly.low == nil {
			ly.low = e.newZone(ly, ly.lowFirst, first)
			e.ensure(ly.low, first-1)
		}
		s += ly.low.full.sum(a, min(b, first-1))
	}
	return s + ly.main.full.sum(a, b)
}

// why says why a period of an extend kind has treatment none.
type why uint8

const (
	whyNot        why = iota
	whyShort          // shorter than its kind's minimum (§12.12)
	whyChildOld       // no day before the child's birthday limit (§12.19)
	whyChildShort     // its days before that birthday are shorter than the minimum
)

// treatment returns what period j does under rule set rs in the phase whose
// first evaluation index is k0, and why an extend kind does nothing (§6,
// §12.11, §12.12, §12.19).
func (e *engine) treatment(rs *ruleSet, j, k0 int) (treat, why) {
	q := &e.periods[j]
	if q.kind == kWork {
		if !q.abroad || e.ea[j] <= k0 {
			return tCredit, whyNot
		}
		return tExtend, whyNot // abroad work that does not count: no minimum (§12.11)
	}
	r := &rs.kinds[q.kind]
	if r.t != tExtend {
		return r.t, whyNot
	}
	to, short := e.extendEnd(rs, q), whyShort
	if to != q.to {
		short = whyChildShort
	}
	if to < q.from {
		return tNone, whyChildOld
	}
	if r.minMonths > 0 && to < addMonths(q.from, r.minMonths)-1 {
		return tNone, short
	}
	return tExtend, whyNot
}

// extendEnd returns the last day of period q that may extend under rs: for
// child raising, the day before the child's birthday limit when the birth
// date is known (§12.19; without it the period is assumed before it).
func (e *engine) extendEnd(rs *ruleSet, q *pperiod) int {
	r := &rs.kinds[q.kind]
	if r.age == 0 || !q.hasChild {
		return q.to
	}
	y, m, d := civil(q.child)
	return min(q.to, birthdayAt(m, d, y+childAge(r, q))-1)
}

// maxMonths is the most a period of q's kind extends by under rs (§12.12),
// abroad work that does not count included (§12.11); 0: no maximum.
func maxMonths(rs *ruleSet, q *pperiod) int {
	if q.kind == kWork {
		return rs.abroadMaxMonths
	}
	return rs.kinds[q.kind].maxMonths
}

// paintMax records a credit-treated non-work period on its scheduled days
// of [a, b] (engine indexes; restricted to the days of only when not nil):
// the day's credit is the largest among the periods covering it (§12.9).
func (z *zone) paintMax(ar *arena, a, b int, sched uint8, v float64, only []bool) {
	if v <= 0 || a > b {
		return
	}
	if z.ev == nil {
		z.ev = ar.floats(z.end-z.first, true)
	}
	w := a % 7 // i's weekday, without a division per day
	for i := a; i <= b; i++ {
		if sched&(1<<w) != 0 && (only == nil || only[i]) && v > z.ev[i-z.first] {
			z.ev[i-z.first] = v
		}
		if w++; w == 7 {
			w = 0
		}
	}
}

// unpaidLeave finds, for kinds with firstDays (unpaid_leave under ar1991,
// §12.8), the first n scheduled days of each calendar year over all such
// periods together, in date order, in or out of the window. A period none of
// whose days is among them has treatment none.
func (e *engine) unpaidLeave(ly *layer) {
	ly.ulDay = e.a.bools(e.n)
	first, last, limit := e.n, -1, 0
	isUL := func(j int) bool {
		q := &e.periods[j]
		return ly.treat[j] == tCredit && q.kind != kWork && ly.rs.kinds[q.kind].firstDays > 0
	}
	for j := range e.periods {
		if !isUL(j) {
			continue
		}
		q := &e.periods[j]
		limit = ly.rs.kinds[q.kind].firstDays
		a, b := e.clip(q.from, q.to)
		for i := a; i <= b; i++ {
			if q.sched&(1<<(i%7)) != 0 {
				ly.ulDay[i] = true
				first, last = min(first, i), max(last, i)
			}
		}
	}
	count, nextYear := 0, -1
	for i := first; i <= last; i++ {
		if i >= nextYear {
			y, _, _ := civil(e.lo + i)
			count, nextYear = 0, daysFromCivil(y+1, 1, 1)-e.lo
		}
		if ly.ulDay[i] {
			count++
			ly.ulDay[i] = count <= limit
		}
	}
	for j := range e.periods {
		if !isUL(j) {
			continue
		}
		q := &e.periods[j]
		a, b := e.clip(q.from, q.to)
		credited := false
		for i := a; i <= b && !credited && q.v > 0; i++ {
			credited = ly.ownCredit(q, i)
		}
		if !credited {
			ly.treat[j] = tNone
		}
	}
}

// ownCredit reports whether credit-treated non-work period q gives its
// credit on index i (a scheduled day; for unpaid leave, a credited one).
func (ly *layer) ownCredit(q *pperiod, i int) bool {
	if q.sched&(1<<(i%7)) == 0 {
		return false
	}
	return ly.rs.kinds[q.kind].firstDays == 0 || ly.ulDay[i]
}

// ucount returns how many days of U lie in [a, b] (day numbers).
func (e *engine) ucount(ly *layer, a, b int) int {
	if ly.ucum == nil {
		return 0
	}
	first := ly.main.first
	ia, ib := max(a-e.lo-first, 0), min(b-e.lo-first, len(ly.ucum)-2)
	if ia > ib {
		return 0
	}
	return int(ly.ucum[ib+1] - ly.ucum[ia])
}

// extendStart returns the start of the window extended by U (§5):
// start₀ = S0, startₖ₊₁ = S0 − |U ∩ [startₖ, C − 1]| until it stops moving.
// The sequence falls to the greatest s ≤ S0 with g(s) = s − S0 + |U ∩ [s, C−1]|
// = 0, and g does not decrease with s, so after a few plain steps a binary
// search finds the same fixpoint in O(log n) when U is long and dense.
func (e *engine) extendStart(ly *layer, s0, c int) int {
	s := s0
	for it := 0; it < 8; it++ {
		ns := s0 - e.ucount(ly, s, c-1)
		if ns == s {
			return s
		}
		s = ns
	}
	g := func(x int) int { return x - s0 + e.ucount(ly, x, c-1) }
	lo, hi := s0-e.ucount(ly, e.lo, e.lo+e.n-1), s+1 // g(lo) ≤ 0 < g(hi), as s ≥ the fixpoint
	for hi-lo > 1 {
		m := lo + (hi-lo)/2
		if g(m) <= 0 {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// evalOut is the evaluation of one option at one candidate.
type evalOut struct {
	opt      *option
	s0, from int     // base and extended window start
	cut      int     // first day that may give credit (from, or after previousAdmissionDate)
	x, p     float64 // credit in the window, in the 120 months before it
	capped   bool    // the rule set's cap moved the start (§5, pl2025: 15 years)
	ok       bool
}

// evalOption checks one option for candidate E with claim date C
// (cy-cm-cd): window of §5 with its extension and cap, credit X (§3), and P
// when the option has a condition on it (§2.1, §12.15). When r already holds
// the window of another option with the same months for this candidate
// (same), only the conditions are checked again.
func (e *engine) evalOption(r *evalOut, ly *layer, o *option, E, C, cy, cm, cd int, same bool) {
	if !same {
		e.window(r, ly, o.months, E, C, cy, cm, cd)
	}
	r.opt, r.p, r.ok = o, 0, false
	if !atLeast(r.x, o.days) {
		return
	}
	if o.p == nil {
		r.ok = true
		return
	}
	pFrom := addMonths(r.from, -120)
	if ly.rs.previousAdmission && e.p.hasPAD {
		pFrom = max(pFrom, e.p.pad+1)
	}
	r.p = e.sum(ly, pFrom-e.lo, r.from-1-e.lo)
	r.ok = atLeast(r.p, o.pNeeded(r.x))
}

// window computes the window of months before C, its extension and cap, and
// its credit X when the contract ends on E.
func (e *engine) window(r *evalOut, ly *layer, months, E, C, cy, cm, cd int) {
	r.s0 = addMonthsCivil(cy, cm, cd, -months)
	r.from = e.extendStart(ly, r.s0, C)
	r.capped = false
	if ly.rs.capYears > 0 {
		if c := addMonthsCivil(cy, cm, cd, -12*ly.rs.capYears); c > r.from {
			r.from, r.capped = c, true
		}
	}
	r.cut = r.from
	if ly.rs.previousAdmission && e.p.hasPAD {
		r.cut = max(r.cut, e.p.pad+1)
	}
	e.ensure(ly.main, E-e.lo)
	r.x = sumWindow(&ly.main.full, r.cut-e.lo, E-e.lo, C-e.lo, ly.main.noContract)
}
