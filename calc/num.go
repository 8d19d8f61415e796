package calc

import (
	"math"
	"strconv"
)

// Arithmetic (RULES.md §3 "Exactness").
//
// Credits are float64 regime-6 days. Every decision compares with the single
// tolerance eps below, through atLeast; nothing else in the package compares
// credits. Two things keep the error far below eps:
//   - a day's credit is computed in one expression from the exact inputs
//     (6·Q / (5·S), not 6/5 then ·Q then /S), so it carries one rounding;
//   - running sums over the timeline are compensated (Neumaier): a prefix
//     stores the rounded sum and the accumulated rounding error separately,
//     so a window sum over 200 years of days is still exact to ~1e-12.
//
// Hence 260 weekdays × 6/5 reaches 312 and 612/38 does not drift. Values are
// rounded half-up to 2 decimals only when the result is printed (round2).
const eps = 1e-9

// atLeast reports whether credit x reaches the requirement req.
func atLeast(x, req float64) bool { return x >= req-eps }

// round2 rounds half-up to 2 decimals for output. The tiny bias absorbs the
// binary representation of values such as 0.125 or 16.105 (eps scaled by 100).
func round2(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	r := math.Floor(x*100+0.5+eps*100) / 100
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// prefix holds running sums of values at indexes base, base+1, … (base a
// Monday): within a week a plain sum (at most 7 values of at most 6: exact to
// ~1e-15), across weeks a compensated one. The sum of [base, i] is
// wk[w] + cum[i−base], w being i's week. Values before base are 0. It is
// filled by engine.ensure, which closes each week into wk.
type prefix struct {
	base int
	cum  []float64     // running sum since the Monday of the index's week
	wk   []compensated // sum of the weeks before week w
}

func newPrefix(a *arena, base, n int) prefix {
	p := prefix{base: base, cum: a.floats(n, false), wk: take(&a.c, n/7+1, false)}
	p.wk[0] = compensated{} // every other entry is written before it is read
	return p
}

// through returns the sum of [base, li] (local index, −1 for none).
func (p *prefix) through(li int) compensated {
	if li < 0 {
		return compensated{}
	}
	c := p.wk[li/7]
	c.lo += p.cum[li] // the week's part joins the small term
	return c
}

// sum returns the sum of values at indexes [a, b], clamped to the array.
func (p *prefix) sum(a, b int) float64 {
	a, b = max(a-p.base, 0), min(b-p.base, len(p.cum)-1)
	if a > b {
		return 0
	}
	if a/7 == b/7 { // same week
		if a%7 == 0 {
			return p.cum[b]
		}
		return p.cum[b] - p.cum[a-1]
	}
	return p.through(b).minus(p.through(a - 1))
}

// closeWeek adds the week before local index li (a Monday) to the
// compensated sum of the weeks and returns the new week's credit so far, 0.
func (p *prefix) closeWeek(li int) float64 {
	p.wk[li/7] = p.wk[li/7-1]
	p.wk[li/7].add(p.cum[li-1])
	return 0
}

// day returns the value at index i, 0 outside the array: sum(i, i).
func (p *prefix) day(i int) float64 {
	li := i - p.base
	switch {
	case li < 0 || li >= len(p.cum):
		return 0
	case li%7 == 0:
		return p.cum[li]
	}
	return p.cum[li] - p.cum[li-1]
}

// days writes day(i) for the indexes i = a, a+1, … into out.
func (p *prefix) days(out []float64, a int) {
	li := a - p.base
	if li < 0 || li+len(out) > len(p.cum) { // some outside the array
		for d := range out {
			out[d] = p.day(a + d)
		}
		return
	}
	cum := p.cum[li : li+len(out)]
	for d, w := 0, li%7; d < len(cum); d++ {
		if w == 0 {
			out[d] = cum[d]
		} else if d == 0 {
			out[d] = cum[0] - p.cum[li-1]
		} else {
			out[d] = cum[d] - cum[d-1]
		}
		if w++; w == 7 {
			w = 0
		}
	}
}

// compensated is a running sum with its rounding error (Fast2Sum/TwoSum).
type compensated struct{ hi, lo float64 }

func (c *compensated) add(v float64) {
	t := c.hi + v
	if c.hi >= v {
		c.lo += v - (t - c.hi)
	} else {
		bp := t - c.hi
		c.lo += (c.hi - (t - bp)) + (v - bp)
	}
	c.hi = t
}

// minus returns c − b.
func (c compensated) minus(b compensated) float64 { return (c.hi - b.hi) + (c.lo - b.lo) }

// formatNumber prints a rounded value for a human: whole numbers without
// decimals, a decimal comma in French, Dutch and German.
func formatNumber(x float64, l lang) string {
	var b [32]byte
	return string(appendNumber(b[:0], x, l))
}

// appendNumber appends formatNumber(x, l) to b.
func appendNumber(b []byte, x float64, l lang) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, round2(x), 'f', -1, 64)
	if l != langEN {
		for i := n; i < len(b); i++ {
			if b[i] == '.' {
				b[i] = ','
			}
		}
	}
	return b
}
