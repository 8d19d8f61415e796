// Package badgerstore is the store.Store on Badger (github.com/dgraph-io/badger),
// an embedded key-value store encrypted at rest: the default store of a new
// data directory. The package is named badgerstore, not badger, so that it
// does not hide the library it is built on.
package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
	badgeroptions "github.com/dgraph-io/badger/v4/options"
)

// Config opens a Badger store.
type Config struct {
	Dir    string
	Key    []byte // AES key, 32 bytes: the data is encrypted at rest
	Logger *slog.Logger
	// GCInterval is how often the value log is garbage collected
	// (default 10 minutes; negative disables it, for tests).
	GCInterval time.Duration
	// Now is the clock sessions expire by and that stamps the outbox and
	// the audit trail; nil is the wall clock. Badger's own TTL still runs on
	// the wall clock, so it only ever drops entries this clock has expired
	// too (a session's TTL is counted from Now).
	Now func() time.Time
	// Space is the free disk space writes leave alone (see Space).
	Space store.Space
	// Quota bounds what each CPAS may store (quota.go).
	Quota store.Quota
}

// Badger is the embedded Store.
type Badger struct {
	db     *badger.DB
	key    []byte
	log    *slog.Logger
	now    func() time.Time
	quota  store.Quota
	w      *writer
	space  *spaceGuard
	queue  atomic.Int64 // sent requests waiting, kept by the writer
	stopGC chan struct{}
	gcDone sync.WaitGroup
	once   sync.Once
}

var _ store.Store = (*Badger)(nil)

// Sizes for a small (2-core) machine: Badger's defaults preallocate a 2 GiB
// value log and leave caches unbounded.
const (
	memTableSize     = 8 << 20
	valueLogFileSize = 16 << 20 // also the largest value: attachments stay ≤ 10 MiB
	blockCacheSize   = 8 << 20  // encryption needs a block cache; a pull reads each request once, so a larger one gains little
	indexCacheSize   = 16 << 20
	// One memtable taking writes and one being flushed: Badger's default
	// of 5 keeps up to 48 MiB of memtables in memory on a burst of pushes,
	// and the store has no read that gains from them.
	numMemtables = 2
	// Values above this (attachments; requests when they were stored as
	// plain JSON, packed they are a few hundred bytes, codec.go) go to the
	// value log, an append-only file: the LSM tree then holds small
	// entries only, so memtable flushes and compactions are rare and no
	// longer stall the synced writes (measured: push p99 about 100 ms at
	// 16 KiB, 45 ms at 1 KiB). It also keeps a transaction small whatever the size of a
	// request (Badger caps one at 15% of a memtable).
	valueThreshold = 1 << 10
)

// Open opens (creating if needed) an encrypted Badger store in c.Dir.
func Open(c Config) (*Badger, error) {
	if len(c.Key) != 32 {
		return nil, errors.New("store: the encryption key must be 32 bytes")
	}
	log := c.Logger
	if log == nil {
		log = slog.Default()
	}
	return open(c, log, options(c.Dir, c.Key, log))
}

// open opens the store with Badger options; tests use it to change sizes
// or to read the files without encryption.
func open(c Config, log *slog.Logger, opts badger.Options) (*Badger, error) {
	space := newSpaceGuard(c.Dir, c.Space, log)
	if err := space.checkStart(); err != nil {
		return nil, err
	}
	if err := checkFiles(c.Dir, opts.EncryptionKey); err != nil {
		return nil, err
	}
	db, err := badger.Open(opts)
	if err != nil {
		return nil, openError(c.Dir, err)
	}
	now := c.Now
	if now == nil {
		now = time.Now
	}
	s := &Badger{db: db, key: c.Key, log: log, now: now, quota: c.Quota, stopGC: make(chan struct{}), space: space}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	s.w = newWriter(db, s.space)
	s.startGC(c.GCInterval)
	return s, nil
}

func options(dir string, key []byte, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithEncryptionKey(key).
		WithBlockCacheSize(blockCacheSize).
		WithIndexCacheSize(indexCacheSize).
		WithSyncWrites(true). // nothing is acknowledged before it is on disk
		WithMemTableSize(memTableSize).
		WithValueLogFileSize(valueLogFileSize).
		WithValueThreshold(valueThreshold).
		WithNumMemtables(numMemtables).
		WithCompression(badgeroptions.ZSTD). // table blocks: the audit trail, indexes and idempotency records compress about 3 to 1
		WithZSTDCompressionLevel(1).
		WithNumCompactors(2).
		WithNumVersionsToKeep(1).
		WithVerifyValueChecksum(true). // a damaged value-log entry fails its read instead of returning other bytes (filecheck.go)
		WithLogger(badgerLogger{log.With("component", "badger")})
}

// init prepares a new store (an epoch for sync cursors), brings the queue
// index up to date and loads counters.
func (s *Badger) init() error {
	fresh := false
	err := s.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(keyEpoch); errors.Is(err, badger.ErrKeyNotFound) {
			fresh = true
			if err := setJSON(txn, []byte(keyIndex), indexVersion); err != nil {
				return err
			}
			return txn.Set(keyEpoch, []byte(store.NewEpoch()))
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !fresh {
		if err := s.upgradeIndex(); err != nil {
			return err
		}
	}
	return s.db.View(func(txn *badger.Txn) error {
		n, err := countPrefix(txn, []byte(prefixQueue))
		s.queue.Store(n)
		return err
	})
}

func (s *Badger) startGC(every time.Duration) {
	if every == 0 {
		every = 10 * time.Minute
	}
	if every < 0 {
		return
	}
	s.gcDone.Add(1)
	go func() {
		defer s.gcDone.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stopGC:
				return
			case <-t.C:
				s.runGC()
				if s.purgePending() {
					if err := s.Compact(context.Background()); err != nil {
						s.log.Error("compact after an erasure", "err", err)
					}
				}
			}
		}
	}()
}

// runGC rewrites value-log files that are mostly garbage (deleted or
// replaced requests, expired sessions and replies) until none is left.
// It rewrites one file's live entries before deleting it, so it runs only
// with room for a file (see Space).
func (s *Badger) runGC() {
	for i := 0; i < 16 && s.space.hasRoom(roomGC); i++ {
		if err := s.db.RunValueLogGC(0.5); err != nil {
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				s.log.Warn("value log gc", "err", err)
			}
			return
		}
	}
}

// Now implements Store.
func (s *Badger) Now() time.Time { return s.now() }

// Close stops the GC timer, finishes pending writes and closes the database.
func (s *Badger) Close() (err error) {
	defer store.Wrap(&err, "badger: Close")
	s.once.Do(func() {
		close(s.stopGC)
		s.gcDone.Wait()
		s.w.close()
		err = s.db.Close()
	})
	return err
}

// badgerLogger routes Badger's log to slog at warning level and above:
// its info lines (compactions, flushes) would drown ours.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) { b.l.Error(line(f, a)) }
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn(line(f, a))
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

func line(f string, a []any) string { return strings.TrimSpace(fmt.Sprintf(f, a...)) }
