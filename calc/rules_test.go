package calc

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// §12.8: the first 10 scheduled days of each calendar year over all
// unpaid-leave periods together, in date order, under ar1991.
func TestUnpaidLeaveFirstTenDays(t *testing.T) {
	c := newCase("1995-03-10", "2024-01-08",
		work("2022-04-11", "2023-12-22"),
		per("unpaid_leave", "2023-03-20", "2023-03-31"), // 10 weekdays, 4 of them credited (after the 6 below)
		per("unpaid_leave", "2023-03-06", "2023-03-13"), // 6 weekdays: the first of 2023
		per("unpaid_leave", "2023-06-05", "2023-06-09"), // 2023 is used up: none, still replaces work
		per("unpaid_leave", "2023-12-27", "2024-01-03"), // 3 days of 2023 (none) and 3 of 2024 (credited)
	)
	r := mustSolve(t, c)
	if r.Reason != "enough_days" {
		t.Fatalf("want enough_days: %+v", r)
	}
	want := []struct {
		t string
		c float64
	}{{"credit", 4.8}, {"credit", 7.2}, {"none", 0}, {"credit", 3.6}}
	for i, w := range want {
		if p := r.Periods[i+1]; p.Treatment != w.t || p.CreditInWindow != w.c {
			t.Errorf("unpaid leave %d: %+v, want %+v", i, p, w)
		}
	}
	// work loses the 21 unpaid-leave weekdays it overlaps
	wd := countSched(day("2022-04-11"), day("2023-12-22"), 0b11111)
	if got, want := r.Periods[0].CreditInWindow, round2(1.2*float64(wd-21)); got != want {
		t.Errorf("work credit %v, want %v", got, want)
	}
	if got, want := r.WindowCredit, round2(1.2*float64(wd-21)+15.6); got != want {
		t.Errorf("window credit %v, want %v", got, want)
	}
	// under pl2025 unpaid leave is none
	c2 := newCase("1995-03-10", "2026-06-01", per("unpaid_leave", "2026-01-05", "2026-01-30"))
	if r := mustSolve(t, c2); r.Periods[0].Treatment != "none" || end(r) != nthWeekday("2026-06-01", 260) {
		t.Errorf("pl2025 unpaid leave: %+v end %s", r.Periods[0], end(r))
	}
}

// §3, §12.10: credits of work periods add up; each Monday–Sunday week is capped at 6.
func TestWeeklyCap(t *testing.T) {
	r := mustSolve(t, newCase("1995-03-10", "2023-06-05",
		work("2023-05-01", "2023-05-12"), work("2023-05-01", "2023-05-12")))
	if r.CreditedBeforeContract != 12 || r.Periods[0].CreditInWindow != 6 || r.Periods[1].CreditInWindow != 6 ||
		end(r) != nthWeekday("2023-06-05", 250) {
		t.Fatalf("two full-time jobs on the same weeks: %+v end %s", r, end(r))
	}
	// The cap covers the contract too: with a second full-time job each week
	// still gives 6, but day by day (Mon 2.4, Tue 2.4, Wed 1.2): 51 weeks give
	// 306, then Monday 30 and Tuesday 31 December 2024 (contract and job) and
	// the job's 1 January (C is Thursday 2 January) give the last 6.
	full := mustSolve(t, newCase("1995-03-10", "2024-01-08", work("2024-01-08", "2025-12-31")))
	if end(full) != "2024-12-31" || full.ContractCredit != 310.8 || full.WindowCredit != 312 {
		t.Errorf("full-time contract and job: end %s %+v", end(full), full)
	}
	// …but two half-time jobs make a full week.
	half := newCase("1995-03-10", "2024-01-08", withQS(work("2024-01-08", "2026-12-31"), 19, 38))
	half.Contract.Q = fp(19)
	if r := mustSolve(t, half); end(r) != "2025-01-03" {
		t.Errorf("half-time contract and half-time job: end %s", end(r))
	}
	// Alone, the half-time contract never fills 21 months with 312 days under
	// ar1991; the first claim date under pl2025 (36 months) is Tuesday 3 March 2026.
	half.Periods = nil
	if r := mustSolve(t, half); end(r) != "2026-03-02" || r.RuleSet.ID != "pl2025" {
		t.Errorf("half-time contract alone: end %s", end(r))
	}
}

