package sqlite

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
)

func TestABackupRestoresWithANewEpochAndNoSession(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", niss(1), "Zwanepoel")
	se := store.Session{TokenHash: "abc", UserID: "u1", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.PutSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := s.Backup(&file); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file.Bytes(), []byte("SQLite format 3")) || !bytes.HasPrefix(file.Bytes(), []byte("ART60-BACKUP-2\n")) {
		t.Fatal("the backup is not sealed in the store's backup format")
	}
	person(t, s, 2, "r2", niss(2), "After") // not in the backup
	dir := filepath.Join(t.TempDir(), "restored")
	if err := Restore(bytes.NewReader(file.Bytes()), dir, testKey, nil); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, dir, nil)
	if _, err := r.Session(ctx, "abc"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the restored store has the session: %v", err)
	}
	got, err := r.Request(ctx, cpasA, "r1")
	if err != nil || got.LastName != "Zwanepoel" {
		t.Fatalf("the restored request: %+v %v", got, err)
	}
	if _, err := r.Request(ctx, cpasA, "r2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a request written after the backup: %v", err)
	}
	old, _ := s.Changes(ctx, cpasA, store.Cursor{}, 1)
	p, _ := r.Changes(ctx, cpasA, old.Next, 10)
	if p.Next.Epoch == old.Next.Epoch || !p.Full {
		t.Fatalf("the restored store kept the epoch %q", old.Next.Epoch)
	}
	if c, err := r.VerifyAudit(ctx); err != nil || !c.OK() {
		t.Fatalf("the restored audit chain: %+v %v", c, err)
	}
	if res, err := r.ApplyMutation(ctx, mutation(9, "r3", "d")); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("a write on the restored store: %+v %v", res, err)
	}
}

func TestRestoreRefusesATamperedBackupAnotherKeyAndAFullDirectory(t *testing.T) {
	s := openTest(t)
	var file bytes.Buffer
	if err := s.Backup(&file); err != nil {
		t.Fatal(err)
	}
	b := file.Bytes()
	flipped := append([]byte{}, b...)
	flipped[len(flipped)/2] ^= 1
	for name, tc := range map[string]struct {
		file []byte
		key  []byte
		dir  string
	}{
		"truncated":   {b[:len(b)-10], testKey, ""},
		"tampered":    {flipped, testKey, ""},
		"another key": {b, bytes.Repeat([]byte{8}, 32), ""},
		"full dir":    {b, testKey, filepath.Dir(s.path)},
	} {
		dir := tc.dir
		if dir == "" {
			dir = filepath.Join(t.TempDir(), "x")
		}
		if err := Restore(bytes.NewReader(tc.file), dir, tc.key, nil); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
}
