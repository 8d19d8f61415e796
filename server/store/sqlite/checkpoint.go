package sqlite

import (
	"context"
	"time"
)

// The writer's connection never checkpoints (wal_autocheckpoint 0): a
// checkpoint copies the write-ahead log into the database and syncs both,
// and the commit that crossed SQLite's threshold would pay for it while
// every waiting push waits too (push p99 above 2 s on a slow disk). A
// goroutine checkpoints instead, on its own connection, every
// checkpointEvery: PASSIVE, it waits neither for readers nor for the
// writer, and the log is written again from its start once a checkpoint
// has copied all of it.
const checkpointEvery = 250 * time.Millisecond

func (s *Store) startCheckpoints() {
	s.stopCkpt, s.ckptDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(s.ckptDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-s.stopCkpt:
				return
			case <-t.C:
				if _, err := s.cdb.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
					s.log.Warn("store: checkpoint", "err", err)
				}
			}
		}
	}()
}

func (s *Store) stopCheckpoints() {
	close(s.stopCkpt)
	<-s.ckptDone
	s.cdb.Close()
}
