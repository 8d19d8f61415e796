package calc

import "testing"

// The days counted from a contract end are the ones calc gives with that
// end (Result.ContractScheduledDays), for each schedule; a day later adds
// one only when the contract's schedule weighs that day.
func TestContractScheduledDaysAreThoseOfTheResult(t *testing.T) {
	for _, dpw := range []float64{3, 5, 6, 7} {
		d, full := dpw, 38.0
		c := Case{Person: Person{BirthDate: "1998-06-01"}, Contract: Contract{Start: "2024-01-08", DaysPerWeek: &d, Q: &full, S: &full}}
		res, err := Solve(&c, "fr")
		if err != nil || res.ContractEnd == nil {
			t.Fatalf("%v days a week: %v", dpw, err)
		}
		if got, ok := ContractScheduledDays(&c, *res.ContractEnd); !ok || got != res.ContractScheduledDays {
			t.Errorf("%v days a week: %d days to %s, calc's result says %d", dpw, got, *res.ContractEnd, res.ContractScheduledDays)
		}
	}
	five := 5.0
	c := Case{Contract: Contract{Start: "2024-01-08", DaysPerWeek: &five}} // a Monday
	for end, want := range map[string]int{"2024-01-07": 0, "2024-01-08": 1, "2024-01-12": 5, "2024-01-14": 5, "2024-01-15": 6, "2024-12-31": 257} {
		if got, ok := ContractScheduledDays(&c, end); !ok || got != want {
			t.Errorf("to %s: %d, %v; want %d", end, got, ok, want)
		}
	}
	bad := 4.5
	for _, c := range []Case{{Contract: Contract{Start: "2024-01-08", DaysPerWeek: &bad}}, {Contract: Contract{Start: "08/01/2024"}}} {
		if _, ok := ContractScheduledDays(&c, "2024-12-31"); ok {
			t.Errorf("counted days for %+v", c.Contract)
		}
	}
}
