package badgerstore

import (
	"fmt"
	"log/slog"
	"sync/atomic"

	"art60/server/store"
)

// What one operation may add to the disk, before it runs: a push, a
// decision or a comment writes one request (a JSON body is at most 1 MiB,
// the stored request adds the computed result), an upload its file, an
// audit entry or a mark a few hundred bytes.
const (
	needWrite = 2 << 20
	needSmall = 64 << 10
)

// room is what an operation needs from the disk; small operations may use
// the lower half of the reserve.
type room struct {
	need  int64
	small bool
}

var (
	roomWrite = room{need: needWrite}
	roomSmall = room{need: needSmall, small: true}
	// The value-log garbage collection copies a file's live entries
	// before it deletes the file.
	roomGC = room{need: valueLogFileSize, small: true}
)

func roomFor(size int) room { return room{need: int64(size) + needSmall} }

// spaceGuard admits the operations a batch of writes can hold. A nil guard
// admits everything.
type spaceGuard struct {
	dir     string
	reserve int64
	free    func(string) (int64, error)
	log     *slog.Logger
	full    atomic.Bool // for the log: say once when writes stop and once when they resume
	blind   atomic.Bool // the free space could not be read (logged once)
}

func newSpaceGuard(dir string, sp store.Space, log *slog.Logger) *spaceGuard {
	if sp.Reserve < 0 {
		return nil
	}
	g := &spaceGuard{dir: dir, reserve: sp.Reserve, free: sp.Free, log: log}
	if g.reserve == 0 {
		g.reserve = store.DefaultReserve
	}
	if g.free == nil {
		g.free = freeSpace
	}
	return g
}

// admit splits a batch into the operations that fit, in order, and those
// refused. When the free space cannot be read, everything is admitted:
// refusing every write over a failed statfs would be worse.
func (g *spaceGuard) admit(batch []*op) (ok, refused []*op) {
	if g == nil {
		return batch, nil
	}
	free, err := g.free(g.dir)
	if err != nil {
		if !g.blind.Swap(true) {
			g.log.Warn("store: cannot read the free disk space; writes are not checked", "dir", g.dir, "err", err)
		}
		return batch, nil
	}
	left := free
	for _, o := range batch {
		if g.fits(left, o.room) {
			left -= o.room.need
			ok = append(ok, o)
		} else {
			refused = append(refused, o)
		}
	}
	g.note(free, !g.fits(free, roomWrite))
	return ok, refused
}

func (g *spaceGuard) fits(free int64, r room) bool {
	floor := g.reserve
	if r.small {
		floor /= 2
	}
	return free-r.need >= floor
}

// checkStart refuses to open the store on a disk without room for even
// the small operations: Badger replays and extends its logs at start, and
// on a full disk that kills the process (see Space). A directory that does
// not exist yet is left to Badger.
func (g *spaceGuard) checkStart() error {
	if g == nil {
		return nil
	}
	free, err := g.free(g.dir)
	if err != nil || g.fits(free, roomSmall) {
		return nil
	}
	return fmt.Errorf("%w: %d MiB free on the disk of %s, the store needs at least %d MiB to start; free space on that disk (or move the data directory to a larger one) and start again",
		store.ErrStorageFull, free>>20, g.dir, (g.reserve/2+roomSmall.need)>>20)
}

// hasRoom tells whether an operation of this room fits now (for work the
// store starts by itself, such as the value-log garbage collection).
func (g *spaceGuard) hasRoom(r room) bool {
	if g == nil {
		return true
	}
	free, err := g.free(g.dir)
	return err != nil || g.fits(free, r)
}

// note logs the moments writes stop and resume, not every refusal.
// refusing is whether a write would be refused now.
func (g *spaceGuard) note(free int64, refusing bool) {
	if g.full.Swap(refusing) == refusing {
		return
	}
	mib := func(n int64) int64 { return n >> 20 }
	if refusing {
		g.log.Error("store: the disk is nearly full: writes are refused (503 storage_full) until space is freed on it",
			"dir", g.dir, "free_mib", mib(free), "reserve_mib", mib(g.reserve))
		return
	}
	g.log.Warn("store: free disk space is back: writes are accepted again", "dir", g.dir, "free_mib", mib(free))
}

// storageFull is the error of a refused operation, with the figures.
func (g *spaceGuard) storageFull() error {
	return fmt.Errorf("%w (%s: under %d MiB free)", store.ErrStorageFull, g.dir, g.reserve>>20)
}