// §12.10 with §12.15: the weekly cap comes before the previousAdmissionDate cut.
func TestCapBeforePreviousAdmissionCut(t *testing.T) {
	c := newCase("1995-03-10", "2026-06-01",
		work("2025-01-06", "2025-12-31"), // before the previous admission: no credit
		work("2026-05-04", "2026-05-08"), work("2026-05-04", "2026-05-08"))
	c.PreviousAdmissionDate = sp("2026-05-05")
	// capped Mon 2.4, Tue 2.4, Wed 1.2, Thu 0, Fri 0: after Tuesday only 1.2 remains
	r := mustSolve(t, c)
	if r.RuleSet.ID != "pl2025" || r.CreditedBeforeContract != 1.2 || end(r) != nthWeekday("2026-06-01", 259) {
		t.Fatalf("%+v end %s", r, end(r))
	}
	if !strings.Contains(strings.Join(r.Steps, "\n"), "previous admission of 05/05/2026") {
		t.Errorf("steps do not mention the previous admission: %q", r.Steps)
	}
	// under ar1991 the date is ignored with a warning
	c.Contract.Start = "2024-01-08"
	c.Periods = []Period{work("2023-01-02", "2023-06-30")}
	c.PreviousAdmissionDate = sp("2023-12-01")
	r = mustSolve(t, c)
	if r.CreditedBeforeContract != 156 || len(r.Warnings) != 1 {
		t.Fatalf("ar1991 ignores previousAdmissionDate: %+v", r)
	}
}

// §3, §12.9: a non-work period replaces work and the contract on its days;
// the largest credit among covering credit periods counts; order does not matter.
func TestOverlaps(t *testing.T) {
	hol := withQS(per("holiday", "2024-02-05", "2024-02-16"), 19, 38) // 10 days at 0.6 instead of 1.2
	mat := per("maternity", "2024-02-12", "2024-02-16")               // full time: 1.2 on 5 of them
	r := mustSolve(t, newCase("1995-03-10", "2024-01-08", hol))
	if end(r) != nthWeekday("2024-01-08", 265) || r.Periods[0].CreditInWindow != 6 {
		t.Fatalf("part-time holiday in the contract: end %s %+v", end(r), r.Periods)
	}
	for _, order := range [][]Period{{hol, mat}, {mat, hol}} {
		r := mustSolve(t, newCase("1995-03-10", "2024-01-08", order...))
		h, m := r.Periods[0], r.Periods[1]
		if order[0].Kind == "maternity" {
			h, m = m, h
		}
		if end(r) != nthWeekday("2024-01-08", 263) || h.CreditInWindow != 3 || m.CreditInWindow != 6 {
			t.Fatalf("largest credit: end %s holiday %+v maternity %+v", end(r), h, m)
		}
	}
	// equal credits split the day between them
	r = mustSolve(t, newCase("1995-03-10", "2024-01-08", per("holiday", "2024-02-05", "2024-02-09"), per("strike", "2024-02-05", "2024-02-09")))
	if r.Periods[0].CreditInWindow != 3 || r.Periods[1].CreditInWindow != 3 || end(r) != "2025-01-03" {
		t.Fatalf("ties: %+v end %s", r.Periods, end(r))
	}
	// an extend period in the contract removes its credit and lengthens the window (pl2025)
	r = mustSolve(t, newCase("1995-03-10", "2026-06-01", per("sickness_mutual", "2026-07-06", "2026-07-17")))
	if end(r) != nthWeekday("2026-06-01", 270) || r.Periods[0].Treatment != "extend" || r.Window.ExtensionDays != 12 {
		t.Fatalf("sickness in the contract under pl2025: end %s %+v %+v", end(r), r.Periods, r.Window)
	}
	// a work period does not replace the contract: it adds (capped)
	r = mustSolve(t, newCase("1995-03-10", "2024-01-08", withQS(work("2024-02-05", "2024-02-16"), 19, 38)))
	if end(r) != "2025-01-03" {
		t.Fatalf("part-time job in a full-time contract: end %s", end(r))
	}
}

