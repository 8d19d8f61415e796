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

// A 5 MB file, more than D1's 2 MB per value, is stored in parts of at
// most partSize and read back whole; a part altered in the database does
// not open, and deleting the file deletes its parts.
func TestAFileLargerThanOneD1ValueIsStoredInParts(t *testing.T) {
	s, x := openTest(t, 9)
	ctx := context.Background()
	if err := s.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "CPAS", OfficeID: "002"}); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 5_000_000)
	for i := range data {
		data[i] = byte(i * 7919 >> 3)
	}
	a := store.Attachment{CPASID: "0212345668", SHA256: "big", Size: int64(len(data))}
	if err := s.PutAttachment(ctx, a, data, store.AuditEntry{UserID: "u"}); err != nil {
		t.Fatal(err)
	}
	var parts, longest int
	if err := s.row(ctx, `SELECT (SELECT count(*) FROM attachment_parts), max((SELECT max(length(data_sealed)) FROM attachment_parts),
		(SELECT length(data_sealed) FROM attachments))`).Scan(&parts, &longest); err != nil {
		t.Fatal(err)
	}
	if parts != 4 || longest > 2_000_000 {
		t.Fatalf("%d parts after the first, the longest value %d bytes", parts, longest)
	}
	_, got, err := s.Attachment(ctx, "0212345668", "big")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
	if err := x.Batch(ctx, []Statement{{SQL: `UPDATE attachment_parts SET data_sealed = zeroblob(10) WHERE part = 2`}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Attachment(ctx, "0212345668", "big"); err == nil {
		t.Fatal("a file with an altered part opened")
	}
	if ok, err := s.DeleteUnusedAttachment(ctx, "0212345668", "big", store.AuditEntry{UserID: "u"}); !ok || err != nil {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if err := s.row(ctx, `SELECT count(*) FROM attachment_parts`).Scan(&parts); err != nil || parts != 0 {
		t.Fatalf("%d parts left after the file was deleted (%v)", parts, err)
	}
}
