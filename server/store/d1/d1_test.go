//go:build !(js && wasm)

package d1

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"art60/server/store"
)

func openTest(t *testing.T, key byte) (*Store, *SQLite) {
	t.Helper()
	x, err := OpenSQLite(filepath.Join(t.TempDir(), "d1.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	s, err := Open(context.Background(), Config{Exec: x, Key: bytes.Repeat([]byte{key}, 32),
		Now: func() time.Time { return time.Date(2031, 6, 16, 8, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s, x
}

// A read-modify-write of one row is guarded in its batch: twenty changes of
// one account at once, each reading the account before its batch, all land
// (none is overwritten by a batch built on an older read).
func TestConcurrentChangesOfOneUserAreNotLost(t *testing.T) {
	s, _ := openTest(t, 7)
	ctx := context.Background()
	if err := s.AddUser(ctx, store.User{ID: "u1", Login: "marie"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.UpdateUser(ctx, "u1", func(u *store.User) error { u.DisplayName += "x"; return nil }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if u, _ := s.User(ctx, "u1"); u.DisplayName != strings.Repeat("x", 20) {
		t.Errorf("after 20 concurrent changes the name is %q", u.DisplayName)
	}
}

// The key check of the SQLite store holds here too: a database opened with
// another key is refused at open, not at the first read.
func TestAnotherKeyIsRefusedAtOpen(t *testing.T) {
	_, x := openTest(t, 7)
	_, err := Open(context.Background(), Config{Exec: x, Key: bytes.Repeat([]byte{8}, 32)})
	if !errors.Is(err, store.ErrWrongKey) {
		t.Errorf("another key: %v, want store.ErrWrongKey", err)
	}
	if _, err := Open(context.Background(), Config{Exec: x, Key: bytes.Repeat([]byte{7}, 32)}); err != nil {
		t.Errorf("the store's key again: %v", err)
	}
}
