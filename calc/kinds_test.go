package calc

import (
	"slices"
	"testing"
)

// The kind table of RULES.md §6, written out again here so that a change of
// the engine's table fails the tests.
var wantTreatment = map[string][2]string{ // kind → {ar1991, pl2025}
	"work":                     {"credit", "credit"},
	"sickness_guaranteed_wage": {"credit", "credit"},
	"sickness_mutual":          {"credit", "extend"},
	"work_accident":            {"credit", "extend"},
	"occupational_disease":     {"credit", "extend"},
	"maternity":                {"credit", "credit"},
	"holiday":                  {"credit", "credit"},
	"compensatory_rest":        {"credit", "credit"},
	"temporary_unemployment":   {"credit", "credit"},
	"strike":                   {"credit", "credit"},
	"unemployment_benefits":    {"none", "none"}, // revision 2: no credit under ar1991 either
	"vocational_training":      {"credit", "none"},
	"unpaid_leave":             {"credit", "none"}, // ar1991: first 10 days of each year only
	"detention":                {"extend", "extend"},
	"force_majeure":            {"extend", "none"},
	"child_raising":            {"extend", "none"},
	"self_employed":            {"extend", "extend"},
	"not_insured":              {"extend", "extend"},
	"career_interruption":      {"extend", "extend"},
	"studies":                  {"extend", "none"},
}

func TestRuleSetTable(t *testing.T) {
	for i, rs := range ruleSets {
		if i > 0 && rs.validFrom != ruleSets[i-1].validTo+1 {
			t.Errorf("%s does not follow %s", rs.id, ruleSets[i-1].id)
		}
		for _, row := range rs.rows {
			if len(row.options) == 0 || len(row.options) > maxOptions {
				t.Errorf("%s: %d options", rs.id, len(row.options))
			}
		}
	}
}

func TestKindsOrderAndTreatmentOf(t *testing.T) {
	want := []string{"work", "sickness_guaranteed_wage", "sickness_mutual", "work_accident",
		"occupational_disease", "maternity", "holiday", "compensatory_rest", "temporary_unemployment",
		"strike", "unemployment_benefits", "vocational_training", "unpaid_leave", "detention",
		"force_majeure", "child_raising", "self_employed", "not_insured", "career_interruption", "studies"}
	if got := Kinds(); !slices.Equal(got, want) {
		t.Fatalf("Kinds() = %v", got)
	}
	for k, w := range wantTreatment {
		if got := TreatmentOf("ar1991", k); got != w[0] {
			t.Errorf("TreatmentOf(ar1991, %s) = %s, want %s", k, got, w[0])
		}
		if got := TreatmentOf("pl2025", k); got != w[1] {
			t.Errorf("TreatmentOf(pl2025, %s) = %s, want %s", k, got, w[1])
		}
	}
	if TreatmentOf("ar1991", "nope") != "" || TreatmentOf("x", "work") != "" {
		t.Error("unknown kind or rule set must give \"\"")
	}
}

// TestKindBehaviour checks, for every kind under each rule set, that the
// engine applies the treatment of the table. The contract starts at S; a
// 12-month period K of the kind lies right before S, and 12 months of work W
// lie right before the window of C0 (21 months under ar1991, 36 under pl2025):
//   - credit: K alone makes the person admissible before the contract;
//   - extend: K lengthens the window by its days, which brings W back in;
//   - none:   the end date is the one without K.
func TestKindBehaviour(t *testing.T) {
	for _, rs := range []struct {
		id, start, kFrom, kTo, wFrom, wTo string
		col                               int
	}{
		{"ar1991", "2024-01-08", "2023-01-08", "2024-01-07", "2021-04-08", "2022-04-07", 0},
		{"pl2025", "2026-06-01", "2025-06-01", "2026-05-31", "2022-06-01", "2023-05-31", 1},
	} {
		base := mustSolve(t, newCase("1995-03-10", rs.start, work(rs.wFrom, rs.wTo)))
		if base.RuleSet.ID != rs.id || base.AlreadyAdmissible || end(base) != nthWeekday(rs.start, 260) {
			t.Fatalf("%s baseline: %+v", rs.id, base)
		}
		for _, kind := range Kinds() {
			name := rs.id + "/" + kind
			r := mustSolve(t, newCase("1995-03-10", rs.start, work(rs.wFrom, rs.wTo), per(kind, rs.kFrom, rs.kTo)))
			k, w := r.Periods[1], r.Periods[0]
			if r.RuleSet.ID != rs.id {
				t.Fatalf("%s: rule set %s", name, r.RuleSet.ID)
			}
			switch want := wantTreatment[kind][rs.col]; {
			case kind == "unpaid_leave" && rs.id == "ar1991":
				// 10 days of 2023 and the 5 weekdays of 2024 in K: 15 × 6/5
				if k.Treatment != "credit" || r.AlreadyAdmissible || k.CreditInWindow <= 0 || k.CreditInWindow > 18 ||
					end(r) >= end(base) || end(r) < nthWeekday(rs.start, 245) {
					t.Errorf("%s: %+v end %s", name, k, end(r))
				}
			case want == "credit":
				if k.Treatment != "credit" || r.Reason != "enough_days" || r.Window.ExtensionDays != 0 || k.CreditInWindow < 312 {
					t.Errorf("%s: want credit, got %+v reason %q window %+v", name, k, r.Reason, r.Window)
				}
			case want == "extend":
				if k.Treatment != "extend" || r.Reason != "enough_days" || r.Window.ExtensionDays < 365 ||
					k.CreditInWindow != 0 || w.CreditInWindow < 312 {
					t.Errorf("%s: want extend, got %+v reason %q window %+v work %+v", name, k, r.Reason, r.Window, w)
				}
			case want == "none":
				if k.Treatment != "none" || r.AlreadyAdmissible || end(r) != end(base) || r.Window.ExtensionDays != 0 || k.CreditInWindow != 0 {
					t.Errorf("%s: want none, got %+v end %s window %+v", name, k, end(r), r.Window)
				}
			default:
				t.Fatalf("%s: no expectation", name)
			}
		}
	}
}
