package calc

import (
	"math"
	"math/bits"
	"unicode/utf8"
)

// maxPeriods is the most periods a case may hold (RULES.md §8).
const maxPeriods = 2000

// prepared is a validated case in the engine's terms: day numbers, kind
// indexes, schedules and per-day credits resolved with their defaults.
type prepared struct {
	by, bm, bd int // birth date
	start      int // contract start
	cdpw       int
	cv         float64 // contract credit of one scheduled day
	partTime   bool    // the contract's Q < S: warn of the part-time route (§12.18)
	csched     uint8   // contract schedule: bit w set when weekday w is scheduled
	periods    []pperiod
	lbd, pad   int // lastBenefitDate, previousAdmissionDate
	hasLBD     bool
	hasPAD     bool
	monFri     bool
	conv       countrySet // convention countries: the default list and the case's own
}

// pperiod is one input period, resolved (RULES.md §3, §6, §12.3, §12.7).
// The one-byte fields are together: a solve copies hundreds of these.
type pperiod struct {
	idx      int // index in the input
	kind     int
	from, to int
	dpw      int
	v        float64 // credit of one scheduled day when credited (≤ 6)
	cc       int16   // the country's code index (codeIndex): no string, so a solve's periods hold no pointer for the GC to scan
	child    int     // child_raising: the child's birth date when hasChild (§12.19)
	sched    uint8   // scheduled weekdays
	months   uint8   // abroad: months of Belgian employment it needs after it, 3 or 6 (§12.11)
	abroad   bool    // kind work in another country than BE
	conv     bool    // abroad in a convention country
	frontier bool    // abroad as a frontier worker: counts without Belgian employment after it (§12.11)
	noSched  bool    // days/hours given but no scheduled day to spread them on
	hasChild bool    // child_raising with the child's birth date
	disabled bool    // the child has a disability: the limit is the 18th birthday
}

// Validate checks a case and returns nil or a *ValidationError holding every
// problem at once, with JSON paths such as "periods[3].to" (RULES.md §8,
// §12.3, §12.4, §12.7, §12.17). Messages are in lang (unknown: English).
func (c *Case) Validate(lang string) error {
	if _, errs := c.prepare(langOf(lang)); len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}

type checker struct {
	l    lang
	errs []FieldError
}

func (k *checker) fail(path, id string) {
	k.errs = append(k.errs, FieldError{Path: path, Message: tr(k.l, id)})
}

// failAt reports at base.field; paths are only built for errors.
func (k *checker) failAt(base, field, id string) { k.fail(join(base, field), id) }

// date checks a required date at base.field; ok is false when it is
// missing or wrong.
func (k *checker) date(s, base, field string) (int, bool) {
	if s == "" {
		k.failAt(base, field, "required")
		return 0, false
	}
	return k.optDate(s, base, field)
}

func (k *checker) optDate(s, base, field string) (int, bool) {
	z, ok := parseDate(s)
	if !ok {
		k.failAt(base, field, "date.invalid")
		return 0, false
	}
	if z < minInputDay || z > maxInputDay {
		k.failAt(base, field, "date.range")
		return 0, false
	}
	return z, true
}

// dpw checks base.daysPerWeek: a whole number 1 to 7, default def.
func (k *checker) dpw(v *float64, base string, def int) int {
	if v == nil {
		return def
	}
	if !(*v >= 1 && *v <= 7) || *v != math.Trunc(*v) {
		k.failAt(base, "daysPerWeek", "dpw.range")
		return def
	}
	return int(*v)
}

// fraction checks Q and S: 0 < Q ≤ S ≤ 60; S without Q is full time; Q
// without S is invalid (§12.3). given is false when neither is set.
func (k *checker) fraction(q, s *float64, base string) (qv, sv float64, given bool) {
	qv, sv = 1, 1
	if s == nil {
		if q != nil {
			k.failAt(base, "s", "q.needs_s")
		}
		return qv, sv, false
	}
	if !(*s > 0 && *s <= 60) {
		k.failAt(base, "s", "s.range")
		return qv, sv, false
	}
	if q == nil {
		return *s, *s, true
	}
	if !(*q > 0 && *q <= *s) {
		k.failAt(base, "q", "q.range")
		return qv, sv, false
	}
	return *q, *s, true
}

// prepare validates the case and resolves it for the engine.
func (c *Case) prepare(l lang) (*prepared, []FieldError) { return c.prepareIn(l, nil) }