// §3, §12.7: days and hours are spread over all scheduled days of the period.
func TestDaysAndHours(t *testing.T) {
	days := work("2023-09-04", "2023-11-10") // 50 weekdays
	days.Days = fp(25)                       // 25 × 6/5 = 30, i.e. 0.6 a day
	hours := work("2023-09-04", "2023-11-10")
	hours.Hours, hours.S = fp(200), fp(40) // 200 × 6/40 = 30
	for _, p := range []Period{days, hours} {
		r := mustSolve(t, newCase("1995-03-10", "2024-01-08", p))
		if r.CreditedBeforeContract != 30 || r.Periods[0].CreditInWindow != 30 || end(r) != nthWeekday("2024-01-08", 235) {
			t.Fatalf("%+v: %+v end %s", p, r, end(r))
		}
	}
	// days in regime 3: days × 6/3 × Q/S
	d3 := work("2023-09-04", "2023-11-10")
	d3.DaysPerWeek, d3.Days = fp(3), fp(15)
	if r := mustSolve(t, newCase("1995-03-10", "2024-01-08", d3)); r.CreditedBeforeContract != 30 {
		t.Fatalf("regime 3 days: %v", r.CreditedBeforeContract)
	}
	// a window that cuts the period takes its share: 26 of its 50 days at C0
	cut := work("2022-03-07", "2022-05-13")
	cut.Days = fp(25)
	r := mustSolve(t, newCase("1995-03-10", "2024-01-08", cut, work("2022-06-01", "2023-12-29")))
	if r.Reason != "enough_days" || r.Window.From != "2022-04-08" || r.Periods[0].CreditInWindow != 15.6 {
		t.Fatalf("cut: %+v %+v", r.Window, r.Periods)
	}
}

// §4, V5: claim days mon-sat (default) or mon-fri, legal holidays excluded.
func TestClaimDays(t *testing.T) {
	c := newCase("1995-03-10", "2024-01-08")
	c.Options.ClaimDays = "mon-fri"
	r := mustSolve(t, c)
	if end(r) != "2025-01-03" || r.ClaimDate != "2025-01-06" || r.Window.From != "2023-04-06" {
		t.Fatalf("mon-fri: end %s claim %s window %+v", end(r), r.ClaimDate, r.Window)
	}
	// a contract ending before Christmas 2026: C is Saturday 26th or Monday 28th
	for _, tc := range []struct{ days, claim string }{{"mon-sat", "2026-12-26"}, {"mon-fri", "2026-12-28"}} {
		c := newCase("1995-03-10", "2025-12-26") // 260th weekday: Thursday 24 December 2026
		c.Options.ClaimDays = tc.days
		if r := mustSolve(t, c); end(r) != "2026-12-24" || r.ClaimDate != tc.claim {
			t.Errorf("%s: end %s claim %s", tc.days, end(r), r.ClaimDate)
		}
	}
}

