package serve

import "runtime/debug"

// memoryLimit is the Go runtime's soft memory limit of the server
// (runtime/debug.SetMemoryLimit) unless GOMEMLIMIT sets another: the
// garbage collector then gives memory back to the system soon after a peak
// (a burst of pushes, a compaction of Badger's tables) instead of keeping
// the peak. Measured after 10,000 pushes and a new device's pull:
// RssAnon 135 MB without it, 78 MB with it (README, Performance). The live
// heap stays well below it: Badger's caches and memtables are bounded
// (store/badgerstore), and a request or a pull page is small.
const memoryLimit = 80 << 20

// limitMemory sets memoryLimit, unless the environment sets a limit.
func limitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
