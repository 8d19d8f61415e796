package calc

import "testing"

// RULES.md §10, worked examples V1–V5.

func TestV1(t *testing.T) {
	r := mustSolve(t, newCase("1995-03-10", "2024-01-08"))
	want := Result{RuleSet: RuleSetRef{ID: "ar1991"}, AgeAtClaim: 29, OptionID: "312/21", Option: "312 days in 21 months",
		RequiredDays: 312, ReferenceMonths: 21, ContractCredit: 312, WindowCredit: 312, ContractScheduledDays: 260,
		ClaimDate: "2025-01-04"}
	if r.RuleSet.ID != want.RuleSet.ID || r.AgeAtClaim != 29 || r.Option != want.Option || r.OptionID != want.OptionID ||
		r.RequiredDays != 312 || r.ReferenceMonths != 21 || r.ContractCredit != 312 || r.WindowCredit != 312 ||
		r.ContractScheduledDays != 260 || r.ClaimDate != want.ClaimDate || end(r) != "2025-01-03" ||
		r.CreditedBeforeContract != 0 || r.AlreadyAdmissible {
		t.Fatalf("V1: %+v end %s", r, end(r))
	}
	if *r.Window != (Window{From: "2023-04-04", To: "2025-01-03"}) {
		t.Fatalf("V1 window %+v", *r.Window)
	}
}

func TestV2(t *testing.T) {
	r := mustSolve(t, newCase("1998-06-01", "2024-01-08", work("2023-01-02", "2023-06-30")))
	if r.CreditedBeforeContract != 156 || r.ContractCredit != 156 || end(r) != "2024-07-05" || r.ClaimDate != "2024-07-06" ||
		r.RequiredDays != 312 || r.ReferenceMonths != 21 || r.ContractScheduledDays != 130 {
		t.Fatalf("V2: %+v end %s", r, end(r))
	}
	if r.Periods[0].CreditInWindow != 156 || r.Periods[0].Treatment != "credit" {
		t.Fatalf("V2 period %+v", r.Periods[0])
	}
}

func TestV3(t *testing.T) {
	r := mustSolve(t, newCase("1998-06-01", "2024-01-08", work("2022-01-03", "2023-03-31")))
	if end(r) != "2024-04-05" || r.ClaimDate != "2024-04-06" || r.RequiredDays != 468 || r.ReferenceMonths != 33 ||
		r.Window.From != "2021-07-06" || r.CreditedBeforeContract != 390 || r.ContractCredit != 78 || r.OptionID != "468/33" {
		t.Fatalf("V3: %+v end %s window %+v", r, end(r), r.Window)
	}
	// "it holds 307.2 at the start": the 21-month window of C0.
	c := newCase("1998-06-01", "2024-01-08", work("2022-01-03", "2023-03-31"))
	p, _ := c.prepare(langEN)
	e := newEngine(p, new(arena), horizonMonths)
	C := e.claims[0]
	cy, cm, cd := civil(C)
	ly := e.layer(ruleSetFor(C), 0)
	var got evalOut
	e.evalOption(&got, ly, &ruleSets[0].rows[0].options[0], e.evals[0], C, cy, cm, cd, false)
	if round2(got.x) != 307.2 {
		t.Fatalf("V3 21-month credit at start = %v, want 307.2", got.x)
	}
}

func TestV3b(t *testing.T) {
	r := mustSolve(t, newCase("1998-06-01", "2024-01-08", work("2022-05-02", "2022-09-30")))
	if end(r) != "2025-01-03" || r.CreditedBeforeContract != 0 || r.RequiredDays != 312 || r.ClaimDate != "2025-01-04" {
		t.Fatalf("V3b: %+v end %s", r, end(r))
	}
}

func TestV4(t *testing.T) {
	p := func(from, to string, q float64) Period {
		x := work(from, to)
		x.Q, x.S = fp(q), fp(38)
		return x
	}
	r := mustSolve(t, newCase("1990-01-01", "2016-06-06",
		p("2016-05-02", "2016-05-13", 25), p("2016-05-17", "2016-05-20", 20), p("2016-05-24", "2016-05-31", 30)))
	if r.CreditedBeforeContract != 16.11 {
		t.Fatalf("V4 credited before = %v, want 16.11", r.CreditedBeforeContract)
	}
	want := []float64{7.89, 2.53, 5.68} // 300/38, 96/38, 216/38
	for i, w := range want {
		if r.Periods[i].CreditInWindow != w {
			t.Fatalf("V4 period %d = %v, want %v", i, r.Periods[i].CreditInWindow, w)
		}
	}
	// Exactly 612/38 before rounding: the contract needs 312 − 612/38 more.
	c := newCase("1990-01-01", "2016-06-06",
		p("2016-05-02", "2016-05-13", 25), p("2016-05-17", "2016-05-20", 20), p("2016-05-24", "2016-05-31", 30))
	pr, _ := c.prepare(langEN)
	e := newEngine(pr, new(arena), horizonMonths)
	ly := e.layer(0, 0)
	e.ensure(ly.main, day("2016-06-05")-e.lo)
	x := ly.main.full.sum(day("2016-05-01")-e.lo, day("2016-06-05")-e.lo)
	if d := x - 612.0/38; d > 1e-12 || d < -1e-12 {
		t.Fatalf("V4 exact credit %v, want 612/38", x)
	}
}

func TestV5(t *testing.T) {
	for _, tc := range []struct {
		e      string
		monFri bool
		c      string
	}{
		{"2026-12-24", false, "2026-12-26"},
		{"2026-12-24", true, "2026-12-28"},
		{"2025-10-31", false, "2025-11-03"},
		{"2025-10-31", true, "2025-11-03"},
	} {
		if got := isoDate(claimAfter(day(tc.e), tc.monFri)); got != tc.c {
			t.Errorf("claim after %s (monFri %v) = %s, want %s", tc.e, tc.monFri, got, tc.c)
		}
	}
}
