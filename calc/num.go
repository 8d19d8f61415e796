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

// prefix holds compensated running sums of values at indexes base, base+1,
// …: the sum of [base, i) is hi[i−base] + lo[i−base] (TwoSum keeps the
// rounding error of every addition in lo). Values before base are 0.
type prefix struct {
	base   int
	hi, lo []float64
}

func newPrefix(a *arena, base, n int) prefix {
	buf := a.floats(2*(n+1), false)
	buf[0], buf[n+1] = 0, 0 // every other entry is written before it is read
	return prefix{base: base, hi: buf[:n+1], lo: buf[n+1:]}
}

// set records value v at index i, given that indexes < i are set.
func (p *prefix) set(i int, v float64) {
	i -= p.base
	s := p.hi[i]
	t := s + v
	bp := t - s
	e := (s - (t - bp)) + (v - bp)
	p.hi[i+1] = t
	p.lo[i+1] = p.lo[i] + e
}

// sum returns the sum of values at indexes [a, b], clamped to the array.
func (p *prefix) sum(a, b int) float64 {
	a, b = max(a-p.base, 0), min(b-p.base, len(p.hi)-2)
	if a > b {
		return 0
	}
	return (p.hi[b+1] - p.hi[a]) + (p.lo[b+1] - p.lo[a])
}

// formatNumber prints a rounded value for a human: whole numbers without
// decimals, a decimal comma in French, Dutch and German.
func formatNumber(x float64, l lang) string {
	s := strconv.FormatFloat(round2(x), 'f', -1, 64)
	if l != langEN {
		b := []byte(s)
		for i := range b {
			if b[i] == '.' {
				b[i] = ','
			}
		}
		s = string(b)
	}
	return s
}
