package calc

import "sync"

// arena hands out the per-day arrays of one solve from buffers that are
// reused across solves (sync.Pool): a solve allocates hundreds of kilobytes
// of short-lived arrays, and allocating them afresh costs more than the
// computation. Nothing from an arena outlives the solve that took it.
type arena struct {
	f []float64
	i []int32
	b []bool
	n []int
	c []compensated
	p []pperiod
	k []periodKey
}

var arenas = sync.Pool{New: func() any { return new(arena) }}

// take carves n elements from *buf, growing it when it is too short; the
// slices already handed out keep their old backing array.
func take[T any](buf *[]T, n int, zero bool) []T {
	if cap(*buf)-len(*buf) < n {
		*buf = make([]T, 0, max(2*cap(*buf), n, 1024))
		zero = false // fresh memory is zeroed
	}
	s := (*buf)[len(*buf) : len(*buf)+n : len(*buf)+n]
	*buf = (*buf)[:len(*buf)+n]
	if zero {
		clear(s)
	}
	return s
}

func (a *arena) floats(n int, zero bool) []float64 { return take(&a.f, n, zero) }
func (a *arena) int32s(n int) []int32              { return take(&a.i, n, true) }
func (a *arena) bools(n int) []bool                { return take(&a.b, n, true) }
func (a *arena) ints(n int) []int                  { return take(&a.n, n, false) }

// reset makes all buffers available again.
func (a *arena) reset() {
	a.f, a.i, a.b, a.n, a.c = a.f[:0], a.i[:0], a.b[:0], a.n[:0], a.c[:0]
	a.p, a.k = a.p[:0], a.k[:0]
}
