package calc

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// byteSource turns fuzz bytes into choices; it gives zeros once exhausted.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) next() int {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return int(s.b[s.i-1])
}

// intn returns a number in [0, n) from one or two bytes.
func (s *byteSource) intn(n int) int {
	v := s.next()
	if n > 256 {
		v = v<<8 | s.next()
	}
	return v % n
}

var genCountries = []string{"BE", "BE", "BE", "FR", "GB", "US", "MA", "DE", "BA", "CH"}

// genCase builds a valid case from bytes: contract start 2015–2030, periods
// from 15 years before it to 3 years after, every kind, schedules, Q/S,
// days and hours, work abroad, art. 42 and previous admission dates.
func genCase(s *byteSource) *Case {
	start := day("2015-01-01") + s.intn(16*365)
	c := &Case{
		Person:   Person{BirthDate: isoDate(day("1950-01-01") + s.intn(55*365))},
		Contract: Contract{Start: isoDate(start)},
	}
	if v := s.next(); v%4 == 0 {
		c.Contract.DaysPerWeek = fp(float64(1 + v%7))
	}
	if v := s.next(); v%3 == 0 {
		c.Contract.S = fp(38)
		c.Contract.Q = fp(float64(4 + v%35))
	}
	n := s.next() % 13
	for i := 0; i < n; i++ {
		p := Period{Kind: kindIDs[s.next()%numKinds]}
		if s.next()%2 == 0 {
			p.Kind = "work"
		}
		from := start - 15*365 + s.intn(18*365)
		length := 1 + s.intn(60)
		switch s.next() % 4 {
		case 0:
			length = 1 + s.intn(400)
		case 1:
			length = 1 + s.intn(6000)
		}
		p.From, p.To = isoDate(from), isoDate(min(from+length-1, maxInputDay))
		v := s.next()
		if v%3 == 0 {
			p.DaysPerWeek = fp(float64(1 + v%7))
		}
		if v%5 == 0 {
			p.S = fp(38)
			p.Q = fp(float64(1 + v%38))
		}
		switch v % 11 {
		case 1:
			p.Days = fp(float64(s.next()))
		case 2:
			p.Hours = fp(float64(s.next()) / 2)
			p.S = fp(38)
		}
		genRevision2(s, &p, from)
		c.Periods = append(c.Periods, p)
	}
	switch v := s.next(); v % 5 {
	case 0:
		c.LastBenefitDate = sp(isoDate(start - s.intn(5*365)))
	case 1:
		c.PreviousAdmissionDate = sp(isoDate(start - s.intn(5*365)))
	}
	if s.next()%3 == 0 {
		c.Options.ClaimDays = "mon-fri"
	}
	if s.next()%7 == 0 {
		c.Options.ConventionCountries = []string{"US", "BA"}
	}
	return c
}

// genRevision2 sets a work period's country and, sometimes, the optional
// fields of revision 2 that its kind allows (RULES.md §7).
func genRevision2(s *byteSource, p *Period, from int) {
	switch v := s.next(); p.Kind {
	case "work":
		p.Country = genCountries[v%len(genCountries)]
		if p.Country != "BE" && s.next()%4 == 0 {
			p.FrontierWorker = bp(true)
		}
	case "child_raising":
		if v%3 != 0 {
			p.ChildBirthDate = sp(isoDate(from - s.intn(20*365)))
			if v%3 == 2 {
				p.ChildDisability = bp(true)
			}
		}
	}
}

// core is a result without its texts, with periods in input order.
type core struct {
	RuleSet               string
	Reason                string
	Age                   int
	Option                string
	Required              float64
	Months                int
	Window                *Window
	Before, Contract, All float64
	Scheduled             int
	End                   *string
	Claim                 string
	Periods               []PeriodResult
	Unreachable           *UnreachableError
}

func coreOf(r *Result, err error) core {
	if err != nil {
		u, _ := err.(*UnreachableError)
		if u == nil {
			return core{Reason: "error: " + err.Error()}
		}
		v := *u
		v.Message = ""
		return core{Unreachable: &v}
	}
	return core{r.RuleSet.ID, r.Reason, r.AgeAtClaim, r.OptionID, r.RequiredDays, r.ReferenceMonths, r.Window,
		r.CreditedBeforeContract, r.ContractCredit, r.WindowCredit, r.ContractScheduledDays, r.ContractEnd,
		r.ClaimDate, r.Periods, nil}
}

func cloneCase(c *Case) *Case {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var d Case
	if err := json.Unmarshal(b, &d); err != nil {
		panic(err)
	}
	return &d
}