// §2.2, §12.5, §12.6: readmission without stage.
func TestArt42(t *testing.T) {
	for _, tc := range []struct {
		lbd  string
		want bool
	}{
		{"2021-01-08", true},  // C0 − 3 years
		{"2021-01-07", false}, // one day more
		{"2024-01-07", true},  // C0 − 1
		{"2024-01-08", false}, // C0 itself
		{"2023-06-15", true},
	} {
		c := newCase("1995-03-10", "2024-01-08")
		c.LastBenefitDate = sp(tc.lbd)
		r := mustSolve(t, c)
		if got := r.Reason == "readmission_art42"; got != tc.want {
			t.Errorf("lastBenefitDate %s: reason %q", tc.lbd, r.Reason)
		}
		if tc.want && (!r.AlreadyAdmissible || r.Window != nil || r.RequiredDays != 0 || r.ReferenceMonths != 0 ||
			r.ContractEnd != nil || r.ClaimDate != "2024-01-08" || r.WindowCredit != 0 || r.RuleSet.ID != "ar1991" ||
			len(r.Warnings) != 0) {
			t.Errorf("readmission shape: %+v", r)
		}
	}
	// it takes precedence over enough days
	c := newCase("1995-03-10", "2024-01-08", work("2022-06-01", "2023-12-29"))
	c.LastBenefitDate = sp("2023-01-01")
	if r := mustSolve(t, c); r.Reason != "readmission_art42" {
		t.Errorf("art. 42 before enough_days: %q", r.Reason)
	}
	// C0 under pl2025: ignored with a warning
	c = newCase("1995-03-10", "2026-06-01")
	c.LastBenefitDate = sp("2026-01-01")
	// (and a second warning asks for the previous admission date, §12.5)
	if r := mustSolve(t, c); r.AlreadyAdmissible || end(r) != nthWeekday("2026-06-01", 260) || len(r.Warnings) != 2 ||
		!strings.Contains(r.Warnings[1], "previous admission date") {
		t.Errorf("pl2025 ignores art. 42: %+v", r)
	}
	// C0 = Friday 27 February 2026 is still ar1991, even if later claims are not
	c = newCase("1995-03-10", "2026-02-27")
	c.LastBenefitDate = sp("2025-01-01")
	if r := mustSolve(t, c); r.Reason != "readmission_art42" || r.ClaimDate != "2026-02-27" {
		t.Errorf("C0 on 27/02/2026: %+v", r)
	}
	c.Contract.Start = "2026-02-28" // Saturday: C0 = Saturday 28th, still ar1991
	if r := mustSolve(t, c); r.Reason != "readmission_art42" {
		t.Errorf("C0 on 28/02/2026: %+v", r)
	}
	c.Contract.Start = "2026-03-01" // Sunday: C0 = Monday 2 March, pl2025
	if r := mustSolve(t, c); r.AlreadyAdmissible || r.RuleSet.ID != "pl2025" || len(r.Warnings) != 2 {
		t.Errorf("C0 on 02/03/2026: %+v", r)
	}
}

// §2, §12.13: the rule set follows C; a contract straddling 1 March 2026.
func TestRuleSetSwitch(t *testing.T) {
	training := per("vocational_training", "2025-01-06", "2025-05-30") // 105 weekdays: 126 under ar1991, nothing under pl2025
	r := mustSolve(t, newCase("1995-03-10", "2025-06-02", training))
	if r.RuleSet.ID != "ar1991" || end(r) != nthWeekday("2025-06-02", 155) || r.CreditedBeforeContract != 126 {
		t.Fatalf("early contract: %s end %s before %v", r.RuleSet.ID, end(r), r.CreditedBeforeContract)
	}
	r = mustSolve(t, newCase("1995-03-10", "2025-09-01", training))
	if r.RuleSet.ID != "pl2025" || end(r) != nthWeekday("2025-09-01", 260) || r.Periods[0].Treatment != "none" ||
		r.ReferenceMonths != 36 || r.OptionID != "312/36" {
		t.Fatalf("straddling contract: %s end %s %+v", r.RuleSet.ID, end(r), r.Periods)
	}
	if !strings.Contains(r.Steps[0], "on or after 01/03/2026") {
		t.Errorf("step 0: %q", r.Steps[0])
	}
}

