package calc

import (
	"strconv"
	"testing"
)

// benchCase builds a deterministic case with n periods: a career of short
// jobs and events over the 20 years before the contract, most of them old
// (more than 4 years before the start), the rest sparse in the last years
// and during the contract (sickness, holidays), with part-time jobs, days
// and hours, work abroad and periods that extend the window.
func benchCase(n int) *Case {
	seed := uint64(12345)
	rnd := func(k int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(k))
	}
	start := day("2025-06-02")
	c := &Case{
		Person:   Person{NISS: "85073003328"},
		Contract: Contract{Start: isoDate(start), DaysPerWeek: fp(5), Q: fp(38), S: fp(38)},
	}
	for i := 0; i < n; i++ {
		var from, length int
		var p Period
		if rnd(100) < 85 {
			from = start - 4*365 - rnd(16*365)
			switch r := rnd(100); {
			case r < 55:
				p.Kind, length = "work", 3+rnd(40)
				if rnd(4) == 0 {
					p.Q, p.S = fp(float64(10+rnd(28))), fp(38)
				}
				if rnd(10) == 0 {
					p.Days = fp(float64(1 + rnd(length)))
				}
				if rnd(20) == 0 {
					p.Country = "FR"
				}
			case r < 65:
				p.Kind, length = "holiday", 1+rnd(10)
			case r < 75:
				p.Kind, length = "sickness_mutual", 5+rnd(60)
			case r < 82:
				p.Kind, length = "unemployment_benefits", 20+rnd(100)
			case r < 87:
				p.Kind, length = "vocational_training", 10+rnd(60)
			case r < 92:
				p.Kind, length = "studies", 30+rnd(200)
			case r < 96:
				p.Kind, length = "detention", 10+rnd(90)
			default:
				p.Kind, length = "self_employed", 60+rnd(300)
			}
		} else {
			from = start - 3*365 + rnd(4*365)
			switch r := rnd(100); {
			case r < 40:
				p.Kind, length = "sickness_guaranteed_wage", 1+rnd(10)
			case r < 70:
				p.Kind, length = "holiday", 1+rnd(5)
			case r < 85:
				p.Kind, length = "work", 2+rnd(10)
				p.Hours, p.S = fp(float64(4+rnd(30))), fp(38)
			default:
				p.Kind, length = "unpaid_leave", 1+rnd(15)
			}
		}
		p.From, p.To = isoDate(from), isoDate(from+length-1)
		p.Label = "p" + strconv.Itoa(i)
		c.Periods = append(c.Periods, p)
	}
	return c
}

func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{0, 50, 200, 800} {
		c := benchCase(n)
		if _, err := Solve(c, "en"); err != nil {
			b.Fatalf("%d: %v", n, err)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(c, "en"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchCases(t *testing.T) {
	for _, n := range []int{0, 50, 200, 800} {
		r, err := Solve(benchCase(n), "en")
		if err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		t.Logf("%d periods: %s end %s, claim %s, %d scheduled days, window %+v", n, r.RuleSet.ID, end(r), r.ClaimDate, r.ContractScheduledDays, *r.Window)
	}
}
