package badgerstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/store"
)

// stoppedStore writes requests, uploads (in the value log: over 1 KiB) and
// audit entries, closes the store (its memtable goes to a table file) and
// returns the directory and the uploads.
func stoppedStore(t *testing.T) (string, [][]byte) {
	t.Helper()
	dir := t.TempDir()
	s := openDir(t, dir)
	ctx := context.Background()
	if err := s.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	var uploads [][]byte
	for i := range 20 {
		if _, err := s.ApplyMutation(ctx, mutation(int64(i+1), fmt.Sprintf("r%02d", i), fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
		data := make([]byte, 4000)
		rand.Read(data)
		if err := s.PutAttachment(ctx, upload(data), data, store.AuditEntry{UserID: "u", Action: store.ActionAttachmentUpload}); err != nil {
			t.Fatal(err)
		}
		uploads = append(uploads, data)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, uploads
}

// damage changes one file of a stopped store: cut keeps the first half,
// flip inverts 8 bytes at a third of it, remove deletes it.
func damage(t *testing.T, file, how string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	switch how {
	case "cut":
		err = os.WriteFile(file, b[:len(b)/2], 0o600)
	case "flip":
		for i := len(b) / 3; i < len(b)/3+8; i++ {
			b[i] ^= 0xff
		}
		err = os.WriteFile(file, b, 0o600)
	case "remove":
		err = os.Remove(file)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestDamagedFilesStopTheStart: a table file, the MANIFEST or the
// KEYREGISTRY cut short, altered or deleted in a stopped store is refused
// at start with ErrDamaged and a message that says to restore a backup,
// and the directory is left as it is. Before this check, Badger panicked in
// a goroutine of its own on a damaged table or a missing KEYREGISTRY (the
// process died), and opened an empty store on a MANIFEST cut short or
// missing, deleting the tables it no longer listed.
func TestDamagedFilesStopTheStart(t *testing.T) {
	for _, file := range []string{"000001.sst", "MANIFEST", "KEYREGISTRY"} {
		for _, how := range []string{"cut", "flip", "remove"} {
			dir, _ := stoppedStore(t)
			damage(t, filepath.Join(dir, file), how)
			before := listing(t, dir)
			_, err := Open(Config{Dir: dir, Key: testKey, GCInterval: -1})
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "art60 restore FILE NEWDIR") {
				t.Errorf("%s %s: open: %v, want ErrDamaged saying to restore", file, how, err)
			}
			if after := listing(t, dir); after != before {
				t.Errorf("%s %s: the refused start changed the directory:\n%s\nwas\n%s", file, how, after, before)
			}
		}
	}
}

// TestCheckFindsADamagedValueLog: the value log is not read at start; a
// damaged one is found by Check (Badger answers an unreadable value with
// empty bytes and no error), and an upload read from it fails instead of
// returning other bytes. An intact store checks clean.
func TestCheckFindsADamagedValueLog(t *testing.T) {
	dir, uploads := stoppedStore(t)
	s := openDir(t, dir)
	if rep, err := s.Check(context.Background()); err != nil || !rep.OK() || rep.Keys["attachment data"] != 20 || rep.Keys["request"] != 20 {
		t.Fatalf("intact store: %+v %v", rep, err)
	}
	s.Close()
	damage(t, filepath.Join(dir, "000001.vlog"), "flip")
	s = openDir(t, dir)
	defer s.Close()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "the value log is damaged") {
		t.Fatalf("a damaged value log checks clean: %+v", rep)
	}
	bad := 0
	for _, data := range uploads {
		_, got, err := s.Attachment(context.Background(), "c", upload(data).SHA256)
		switch {
		case errors.Is(err, ErrDamaged):
			bad++
		case err != nil || !bytes.Equal(got, data):
			t.Errorf("upload read: %v (%d bytes of %d): other bytes than stored", err, len(got), len(data))
		}
	}
	if bad == 0 {
		t.Error("no upload read failed from the damaged value log")
	}
}

// TestCheckFindsIndexesThatDisagree: an index entry missing, one for
// nothing, a change entry for no request are each reported.
func TestCheckFindsIndexesThatDisagree(t *testing.T) {
	dir, _ := stoppedStore(t)
	db := rawDB(t, dir)
	txn := db.NewTransaction(true)
	for _, err := range []error{
		txn.Delete(ownerKey("r03")),
		txn.Set(ownerKey("ghost"), []byte("0212345668")),
		txn.Set(changeKey("0212345668", 999), []byte("ghost")),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openDir(t, dir)
	defer s.Close()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{"rid/r03: index entry missing", "rid/ghost: index entry for nothing", "change of request ghost, which is not stored"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report does not say %q:\n%s", want, all)
		}
	}
}

// listing is every file of dir with its size and SHA-256.
func listing(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s %d %s\n", filepath.Base(path), len(data), hex.EncodeToString(sum[:6]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCheckPassesAfterAnErasure: an erased request's mark, the erasure
// waiting for compaction, then the compaction leave a store that checks
// clean (every key kind of the store is known to Check).
func TestCheckPassesAfterAnErasure(t *testing.T) {
	dir, _ := stoppedStore(t)
	s := openDir(t, dir)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.EraseRequest(ctx, "0212345668", "r03", store.AuditEntry{UserID: "dpo", Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	for _, when := range []string{"after the erasure", "after Compact"} {
		rep, err := s.Check(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("%s: %v %v", when, err, rep.Problems)
		}
		if err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