// §2: pl2025 is 312 days in 36 months at any age, with a window capped at 15 years.
func TestPL2025(t *testing.T) {
	r := mustSolve(t, newCase("1960-01-01", "2026-06-01"))
	if r.AgeAtClaim != 67 || r.OptionID != "312/36" || r.RequiredDays != 312 || r.ReferenceMonths != 36 ||
		end(r) != nthWeekday("2026-06-01", 260) {
		t.Fatalf("age 67: %+v", r)
	}
	// 26 years of career interruption before the contract: the window stops at C − 15 years
	r = mustSolve(t, newCase("1995-03-10", "2026-06-01", per("career_interruption", "2000-01-03", "2026-05-29")))
	c := r.ClaimDate
	if r.Window.From != shift(c, -15, 0, 0) || r.Window.ExtensionDays != day(shift(c, 0, -36, 0))-day(shift(c, -15, 0, 0)) {
		t.Fatalf("15-year cap: claim %s window %+v", c, r.Window)
	}
	if !strings.Contains(strings.Join(r.Steps, "\n"), "capped") {
		t.Errorf("steps do not mention the cap")
	}
	// ar1991 has no cap
	r = mustSolve(t, newCase("1995-03-10", "2024-01-08", per("career_interruption", "2000-01-03", "2024-01-05")))
	if r.Window.From >= "2000-01-03" {
		t.Fatalf("ar1991 uncapped: %+v", r.Window)
	}
}

// §2.1, §12.1: the P alternatives of 36–49 and ≥ 50, with regime-6 work
// (one credit per Monday–Saturday) for exact counts of P.
func TestPAlternatives(t *testing.T) {
	old := func(weeks int, minusDays int) Period {
		p := work("2013-01-07", shift("2013-01-07", 0, 0, 7*weeks-2-minusDays))
		p.DaysPerWeek = fp(6)
		return p
	}
	start := "2024-01-08"
	for _, tc := range []struct {
		name, birth string
		p           Period
		option      string
		required    float64
		months      int
		weekdays    int
	}{
		{"36-49 P=1560", "1984-06-15", old(260, 0), "234/33+P1560", 234, 33, 195},
		{"36-49 P=1559", "1984-06-15", old(260, 1), "312/33+P8x(468-X)", 312, 33, 260},
		{"36-49 P=1248", "1984-06-15", old(208, 0), "312/33+P8x(468-X)", 312, 33, 260},
		{"36-49 P=1247", "1984-06-15", old(208, 1), "312/33+P8x(468-X)", 312, 33, 261},
		{"≥50 P=1560", "1970-06-15", old(260, 0), "312/42+P1560", 312, 42, 260},
		{"≥50 P=1500", "1970-06-15", old(250, 0), "416/42+P8x(624-X)", 416, 42, 364},
		{"<36 no P", "1995-03-10", old(260, 0), "312/21", 312, 21, 260},
		{"36-49 P=60", "1984-06-15", old(10, 0), "312/33+P8x(468-X)", 312, 33, 384}, // X ≥ 468 − 60/8
		{"36-49 no P", "1984-06-15", work("1990-01-01", "1990-12-31"), "468/33", 468, 33, 390},
	} {
		r := mustSolve(t, newCase(tc.birth, start, tc.p))
		if r.OptionID != tc.option || r.RequiredDays != tc.required || r.ReferenceMonths != tc.months ||
			end(r) != nthWeekday(start, tc.weekdays) {
			t.Errorf("%s: option %s required %v months %d end %s, want %s %v %d %s", tc.name, r.OptionID,
				r.RequiredDays, r.ReferenceMonths, end(r), tc.option, tc.required, tc.months, nthWeekday(start, tc.weekdays))
		}
	}
}

