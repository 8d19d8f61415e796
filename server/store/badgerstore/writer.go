package badgerstore

import (
	"errors"
	"sync"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// writer runs every write of the store in one goroutine and commits the
// operations that queued up during the previous commit together, in one
// transaction: one fsync for many clients (group commit). With a single
// writer there are no conflicts on hot keys such as a CPAS's sequence, and
// each operation still sees the writes of the operations before it.
type writer struct {
	db    *badger.DB
	space *spaceGuard
	ops   chan *op
	mu    sync.RWMutex
	shut  bool
	done  chan struct{}
}

// op is one atomic operation. fn may run more than once (when a batch is
// retried); it must reset whatever it reports. after runs once the
// operation is committed.
type op struct {
	room  room // what it may add to the disk
	fn    func(txn *badger.Txn) error
	after func()
	err   chan error
	// alone, when set, runs instead of fn, outside any transaction and
	// with no other write in flight (Badger refuses writes while it drops
	// or flushes, see Compact).
	alone func() error
}

const maxBatch = 128

func newWriter(db *badger.DB, space *spaceGuard) *writer {
	w := &writer{db: db, space: space, ops: make(chan *op, 1024), done: make(chan struct{})}
	go w.loop()
	return w
}

// do runs fn in a write transaction and returns once it is durable.
func (w *writer) do(fn func(txn *badger.Txn) error, after func()) error {
	return w.doIn(roomWrite, fn, after)
}

// doIn is do for an operation whose room on the disk is not roomWrite's.
func (w *writer) doIn(r room, fn func(txn *badger.Txn) error, after func()) error {
	return w.send(&op{room: r, fn: fn, after: after, err: make(chan error, 1)})
}

// exclusive runs fn between two commits, when no write is in flight.
func (w *writer) exclusive(fn func() error) error {
	return w.send(&op{alone: fn, err: make(chan error, 1)})
}

func (w *writer) send(o *op) error {
	w.mu.RLock()
	if w.shut {
		w.mu.RUnlock()
		return store.ErrClosed
	}
	w.ops <- o
	w.mu.RUnlock()
	return <-o.err
}

func (w *writer) close() {
	w.mu.Lock()
	w.shut = true
	close(w.ops)
	w.mu.Unlock()
	<-w.done
}

func (w *writer) loop() {
	defer close(w.done)
	for o := range w.ops {
		batch := []*op{o}
	fill:
		for len(batch) < maxBatch && o.alone == nil {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				if o.alone != nil {
					w.write(batch)
					batch = []*op{o}
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		if batch[0].alone != nil {
			batch[0].err <- batch[0].alone()
			continue
		}
		w.write(batch)
	}
}

// write commits the operations of a batch the disk has room for (see
// Space) and refuses the others with ErrStorageFull.
func (w *writer) write(batch []*op) {
	batch, refused := w.space.admit(batch)
	for _, o := range refused {
		o.err <- w.space.storageFull()
	}
	if len(batch) > 0 {
		w.commit(batch)
	}
}

// commit commits a batch; if it fails, each operation is retried alone so
// that one failing operation (or one too big to share a transaction) does
// not fail the others.
func (w *writer) commit(batch []*op) {
	err := w.try(batch)
	if err != nil && len(batch) > 1 {
		for _, o := range batch {
			w.commit([]*op{o})
		}
		return
	}
	for _, o := range batch {
		if err == nil && o.after != nil {
			o.after()
		}
		o.err <- err
	}
}

// try runs the batch in one transaction, again on a conflict (only possible
// if something writes outside the writer, such as a restore).
func (w *writer) try(batch []*op) error {
	for attempt := 0; ; attempt++ {
		err := w.once(batch)
		if !errors.Is(err, badger.ErrConflict) || attempt == 10 {
			return err
		}
	}
}

func (w *writer) once(batch []*op) error {
	txn := w.db.NewTransaction(true)
	defer txn.Discard()
	for _, o := range batch {
		if err := o.fn(txn); err != nil {
			return err
		}
	}
	return txn.Commit()
}
