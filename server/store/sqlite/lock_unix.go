//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"art60/server/store"
)

// lockFile takes an exclusive lock on file for the life of the store: the
// writer keeps the audit chain's head in memory (writer.go), so a second
// process writing the same database would fork the chain. The admin
// commands see store.ErrLocked and go through the running server instead.
func lockFile(file string) (*os.File, error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", file, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", store.ErrLocked, file)
		}
		return nil, fmt.Errorf("store: lock %s: %w", file, err)
	}
	return f, nil
}

func unlock(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
