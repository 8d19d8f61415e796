package store

import "errors"

// ErrStorageFull is a write refused because the disk of the data directory
// is nearly full. Nothing of the write is stored; the same write succeeds
// once space is freed.
var ErrStorageFull = errors.New("store: the disk is nearly full; writes are refused until space is freed")

// Space is how much of its disk the store keeps free.
//
// Badger writes its value log and write-ahead log through memory-mapped
// files it extends sparsely, and reads them the same way; when the disk is
// full, touching a page that has no block behind it raises SIGBUS, which
// kills the whole process instead of failing the write (measured on a full
// tmpfs with Badger v4.9.6: the server died in valueLog.write, and again on
// the next start while replaying). So the store never lets Badger reach a
// full disk: it refuses writes while the free space, less what the write
// needs, is under Reserve. Reads, their audit entries, sign-outs and the
// mail worker's marks are small and go on down to half the reserve, so
// the data stays readable (and every read audited) while writes wait. The
// rest of the reserve is for Badger's own work: a new write-ahead log
// (2 × 8 MiB) and value-log file (2 × 16 MiB), memtable flushes and
// compactions, value-log garbage collection.
type Space struct {
	Reserve int64 // bytes; 0 is DefaultReserve, negative turns the check off
	// Free reports the bytes available to the store in dir; nil reads the
	// file system's figure (statfs). Tests give a simulated disk here when
	// they cannot mount a small one.
	Free func(dir string) (int64, error)
}

// DefaultReserve is the free space writes may not eat into.
const DefaultReserve = 128 << 20