// §2.1: age in completed years at C, 29 February birthdays on 1 March in non-leap years.
func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth, at string
		age       int
	}{
		{"2000-02-29", "2023-02-28", 22},
		{"2000-02-29", "2023-03-01", 23},
		{"2000-02-29", "2024-02-28", 23},
		{"2000-02-29", "2024-02-29", 24},
		{"1976-02-29", "2026-02-28", 49},
		{"1976-02-29", "2026-03-01", 50},
		{"1990-07-30", "2026-07-29", 35},
		{"1990-07-30", "2026-07-30", 36},
	} {
		y, m, d := civil(day(tc.birth))
		if got := ageAt(y, m, d, day(tc.at)); got != tc.age {
			t.Errorf("born %s, at %s: %d, want %d", tc.birth, tc.at, got, tc.age)
		}
	}
	// turning 36 on 29 February 2024 drops the 21-month option just before it would hold
	r := mustSolve(t, newCase("1988-02-29", "2023-03-06"))
	if r.AgeAtClaim != 36 || r.OptionID != "468/33" || end(r) != nthWeekday("2023-03-06", 390) {
		t.Errorf("born 29/02/1988: age %d option %s end %s", r.AgeAtClaim, r.OptionID, end(r))
	}
	r = mustSolve(t, newCase("1988-03-03", "2023-03-06"))
	if r.AgeAtClaim != 35 || r.OptionID != "312/21" || end(r) != "2024-03-01" {
		t.Errorf("born 03/03/1988: age %d option %s end %s", r.AgeAtClaim, r.OptionID, end(r))
	}
}

