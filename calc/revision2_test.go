package calc

import (
	"strings"
	"testing"
)

// The seven changes of RULES.md revision 2 (§13), each pinned at its edge:
// every test here fails when its rule is reverted.

const (
	rev2Birth = "1995-03-10"
	rev2Start = "2024-01-08" // a Monday: C0 = 08/01/2024, the 21-month window of C0 starts on 08/04/2022
)

func abroadWork(country, from, to string) Period {
	p := work(from, to)
	p.Country = country
	return p
}

func childRaising(from, to, birth string, disability bool) Period {
	p := per("child_raising", from, to)
	p.ChildBirthDate = sp(birth)
	if disability {
		p.ChildDisability = bp(true)
	}
	return p
}

func warned(r *Result, part string) bool {
	return strings.Contains(strings.Join(r.Warnings, "\n"), part)
}

// Change 1: a 14-year self-employment extends by all its days (it used to
// stop at 12 years), which brings back a job of 2009; 20 years extend by 15.
func TestSelfEmploymentExtendsForAtMostFifteenYearsUnderAR1991(t *testing.T) {
	job := work("2009-01-08", "2010-01-07") // 261 weekdays: 313.2 days
	r := mustSolve(t, newCase(rev2Birth, rev2Start, job, per("self_employed", "2010-01-08", "2024-01-07")))
	if r.Reason != "enough_days" || r.Periods[1].Treatment != "extend" || r.Periods[0].CreditInWindow != 313.2 {
		t.Fatalf("14 years of self-employment: %+v", r)
	}
	r = mustSolve(t, newCase(rev2Birth, rev2Start, per("self_employed", "2004-01-08", "2024-01-07")))
	if want := day("2024-01-08") - day("2009-01-08"); r.Window.ExtensionDays != want {
		t.Fatalf("20 years of self-employment: extension %d, want %d (15 years)", r.Window.ExtensionDays, want)
	}
	if !strings.Contains(strings.Join(r.Steps, "\n"), "at most 15 years: secondary source") {
		t.Errorf("the step does not say which rule the maximum comes from: %q", r.Steps)
	}
}

// Change 2: 20 years of work abroad that does not count extend by their
// last 15 years only (they used to extend by all 20).
func TestAbroadWorkThatDoesNotCountExtendsForAtMostFifteenYears(t *testing.T) {
	r := mustSolve(t, newCase(rev2Birth, rev2Start, abroadWork("US", "2004-01-08", "2024-01-07")))
	if want := day("2024-01-08") - day("2009-01-08"); r.Periods[0].Treatment != "extend" || r.Window.ExtensionDays != want {
		t.Fatalf("20 years in the US: %+v extension %d, want %d", r.Periods[0], r.Window.ExtensionDays, want)
	}
	// 14 years extend by all their days
	r = mustSolve(t, newCase(rev2Birth, rev2Start, abroadWork("US", "2010-01-08", "2024-01-07")))
	if want := day("2024-01-08") - day("2010-01-08"); r.Window.ExtensionDays != want {
		t.Fatalf("14 years in the US: extension %d, want %d", r.Window.ExtensionDays, want)
	}
}

// Change 3 (§12.11): work abroad counts once the Belgian salaried employment
// after it lasts 3 calendar months, part time or not. France from the
// window's start to 31/03/2023 (256 weekdays: 307.2 days), then a half-time
// Belgian job from Saturday 01/04/2023: 3 months are the 91 days to 30/06.
func TestAbroadWorkCountsAfterThreeCalendarMonthsOfBelgianEmployment(t *testing.T) {
	fr := abroadWork("FR", "2022-04-08", "2023-03-31")
	half := func(to string) Period { return withQS(work("2023-04-01", to), 19, 38) }
	// exactly 3 months, a half-time job (39 days of credit: fewer than the 78 of revision 1)
	r := mustSolve(t, newCase(rev2Birth, rev2Start, fr, half("2023-06-30")))
	if r.Reason != "enough_days" || r.Periods[0].Treatment != "credit" || r.Periods[0].CreditInWindow != 307.2 {
		t.Fatalf("3 months of half-time work: %+v", r)
	}
	// one day short at C0: the contract's first day completes the 3 months
	r = mustSolve(t, newCase(rev2Birth, rev2Start, fr, half("2023-06-29")))
	if r.AlreadyAdmissible || end(r) != "2024-01-08" || r.Periods[0].Treatment != "credit" {
		t.Fatalf("3 months minus one day: %+v end %s", r, end(r))
	}
	// until then it extends, with a warning naming the 3 months
	r = mustSolve(t, newCase(rev2Birth, rev2Start, work("2022-06-01", "2023-11-30"), abroadWork("FR", "2023-12-04", "2023-12-29")))
	if r.Reason != "enough_days" || r.Periods[1].Treatment != "extend" || !warned(r, "followed by 3 months") {
		t.Errorf("work abroad that does not count yet: %+v", r)
	}
}

