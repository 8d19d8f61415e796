package badgerstore

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"art60/server/store"
)

// TestRestoreBringsBackNoSession: a session open when the backup was taken
// (and perhaps signed out since) is not in the restored store.
func TestRestoreBringsBackNoSession(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	se := store.Session{TokenHash: "abc", UserID: "u1", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.PutSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := s.Backup(&file); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if err := Restore(&file, dir, testKey, nil); err != nil {
		t.Fatal(err)
	}
	r, err := Open(Config{Dir: dir, Key: testKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Session(ctx, "abc"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the restored store has the session: %v", err)
	}
	if _, err := r.CPAS(ctx, "0212345668"); err != nil {
		t.Fatalf("the restored store lost its data: %v", err)
	}
}