// §12.2: months day to day, clamped to the end of the month.
func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-05-31", -3, "2025-02-28"},
		{"2024-05-31", -3, "2024-02-29"},
		{"2025-01-04", -21, "2023-04-04"},
		{"2024-03-31", 1, "2024-04-30"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", -120, "2014-02-28"},
		{"2025-12-15", 1, "2026-01-15"},
	} {
		if got := isoDate(addMonths(day(tc.from), tc.n)); got != tc.want {
			t.Errorf("%s %+d months = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

// The table of month starts gives what the calendar arithmetic gives, inside
// the table, at its edges and outside it.
func TestAddMonthsTableAgreesWithTheCalendar(t *testing.T) {
	for y := 1795; y <= 2305; y++ {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, 28, 29, 30, 31} {
				for _, n := range []int{-180, -120, -13, -1, 0, 1, 12} {
					if got, want := addMonthsCivil(y, m, d, n), addMonthsSlow(y*12+m-1+n, d); got != want {
						t.Fatalf("%d-%02d-%02d %+d months: %s, want %s", y, m, d, n, isoDate(got), isoDate(want))
					}
				}
			}
		}
	}
}

// §5, §12.2, §12.12: minimum and maximum durations.
func TestMinMaxDurations(t *testing.T) {
	start := "2024-01-08"
	w := work("2021-04-08", "2022-04-07") // brought back only by an extension (see TestKindBehaviour)
	for _, tc := range []struct {
		kind, from, to, start string
		treat                 string
	}{
		{"force_majeure", "2023-07-08", "2024-01-07", start, "extend"}, // no minimum
		{"self_employed", "2023-07-09", "2024-01-07", start, "none"},   // one day short of 6 months
		{"self_employed", "2023-07-08", "2024-01-07", start, "extend"},
		{"not_insured", "2023-07-09", "2024-01-07", start, "none"},
		{"self_employed", "2026-03-01", "2026-05-31", "2026-06-01", "extend"}, // pl2025: 3 months
		{"not_insured", "2026-03-02", "2026-05-31", "2026-06-01", "none"},
		{"detention", "2024-01-05", "2024-01-07", start, "extend"}, // no minimum
	} {
		r := mustSolve(t, newCase("1995-03-10", tc.start, w, per(tc.kind, tc.from, tc.to)))
		if got := r.Periods[1].Treatment; got != tc.treat {
			t.Errorf("%s %s..%s: %s, want %s", tc.kind, tc.from, tc.to, got, tc.treat)
		}
		if short := tc.treat == "none"; short != (len(r.Warnings) == 1) {
			t.Errorf("%s %s..%s: warnings %q", tc.kind, tc.from, tc.to, r.Warnings)
		}
	}
	// a too-short period still replaces work on its days
	r := mustSolve(t, newCase("1995-03-10", start, per("child_raising", "2024-02-05", "2024-02-09")))
	if end(r) != nthWeekday(start, 265) {
		t.Errorf("short child raising in the contract: end %s", end(r))
	}
	// 15 years of a job not insured extend by the last 12 years only (ar1991)
	r = mustSolve(t, newCase("1995-03-10", start, per("not_insured", "2009-01-08", "2024-01-07")))
	if want := day("2024-01-08") - day("2012-01-08"); r.Window.ExtensionDays != want {
		t.Errorf("12-year maximum: extension %d, want %d", r.Window.ExtensionDays, want)
	}
	// under pl2025 there is no maximum (the 15-year cap applies instead)
	r = mustSolve(t, newCase("1995-03-10", "2026-06-01", per("self_employed", "2000-01-03", "2026-05-31")))
	if r.Window.From != shift(r.ClaimDate, -15, 0, 0) {
		t.Errorf("pl2025 self-employed: %+v", r.Window)
	}
}

// §8, §12.14: no end date within 6 years.
func TestUnreachable(t *testing.T) {
	c := newCase("1995-03-10", "2024-01-08")
	c.Contract.Q, c.Contract.S = fp(1), fp(60)
	u := mustUnreachable(t, c)
	if u.Horizon != "2030-01-07" || u.BestRequiredDays != 312 || u.BestCredit < 15 || u.BestCredit > 16 || u.BestContractEnd == "" || u.Message == "" {
		t.Fatalf("%+v", u)
	}
	// a whole-contract sickness under pl2025 leaves no credit at all
	c = newCase("1995-03-10", "2026-06-01", per("sickness_mutual", "2026-06-01", "2033-12-31"))
	if u := mustUnreachable(t, c); u.BestCredit != 0 || u.Horizon != "2032-05-31" {
		t.Fatalf("%+v", u)
	}
}

// §12.6: already admissible before the contract.
func TestEnoughDays(t *testing.T) {
	r := mustSolve(t, newCase("1995-03-10", "2024-01-08", work("2022-06-01", "2023-12-29")))
	if r.Reason != "enough_days" || !r.AlreadyAdmissible || r.ContractEnd != nil || r.ContractCredit != 0 ||
		r.ContractScheduledDays != 0 || r.ClaimDate != "2024-01-08" || r.Window == nil || r.Window.To != "2024-01-07" ||
		r.OptionID != "312/21" || r.WindowCredit < 312 || r.CreditedBeforeContract != r.WindowCredit {
		t.Fatalf("%+v", r)
	}
	for _, s := range r.Timeline.Spans {
		if s.Role == "contract" || s.Role == "end" {
			t.Errorf("timeline of an enough_days result has %s", s.Role)
		}
	}
}

// §2.1, §12.15: P is the credit of the 120 months before the window start,
// [from − 120 months, from − 1], cut by previousAdmissionDate in a rule set
// that has both (none does today: a test rule set checks the mechanism).
func TestPWindowBounds(t *testing.T) {
	day6 := func(d string) Period { p := work(d, d); p.DaysPerWeek = fp(6); return p }
	c := newCase("1984-06-15", "2024-01-08", // C0 = 08/01/2024, 33-month window from 08/04/2021
		day6("2011-04-07"), day6("2011-04-08"), day6("2021-04-07"), // out, in, in
		work("2022-01-03", "2022-12-30")) // 312 in the window
	eval := func(rs *ruleSet, pad string) evalOut {
		p, errs := c.prepare(langEN)
		if errs != nil {
			t.Fatal(errs)
		}
		if pad != "" {
			p.pad, p.hasPAD = day(pad), true
		}
		e := newEngine(p, new(arena), horizonMonths)
		ly := e.buildLayer(rs, 0, e.reach[0], e.pReach[0], nil)
		C := e.claim(0)
		cy, cm, cd := civil(C)
		var r evalOut
		e.evalOption(&r, ly, &rs.rows[1].options[2], e.evals[0], C, cy, cm, cd, false) // 234/33+P1560
		return r
	}
	r := eval(&ruleSets[0], "")
	if isoDate(r.from) != "2021-04-08" || r.x != 312 || r.p != 2 {
		t.Fatalf("from %s X %v P %v", isoDate(r.from), r.x, r.p)
	}
	rs := ruleSets[0]
	rs.previousAdmission = true
	if r := eval(&rs, "2011-04-08"); r.p != 1 {
		t.Fatalf("P after a previous admission: %v", r.p)
	}
}

// §3: a period's days can weigh more than a scheduled day; the cap is weekly.
func TestDaysAboveOnePerDay(t *testing.T) {
	p := work("2023-09-04", "2023-09-06") // Monday–Wednesday
	p.Days = fp(5)                        // 5 × 6/5 = 6 over 3 days
	r := mustSolve(t, newCase("1995-03-10", "2024-01-08", p))
	if r.Periods[0].CreditInWindow != 6 || r.CreditedBeforeContract != 6 {
		t.Fatalf("%+v", r.Periods)
	}
}

// §12.11: the convention list.
func TestConventionCountries(t *testing.T) {
	for _, c := range strings.Fields("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH GB") {
		if !convention.has(c) {
			t.Errorf("%s must be a convention country", c)
		}
	}
	for _, c := range strings.Fields("US MA TR CA UK EL RS AL") {
		if convention.has(c) {
			t.Errorf("%s is not a convention country", c)
		}
	}
	if n := len(strings.Fields(iso3166)); n != 249 {
		t.Errorf("%d ISO codes", n)
	}
}

// Day numbers agree with the time package, weekdays included.
func TestDayNumbers(t *testing.T) {
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2200; d = d.AddDate(0, 0, 1) {
		z := int(d.Sub(epoch).Hours() / 24)
		if got := daysFromCivil(d.Year(), int(d.Month()), d.Day()); got != z {
			t.Fatalf("%s: %d, want %d", d.Format(time.DateOnly), got, z)
		}
		if y, m, dd := civil(z); y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d", z, y, m, dd)
		}
		if w := (int(d.Weekday()) + 6) % 7; weekday(z) != w {
			t.Fatalf("%s: weekday %d", d.Format(time.DateOnly), weekday(z))
		}
	}
	if daysFromCivil(-1, 3, 1) != daysFromCivil(-1, 2, 28)+1 || civil0(daysFromCivil(-5, 12, 31)) != "-5-12-31" {
		t.Fatal("negative years")
	}
}

func civil0(z int) string {
	y, m, d := civil(z)
	return strconv.Itoa(y) + "-" + strconv.Itoa(m) + "-" + strconv.Itoa(d)
}

// Solve scans the contract's first years before the whole horizon
// (firstHorizonMonths); a period after them still gets the treatment its own
// days give it: unpaid leave among the first 10 days of its year is credit
// under ar1991 (§12.8), wherever it lies.
func TestAPeriodAfterTheFirstYearsKeepsItsTreatment(t *testing.T) {
	c := newCase("1995-03-10", "2024-01-08", work("2022-04-11", "2023-12-22"),
		per("unpaid_leave", "2026-06-01", "2026-06-05"))
	r := mustSolve(t, c)
	if r.RuleSet.ID != "ar1991" || r.Periods[1].Treatment != "credit" {
		t.Fatalf("unpaid leave after the first years: %s %+v", r.RuleSet.ID, r.Periods[1])
	}
	fullHorizon = true
	defer func() { fullHorizon = false }()
	if rh := mustSolve(t, c); !reflect.DeepEqual(r, rh) {
		t.Fatalf("whole horizon at once differs:\n%+v\n%+v", r, rh)
	}
}