// Change 3: after Bosnia-Herzegovina, North Macedonia or Montenegro the
// Belgian employment must last 6 months: 183 days from Saturday 01/04/2023.
func TestAbroadWorkInBosniaNeedsSixMonthsOfBelgianEmployment(t *testing.T) {
	solve := func(country, to string) *Result {
		c := newCase(rev2Birth, rev2Start, abroadWork(country, "2022-04-08", "2023-03-31"), work("2023-04-01", to))
		c.Options.ConventionCountries = []string{"BA"}
		return mustSolve(t, c)
	}
	if r := solve("BA", "2023-09-30"); r.Reason != "enough_days" || r.Periods[0].Treatment != "credit" {
		t.Fatalf("6 months after BA: %+v", r)
	}
	// one day short: only the contract's first day completes them
	if r := solve("BA", "2023-09-29"); r.AlreadyAdmissible || end(r) != "2024-01-08" {
		t.Fatalf("6 months minus one day after BA: %+v end %s", r, end(r))
	}
	// the same employment is plenty after France
	if r := solve("FR", "2023-09-29"); r.Reason != "enough_days" {
		t.Fatalf("after FR: %+v", r)
	}
}

// Change 3: a frontier worker's work abroad counts with no Belgian
// employment after it; without the mark it waits for 3 months of contract.
func TestFrontierWorkerCountsWithoutBelgianEmploymentAfterIt(t *testing.T) {
	fr := abroadWork("FR", "2022-04-08", "2023-12-29")
	r := mustSolve(t, newCase(rev2Birth, rev2Start, fr))
	// the contract's days [08/01, E] reach the 91 days of [08/01, 07/04] on
	// Sunday 07/04/2024: the first candidate after it is Monday 8 April
	if end(r) != "2024-04-08" || r.Periods[0].Treatment != "credit" {
		t.Fatalf("not a frontier worker: end %s %+v", end(r), r.Periods)
	}
	fr.FrontierWorker = bp(true)
	if r := mustSolve(t, newCase(rev2Birth, rev2Start, fr)); r.Reason != "enough_days" || r.Periods[0].Treatment != "credit" {
		t.Fatalf("frontier worker: %+v", r)
	}
	// outside the convention list a frontier worker's work does not count
	us := abroadWork("US", "2022-04-08", "2023-12-29")
	us.FrontierWorker = bp(true)
	if r := mustSolve(t, newCase(rev2Birth, rev2Start, us)); r.Periods[0].Treatment != "extend" {
		t.Fatalf("frontier worker in the US: %+v", r.Periods)
	}
}

// Change 4: days of full unemployment benefits give no credit under ar1991
// (they used to count like work), with a warning pointing to art. 42.
func TestUnemploymentBenefitsGiveNoCreditUnderAR1991(t *testing.T) {
	r := mustSolve(t, newCase(rev2Birth, rev2Start, per("unemployment_benefits", "2023-01-02", "2023-06-30")))
	if r.Periods[0].Treatment != "none" || r.CreditedBeforeContract != 0 || end(r) != "2025-01-03" {
		t.Fatalf("benefits: %+v end %s", r, end(r))
	}
	if !warned(r, "give the last benefit date") {
		t.Errorf("no warning: %q", r.Warnings)
	}
}