// prepareIn is prepare taking the periods' array from a (nil: a new one).
func (c *Case) prepareIn(l lang, a *arena) (*prepared, []FieldError) {
	k := &checker{l: l}
	p := &prepared{}
	k.person(c, p)
	start, startOK := k.date(c.Contract.Start, "contract", "start")
	p.start = start
	p.cdpw = k.dpw(c.Contract.DaysPerWeek, "contract", 5)
	cq, cs, _ := k.fraction(c.Contract.Q, c.Contract.S, "contract")
	p.csched = schedMask(p.cdpw)
	p.cv = dayValue(p.cdpw, cq, cs)
	p.partTime = cq < cs
	if c.LastBenefitDate != nil && *c.LastBenefitDate != "" {
		p.lbd, p.hasLBD = k.optDate(*c.LastBenefitDate, "", "lastBenefitDate")
	}
	if c.PreviousAdmissionDate != nil && *c.PreviousAdmissionDate != "" {
		p.pad, p.hasPAD = k.optDate(*c.PreviousAdmissionDate, "", "previousAdmissionDate")
	}
	k.options(c, p)
	if len(c.Periods) > maxPeriods {
		k.fail("periods", "periods.too_many")
	} else {
		if a != nil {
			p.periods = take(&a.p, len(c.Periods), false)[:0]
		} else {
			p.periods = make([]pperiod, 0, len(c.Periods))
		}
		for i := range c.Periods {
			if pp, ok := k.period(&c.Periods[i], i, p, cq, cs, startOK); ok {
				p.periods = append(p.periods, pp)
			}
		}
	}
	if len(k.errs) > 0 {
		return nil, k.errs
	}
	return p, nil
}

// person checks the NISS and the birth date, which must agree (§12.4).
func (k *checker) person(c *Case, p *prepared) {
	var info NISSInfo
	nissOK := false
	if c.Person.NISS != "" {
		var err error
		if info, err = ParseNISS(c.Person.NISS); err != nil {
			k.fail("person.niss", "niss.invalid")
		} else {
			nissOK = true
		}
	}
	nm, nd := 0, 0
	if nissOK {
		nm, nd = nissMonthDay(info)
	}
	if c.Person.BirthDate == "" {
		switch {
		case nissOK && info.BirthDate != "":
			p.by, p.bm, p.bd = info.Year, nm, nd
		case c.Person.NISS == "" || nissOK:
			k.fail("person.birthDate", "birth.required")
		}
		return
	}
	z, ok := k.optDate(c.Person.BirthDate, "person", "birthDate")
	if !ok {
		return
	}
	p.by, p.bm, p.bd = civil(z)
	if nissOK && (info.Year != p.by || (nm != 0 && nm != p.bm) || (nd != 0 && nd != p.bd)) {
		k.fail("person.birthDate", "birth.mismatch")
	}
}

func (k *checker) options(c *Case, p *prepared) {
	switch c.Options.ClaimDays {
	case "", "mon-sat":
	case "mon-fri":
		p.monFri = true
	default:
		k.fail("options.claimDays", "claimdays.invalid")
	}
	p.conv = convention
	for i, cc := range c.Options.ConventionCountries {
		if !isCountry(cc) {
			k.fail(indexPath("options.conventionCountries", i), "country.invalid")
			continue
		}
		p.conv.add(cc)
	}
}

// period checks one period and resolves its schedule and credit (§3, §6,
// §12.3, §12.7). Inside the contract (from ≥ contract.start) a period without
// its own schedule or Q/S takes the contract's; otherwise 5 days, full time.
// MaxLabel is the longest label a period may carry, in characters: enough
// for an employer's name and a note, not a document.
const MaxLabel = 200