// checkInvariants solves c and checks what must hold whatever the case.
func checkInvariants(t *testing.T, c *Case, added *byteSource) {
	t.Helper()
	orig := cloneCase(c)
	r, err := Solve(c, "en")
	if !reflect.DeepEqual(c, orig) {
		t.Fatalf("Solve modified the case")
	}
	if _, ok := err.(*ValidationError); ok {
		t.Fatalf("generated case invalid: %v", err)
	}
	// determinism
	r2, err2 := Solve(c, "en")
	if !reflect.DeepEqual(r, r2) || !reflect.DeepEqual(err, err2) {
		t.Fatalf("two solves differ")
	}
	// order independence: the reversed periods give the same result
	rev := cloneCase(c)
	for i, j := 0, len(rev.Periods)-1; i < j; i, j = i+1, j-1 {
		rev.Periods[i], rev.Periods[j] = rev.Periods[j], rev.Periods[i]
	}
	rr, errr := Solve(rev, "en")
	a, b := coreOf(r, err), coreOf(rr, errr)
	if b.Periods != nil {
		p := make([]PeriodResult, len(b.Periods))
		for i, x := range b.Periods {
			x.Index = len(p) - 1 - i
			p[x.Index] = x
		}
		b.Periods = p
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("order matters:\n%+v\n%+v", a, b)
	}
	// the reach of the day arrays changes nothing
	fullRange = true
	rf, errf := Solve(c, "en")
	fullRange = false
	if !reflect.DeepEqual(r, rf) || !reflect.DeepEqual(err, errf) {
		t.Fatalf("full range differs:\n%+v\n%+v", coreOf(r, err), coreOf(rf, errf))
	}
	// nor does scanning the first years before the whole horizon
	fullHorizon = true
	rh, errh := Solve(c, "en")
	fullHorizon = false
	if !reflect.DeepEqual(r, rh) || !reflect.DeepEqual(err, errh) {
		t.Fatalf("whole horizon at once differs:\n%+v\n%+v", coreOf(r, err), coreOf(rh, errh))
	}
	if err != nil {
		return
	}
	checkResult(t, c, r)
	if added != nil {
		checkAddedWork(t, c, r, added)
	}
}

// checkResult checks the shape and arithmetic of a result.
func checkResult(t *testing.T, c *Case, r *Result) {
	t.Helper()
	if len(r.Periods) != len(c.Periods) || r.Steps == nil || r.Warnings == nil {
		t.Fatalf("shape: %+v", r)
	}
	if r.Reason == "readmission_art42" {
		if r.Window != nil || r.ContractEnd != nil || r.WindowCredit != 0 {
			t.Fatalf("art. 42 shape: %+v", r)
		}
		return
	}
	w := r.Window
	if w == nil || w.To != isoDate(day(r.ClaimDate)-1) || w.ExtensionDays < 0 || w.From > w.To {
		t.Fatalf("window %+v claim %s", w, r.ClaimDate)
	}
	if r.WindowCredit+0.01 < r.RequiredDays || r.CreditedBeforeContract+r.ContractCredit > r.WindowCredit+0.02 {
		t.Fatalf("credits %+v", r)
	}
	sum := 0.0
	for _, p := range r.Periods {
		if p.CreditInWindow < 0 || math.IsNaN(p.CreditInWindow) {
			t.Fatalf("period %+v", p)
		}
		sum += p.CreditInWindow
	}
	if sum > r.WindowCredit+0.01*float64(len(r.Periods))+0.01 {
		t.Fatalf("period credits %v > window %v", sum, r.WindowCredit)
	}
	if r.ContractEnd != nil {
		e := day(*r.ContractEnd)
		if e < day(c.Contract.Start) || day(r.ClaimDate) <= e || r.ContractScheduledDays < 1 {
			t.Fatalf("end %s claim %s", *r.ContractEnd, r.ClaimDate)
		}
	} else if r.Reason != "enough_days" {
		t.Fatalf("no end date, reason %q", r.Reason)
	}
}

// checkAddedWork: adding a Belgian work period never makes the end later
// (§3: credits add up). Two exceptions come from the rules themselves and
// are avoided: work abroad (more Belgian days can make it count, which
// removes its extension, §12.11), and the week in which the window, P or the
// previous-admission cut starts (the cap of §12.10 is day by day over the
// whole week, so credit added before the window in that week can leave
// less room for the window's days).
func checkAddedWork(t *testing.T, c *Case, r *Result, s *byteSource) {
	t.Helper()
	for _, p := range c.Periods {
		if p.Kind == "work" && p.Country != "" && p.Country != "BE" {
			return
		}
	}
	from := day(c.Contract.Start) - 6*365 + s.intn(8*365)
	to := from + s.intn(120)
	avoid := []int{}
	if r.Window != nil {
		f := day(r.Window.From)
		avoid = append(avoid, f, addMonths(f, -120))
	}
	if c.PreviousAdmissionDate != nil {
		avoid = append(avoid, day(*c.PreviousAdmissionDate)+1)
	}
	for _, a := range avoid {
		ws := a - weekday(a)
		if from <= ws+6 && to >= ws {
			return
		}
	}
	more := cloneCase(c)
	more.Periods = append(more.Periods, work(isoDate(from), isoDate(to)))
	r2, err := Solve(more, "en")
	if err != nil {
		t.Fatalf("with more work: %v (before: end %s)", err, end(r))
	}
	if r.ContractEnd != nil && r2.ContractEnd != nil && *r2.ContractEnd > *r.ContractEnd ||
		r.ContractEnd == nil && r2.ContractEnd != nil {
		t.Fatalf("more work %s..%s made the end later: %s → %s", isoDate(from), isoDate(to), end(r), end(r2))
	}
}

