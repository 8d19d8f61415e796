package calc

import (
	"cmp"
	"slices"
	"testing"
)

// sortPeriods orders the periods as a comparison sort on every field the
// engine uses, then input order, whatever the input order and with ties on
// any of them (the packed key and the fix-up of equal keys).
func TestSortPeriodsOrdersByEveryFieldThenInputOrder(t *testing.T) {
	seed := uint64(3)
	rnd := func(k int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(k))
	}
	compare := func(a, b pperiod) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.kind, b.kind),
			cmp.Compare(a.dpw, b.dpw), cmp.Compare(b2i(a.months == 6), b2i(b.months == 6)),
			cmp.Compare(b2i(a.frontier), b2i(b.frontier)), cmp.Compare(b2i(a.abroad), b2i(b.abroad)),
			cmp.Compare(b2i(a.conv), b2i(b.conv)), cmp.Compare(a.v, b.v), cmp.Compare(a.sched, b.sched),
			cmp.Compare(a.idx, b.idx))
	}
	a := new(arena)
	for n := 0; n <= 70; n++ {
		in := make([]pperiod, n)
		for i := range in {
			from := maxInputDay - 3 + rnd(2)
			if rnd(2) == 0 {
				from = minInputDay + rnd(2)
			}
			in[i] = pperiod{idx: i, from: from, to: from + rnd(3), kind: numKinds - 1 - rnd(2), dpw: 7 - rnd(2),
				months: uint8(3 + 3*rnd(2)), frontier: rnd(2) == 0, abroad: rnd(2) == 0, conv: rnd(2) == 0,
				v: float64(rnd(3)) / 2, sched: uint8(rnd(2))}
		}
		want := slices.Clone(in)
		slices.SortFunc(want, compare)
		if got := sortPeriods(in, a); !slices.Equal(got, want) {
			t.Fatalf("%d periods:\n%v\nwant\n%v", n, got, want)
		}
		a.reset()
	}
}

// kindIndex finds every kind by its id, through its slot or the search of
// a shared slot, and nothing for other strings.
func TestKindIndexFindsEveryKindAndNothingElse(t *testing.T) {
	for i, k := range kindIDs {
		if got := kindIndex(k); got != i {
			t.Errorf("kindIndex(%q) = %d, want %d", k, got, i)
		}
		if got := kindIndex(k + "x"); got != -1 {
			t.Errorf("kindIndex(%q) = %d, want -1", k+"x", got)
		}
	}
	for _, s := range []string{"", "w", "Work", "holidays", "workk"} {
		if got := kindIndex(s); got != -1 {
			t.Errorf("kindIndex(%q) = %d, want -1", s, got)
		}
	}
}