// Change 5 (§12.5): art. 42's 3 years before C0 are extended like a window.
// A 10-day detention in them moves their start from 08/01/2021 to
// 29/12/2020; a detention over December 2020 then extends them through it
// (the fixpoint), to 28/11/2020.
func TestArt42ThreeYearsAreExtendedLikeAWindow(t *testing.T) {
	for _, tc := range []struct {
		lbd     string
		periods []Period
		want    bool
	}{
		{"2021-01-07", nil, false}, // just over 3 years: not without an extension
		{"2021-01-07", []Period{per("detention", "2022-03-01", "2022-03-10")}, true},
		{"2020-12-29", []Period{per("detention", "2022-03-01", "2022-03-10")}, true},
		{"2020-12-28", []Period{per("detention", "2022-03-01", "2022-03-10")}, false},
		{"2020-11-28", []Period{per("detention", "2022-03-01", "2022-03-10"), per("detention", "2020-12-01", "2020-12-31")}, true},
		{"2020-11-27", []Period{per("detention", "2022-03-01", "2022-03-10"), per("detention", "2020-12-01", "2020-12-31")}, false},
		// a period too short to extend (child raising under 6 months) does not move them
		{"2021-01-07", []Period{childRaising("2022-03-01", "2022-03-10", "2020-01-01", false)}, false},
	} {
		c := newCase(rev2Birth, rev2Start, tc.periods...)
		c.LastBenefitDate = sp(tc.lbd)
		r := mustSolve(t, c)
		if got := r.Reason == "readmission_art42"; got != tc.want {
			t.Errorf("lastBenefitDate %s with %d periods: reason %q", tc.lbd, len(tc.periods), r.Reason)
		}
		if !strings.Contains(strings.Join(r.Steps, "\n"), "3 years extended like a reference period") {
			t.Errorf("%s: the steps do not cite the rule: %q", tc.lbd, r.Steps)
		}
	}
}

// Change 6 (§12.19): child raising extends only before the child's 6th
// birthday (18th with a disability); the 6-month minimum applies to that part.
// The period 08/01/2023–07/01/2024 lies right before the contract.
func TestChildRaisingExtendsOnlyBeforeTheChildsSixthBirthday(t *testing.T) {
	from, to := "2023-01-08", "2024-01-07"
	for _, tc := range []struct {
		name, birth string
		disability  bool
		treat       string
		ext         int    // extension days at the end date
		warn        string // part of a warning
	}{
		{"6th birthday on 09/07/2023", "2017-07-09", false, "extend", day("2023-07-09") - day(from), ""},
		{"6th birthday on 08/07/2023: exactly 6 months before it", "2017-07-08", false, "extend", day("2023-07-08") - day(from), ""},
		{"6th birthday on 07/07/2023: one day short", "2017-07-07", false, "none", 0, "last less than 6 months"},
		{"18th birthday with a disability", "2005-07-09", true, "extend", day("2023-07-09") - day(from), ""},
		{"the same child without the disability is over 6", "2005-07-09", false, "none", 0, "starts on or after the child's 6th birthday (09/07/2011)"},
		{"a child of 2 all along", "2021-01-01", false, "extend", day(to) + 1 - day(from), ""},
	} {
		r := mustSolve(t, newCase(rev2Birth, rev2Start, childRaising(from, to, tc.birth, tc.disability)))
		if r.Periods[0].Treatment != tc.treat || r.Window.ExtensionDays != tc.ext {
			t.Errorf("%s: %+v extension %d, want %s %d", tc.name, r.Periods[0], r.Window.ExtensionDays, tc.treat, tc.ext)
		}
		if tc.warn != "" && !warned(r, tc.warn) || tc.warn == "" && len(r.Warnings) != 0 {
			t.Errorf("%s: warnings %q", tc.name, r.Warnings)
		}
	}
	// born on 29 February: the 6th birthday is 1 March 2022, so the 6 months
	// from 01/09/2021 to 28/02/2022 are all before it
	r := mustSolve(t, newCase(rev2Birth, rev2Start, childRaising("2021-09-01", "2022-12-31", "2016-02-29", false)))
	if r.Periods[0].Treatment != "extend" {
		t.Errorf("born on 29/02/2016: %+v %q", r.Periods[0], r.Warnings)
	}
	// without a birth date it is assumed before the 6th birthday, with a warning
	r = mustSolve(t, newCase(rev2Birth, rev2Start, per("child_raising", from, to)))
	if r.Window.ExtensionDays != 365 || !warned(r, "assumed to lie before the child's 6th birthday") {
		t.Errorf("no birth date: %+v %q", r.Window, r.Warnings)
	}
	// its days after the birthday still replace the contract's work (§12.9)
	r = mustSolve(t, newCase(rev2Birth, rev2Start, childRaising("2024-02-05", "2024-02-09", "2000-01-01", false)))
	if r.Periods[0].Treatment != "none" || end(r) != nthWeekday(rev2Start, 265) {
		t.Errorf("child raising after the birthday in the contract: %+v end %s", r.Periods[0], end(r))
	}
}

