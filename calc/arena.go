package calc

import "unsafe"

// arena hands out the per-day arrays of one solve from buffers that are
// reused across solves: a solve allocates hundreds of kilobytes of
// short-lived arrays, and allocating them afresh costs more than the
// computation. Nothing from an arena outlives the solve that took it.
type arena struct {
	f  []float64
	i  []int32
	b  []bool
	n  []int
	c  []compensated
	p  []pperiod
	u  []uint64
	iv []interval
}

// arenas keeps a few arenas between solves. Not a sync.Pool: a pool is
// emptied by every other garbage collection, and each solve would then
// grow a new arena by doubling, which cost more than the solve itself.
var arenas = make(chan *arena, 4)

// maxKeptArena bounds, in bytes, an arena kept for the next solve: a rare
// huge case does not pin its memory.
const maxKeptArena = 8 << 20

func getArena() *arena {
	select {
	case a := <-arenas:
		return a
	default:
		return new(arena)
	}
}

// putArena resets a and keeps it when there is room and it is not too big.
func putArena(a *arena) {
	a.reset()
	if a.size() > maxKeptArena {
		return
	}
	select {
	case arenas <- a:
	default:
	}
}

// size is the bytes held by a's buffers.
func (a *arena) size() int {
	return 8*cap(a.f) + 4*cap(a.i) + cap(a.b) + 8*cap(a.n) + 16*cap(a.c) +
		int(unsafe.Sizeof(pperiod{}))*cap(a.p) + 8*cap(a.u) +
		int(unsafe.Sizeof(interval{}))*cap(a.iv)
}

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
	a.p, a.u, a.iv = a.p[:0], a.u[:0], a.iv[:0]
}