func (k *checker) period(in *Period, i int, p *prepared, cq, cs float64, startOK bool) (pperiod, bool) {
	n := len(k.errs)
	defer func() { // paths are built only when something is wrong
		if len(k.errs) > n {
			path := indexPath("periods", i)
			for e := n; e < len(k.errs); e++ {
				k.errs[e].Path = path + "." + k.errs[e].Path
			}
		}
	}()
	out := pperiod{idx: i, kind: kindIndex(in.Kind)}
	if in.Kind == "" {
		k.fail("kind", "required")
	} else if out.kind < 0 {
		k.fail("kind", "kind.unknown")
	}
	from, okF := k.date(in.From, "", "from")
	to, okT := k.date(in.To, "", "to")
	if okF && okT && to < from {
		k.fail("to", "date.order")
	}
	out.from, out.to = from, to
	inside := startOK && okF && from >= p.start
	def := 5
	if inside {
		def = p.cdpw
	}
	out.dpw = k.dpw(in.DaysPerWeek, "", def)
	q, s, own := k.fraction(in.Q, in.S, "")
	if !own && inside {
		q, s = cq, cs
	}
	if in.Days != nil && in.Hours != nil {
		k.fail("hours", "days_hours.exclusive")
	}
	k.nonNegative(in.Days, "days")
	k.nonNegative(in.Hours, "hours")
	if in.Hours != nil && in.S == nil {
		k.fail("s", "hours.needs_s")
	}
	country := in.Country
	if country == "" {
		country = "BE"
	}
	if !isCountry(country) {
		k.fail("country", "country.invalid")
	}
	if len(in.Label) > MaxLabel && utf8.RuneCountInString(in.Label) > MaxLabel { // no more runes than bytes
		k.fail("label", "label.too_long")
	}
	if out.kind >= 0 {
		k.revision2(in, &out, country)
	}
	if len(k.errs) > n {
		return out, false
	}
	out.cc = int16(codeIndex(country))
	out.abroad = out.kind == kWork && country != "BE"
	out.conv = out.abroad && p.conv.has(country)
	out.months = abroadMonths(country)
	out.sched = schedMask(out.dpw)
	out.v = dayValue(out.dpw, q, s)
	if in.Days != nil || in.Hours != nil {
		out.spread(in, q, s)
	}
	return out, true
}

// revision2 checks the optional period fields of revision 2 (§7): each is
// allowed only on the kind that uses it, and frontierWorker true only abroad.
func (k *checker) revision2(in *Period, out *pperiod, country string) {
	if in.FrontierWorker != nil {
		switch {
		case out.kind != kWork:
			k.fail("frontierWorker", "field.work_only")
		case *in.FrontierWorker && country == "BE":
			k.fail("frontierWorker", "frontier.belgium")
		}
		out.frontier = *in.FrontierWorker
	}
	if in.ChildBirthDate != nil {
		if out.kind != kChildRaising {
			k.fail("childBirthDate", "field.child_only")
		} else if *in.ChildBirthDate != "" { // "" is absent, as for the case's own optional dates
			out.child, out.hasChild = k.optDate(*in.ChildBirthDate, "", "childBirthDate")
		}
	}
	if in.ChildDisability != nil {
		if out.kind != kChildRaising {
			k.fail("childDisability", "field.child_only")
		}
		out.disabled = *in.ChildDisability
	}
}

func (k *checker) nonNegative(v *float64, path string) {
	if v != nil && !(*v >= 0 && !math.IsInf(*v, 0)) {
		k.fail(path, "value.negative")
	}
}

// spread sets the credit of one scheduled day from days or hours (§3,
// §12.7): days × 6/d × Q/S or hours × 6/S over all scheduled days of the
// whole period, holidays included.
func (pp *pperiod) spread(in *Period, q, s float64) {
	var total float64
	if in.Days != nil {
		total = 6 * *in.Days * q / (float64(pp.dpw) * s)
	} else {
		total = 6 * *in.Hours / *in.S
	}
	n := countSched(pp.from, pp.to, pp.sched)
	if n == 0 {
		pp.v, pp.noSched = 0, true
		return
	}
	pp.v = math.Min(total/float64(n), 6)
}

// schedMask returns the scheduled weekdays (bit 0 = Monday) of a regime of
// d days a week (§3): Monday–Friday for d ≤ 5, Monday–Saturday for 6, all for 7.
func schedMask(d int) uint8 {
	switch {
	case d <= 5:
		return 0b0011111
	case d == 6:
		return 0b0111111
	}
	return 0b1111111
}

// dayValue is the credit of one scheduled day: weight × Q/S with weight 6/5,
// 1 or 6/7 (§3), computed in one expression so that it carries one rounding.
// As Q ≤ S, it is at most 6/5.
func dayValue(d int, q, s float64) float64 {
	den := 5.0
	switch {
	case d == 6:
		den = 6
	case d == 7:
		den = 7
	}
	return 6 * q / (den * s)
}

// countSched counts the days of [from, to] whose weekday is in mask.
func countSched(from, to int, mask uint8) int {
	if to < from {
		return 0
	}
	n := to - from + 1
	count := n / 7 * bits.OnesCount8(mask)
	for z := from + n/7*7; z <= to; z++ {
		if mask&(1<<weekday(z)) != 0 {
			count++
		}
	}
	return count
}