// Change 7 (§12.18): the new warnings, in the four languages.
func TestRevision2WarningsInFourLanguages(t *testing.T) {
	c := newCase(rev2Birth, rev2Start,
		per("unpaid_leave", "2023-03-06", "2023-03-31"), // 20 weekdays: 10 of them give no credit
		abroadWork("CH", "2023-02-06", "2023-02-10"),
		per("child_raising", "2022-01-03", "2022-12-30"),
		per("unemployment_benefits", "2023-04-03", "2023-04-28"))
	c.Contract.Q = fp(37) // part time, still under ar1991 at the end
	want := map[string][]string{
		"en": {"part time (Q < S)", "enter it as “force majeure”", "only for some nationalities", "assumed to lie before", "give the last benefit date"},
		"fr": {"temps partiel (Q < S)", "encodez-la comme « force majeure »", "certaines nationalités", "considérée comme antérieure", "date des dernières allocations"},
		"nl": {"deeltijds (Q < S)", "voer ze dan in als „overmacht”", "bepaalde nationaliteiten", "aangenomen dat ze vóór", "datum van de laatste uitkering"},
		"de": {"Teilzeitbeschäftigung (Q < S)", "als „höhere Gewalt“", "bestimmte Staatsangehörigkeiten", "angenommen, dass er vor", "Datum der letzten Leistungen"},
	}
	for l, parts := range want {
		r, err := Solve(c, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			if !warned(r, p) {
				t.Errorf("%s: no warning with %q in %q", l, p, r.Warnings)
			}
		}
	}
	// under pl2025 force majeure gives nothing either: no advice to use it
	r := mustSolve(t, newCase(rev2Birth, "2026-06-01", per("unpaid_leave", "2026-01-05", "2026-01-30")))
	if warned(r, "force majeure") {
		t.Errorf("pl2025: %q", r.Warnings)
	}
}

// Change 7 (§7): the new optional fields, only on the kinds that use them.
func TestRevision2FieldsAreOnlyAllowedOnTheirKinds(t *testing.T) {
	fw := work("2023-01-02", "2023-06-30")
	fw.FrontierWorker = bp(true) // on Belgian work
	sick := per("sickness_mutual", "2023-01-02", "2023-01-31")
	sick.FrontierWorker = bp(false) // false is still a field on the wrong kind
	cw := work("2022-01-03", "2022-01-31")
	cw.ChildBirthDate, cw.ChildDisability = sp("2020-01-01"), bp(false)
	bad := childRaising("2021-01-04", "2021-12-31", "2020-02-30", true)
	ok := abroadWork("FR", "2020-01-06", "2020-03-31")
	ok.FrontierWorker = bp(true)
	blank := per("child_raising", "2019-01-07", "2019-12-31")
	blank.ChildBirthDate = sp("") // empty: absent
	got := fieldsOf(t, newCase(rev2Birth, rev2Start, fw, sick, cw, bad, ok, blank).Validate("en"))
	want := map[string]string{
		"periods[0].frontierWorker":  "only for work abroad (a country other than BE)",
		"periods[1].frontierWorker":  "only allowed on a period of kind work",
		"periods[2].childBirthDate":  "only allowed on a period of kind child_raising",
		"periods[2].childDisability": "only allowed on a period of kind child_raising",
		"periods[3].childBirthDate":  "not a valid date (YYYY-MM-DD)",
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for p, m := range want {
		if got[p] != m {
			t.Errorf("%s: %q, want %q", p, got[p], m)
		}
	}
	// wrong JSON types
	_, err := Decode([]byte(`{"periods":[{"kind":"work","frontierWorker":"yes"},{"kind":"child_raising","childBirthDate":20200101,"childDisability":1}]}`), "fr")
	f := fieldsOf(t, err)
	if f["periods[0].frontierWorker"] != "doit valoir true ou false" || f["periods[1].childBirthDate"] == "" || f["periods[1].childDisability"] == "" {
		t.Errorf("types: %v", f)
	}
}

// The rule-set table says what each rule rests on, secondary sources included.
func TestRuleSetSourcesNameTheirGrounds(t *testing.T) {
	for _, tc := range []struct{ id, parts string }{
		{"ar1991", "art. 30|ONEM T31|art. 37 § 2|art. 38|ONEM T39|art. 42|art. 33|Secondary source|15 years|6th birthday|unemployment benefits"},
		{"pl2025", "Programme law of 18.07.2025|ONEM T200|art. 37 § 2|Secondary source|15 years"},
	} {
		for _, rs := range ruleSets {
			if rs.id != tc.id {
				continue
			}
			for _, p := range strings.Split(tc.parts, "|") {
				if !strings.Contains(rs.source, p) {
					t.Errorf("%s: source does not cite %q", rs.id, p)
				}
			}
		}
	}
}