// TestGenerated runs the invariants on generated cases (also under wasm).
func TestGenerated(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	seed := uint64(1)
	for i := 0; i < n; i++ {
		b := make([]byte, 200)
		for j := range b {
			seed = seed*6364136223846793005 + 1442695040888963407
			b[j] = byte(seed >> 56)
		}
		s := &byteSource{b: b}
		c := genCase(s)
		checkInvariants(t, c, s)
	}
}

// The fixpoint's binary search finds what the plain iteration of §5 finds.
func TestExtendStartFallback(t *testing.T) {
	seed := uint64(7)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for i := 0; i < 200; i++ {
		c := newCase("1990-01-01", "2024-01-08")
		for k := 0; k < 1+rnd(40); k++ {
			from := day("2005-01-01") + rnd(19*365)
			c.Periods = append(c.Periods, per("detention", isoDate(from), isoDate(from+rnd(1+rnd(900)))))
		}
		p, errs := c.prepare(langEN)
		if errs != nil {
			t.Fatal(errs)
		}
		e := newEngine(p, new(arena), horizonMonths)
		ly := e.layer(0, 0)
		for k := 0; k < 20; k++ {
			C := day("2024-01-08") + rnd(700)
			s0 := addMonths(C, -21-rnd(30))
			s := s0
			for {
				ns := s0 - e.ucount(ly, s, C-1)
				if ns == s {
					break
				}
				s = ns
			}
			if got := e.extendStart(ly, s0, C); got != s {
				t.Fatalf("extendStart = %s, iteration gives %s", isoDate(got), isoDate(s))
			}
		}
	}
}

// The phases of work abroad match a day-by-day computation of §12.11 for
// every candidate: the employment days after the job are counted from the
// input periods, and once the condition holds it holds for every later
// candidate (the engine relies on it to search the first one).
func TestAbroadPhasesBruteForce(t *testing.T) {
	seed, checked := uint64(3), 0
	for i := 0; i < 400 && checked < 60; i++ {
		b := make([]byte, 200)
		for j := range b {
			seed = seed*6364136223846793005 + 1442695040888963407
			b[j] = byte(seed >> 56)
		}
		c := genCase(&byteSource{b: b})
		for j := range c.Periods { // make the work abroad count sometimes
			if c.Periods[j].Kind == "work" && c.Periods[j].Country != "BE" && j%2 == 0 {
				c.Periods[j].Country = []string{"FR", "BA"}[j%4/2]
			}
		}
		c.Options.ConventionCountries = []string{"BA"}
		p, errs := c.prepare(langEN)
		if errs != nil {
			t.Fatal(errs)
		}
		e := newEngine(p, new(arena), horizonMonths)
		for j := range e.periods {
			q := &e.periods[j]
			if !q.conv || q.frontier {
				continue
			}
			checked++
			want := never
			for k := range e.evals {
				ok := employedBrute(c, q.to, int(q.months), e.evals[k], e.claim(k))
				if want == never && ok {
					want = k
				}
				if want != never && (!ok || k > want+40) {
					if !ok {
						t.Fatalf("case %d period %d: the condition holds at candidate %d, not at %d", i, q.idx, want, k)
					}
					break
				}
			}
			if e.ea[j] != want {
				t.Fatalf("case %d period %d (%s..%s): phase %d, want %d", i, q.idx, isoDate(q.from), isoDate(q.to), e.ea[j], want)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d cases of work abroad checked", checked)
	}
}

// employedBrute is §12.11 day by day from the case: the calendar days after
// a (the job's last day) and before C inside a Belgian work period or inside
// [contract.start, E] number at least the days of [F, F + months − 1 day].
func employedBrute(c *Case, a, months, E, C int) bool {
	start := day(c.Contract.Start)
	n, first := 0, never
	for d := a + 1; d < C; d++ {
		in := d >= start && d <= E
		for _, p := range c.Periods {
			if p.Kind == "work" && (p.Country == "" || p.Country == "BE") && day(p.From) <= d && d <= day(p.To) {
				in = true
			}
		}
		if in {
			n++
			first = min(first, d)
		}
	}
	return n > 0 && n >= addMonths(first, months)-first
}
