package badgerstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// simulatedDisk reports the free space a test sets.
type simulatedDisk struct{ free atomic.Int64 }

func (d *simulatedDisk) Free(string) (int64, error) { return d.free.Load(), nil }

const testReserve = 64 << 20

func openOnDisk(t *testing.T, dir string, d *simulatedDisk) (*Badger, error) {
	t.Helper()
	return Open(Config{Dir: dir, Key: testKey, GCInterval: -1, Space: store.Space{Reserve: testReserve, Free: d.Free}})
}

// TestWritesStopAtTheReserveAndResume: under the reserve, a write is
// refused with ErrStorageFull and stores nothing, while reads and their
// audit entries go on down to half the reserve; an upload counts its size;
// with space back the same write succeeds, and everything written before
// is still there.
func TestWritesStopAtTheReserveAndResume(t *testing.T) {
	d := &simulatedDisk{}
	d.free.Store(1 << 30)
	s, err := openOnDisk(t, t.TempDir(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	if res, err := s.ApplyMutation(ctx, mutation(1, "r1", "d1")); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("with room: %+v %v", res, err)
	}

	d.free.Store(testReserve + 1<<20) // under the reserve once a push's 2 MiB are counted
	if _, err := s.ApplyMutation(ctx, mutation(2, "r2", "d2")); !errors.Is(err, store.ErrStorageFull) {
		t.Fatalf("push near the reserve: %v, want ErrStorageFull", err)
	}
	small, big := bytes.Repeat([]byte{1}, 100<<10), bytes.Repeat([]byte{2}, 2<<20)
	if err := s.PutAttachment(ctx, upload(small), small, store.AuditEntry{}); err != nil {
		t.Fatalf("a 100 KiB upload with 1 MiB to spare: %v", err)
	}
	if err := s.PutAttachment(ctx, upload(big), big, store.AuditEntry{}); !errors.Is(err, store.ErrStorageFull) {
		t.Fatalf("a 2 MiB upload with 1 MiB to spare: %v, want ErrStorageFull", err)
	}
	if err := s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: store.ActionRequestRead}); err != nil {
		t.Fatalf("a read's audit entry above half the reserve: %v", err)
	}
	if _, err := s.Request(ctx, "0212345668", "r1"); err != nil {
		t.Fatalf("read: %v", err)
	}
	d.free.Store(testReserve / 2)
	if err := s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: store.ActionRequestRead}); !errors.Is(err, store.ErrStorageFull) {
		t.Fatalf("an audit entry under half the reserve: %v, want ErrStorageFull", err)
	}
	if _, err := s.Request(ctx, "0212345668", "r2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused push was stored: %v", err)
	}

	d.free.Store(1 << 30)
	if res, err := s.ApplyMutation(ctx, mutation(2, "r2", "d2")); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("the same push with space back: %+v %v", res, err)
	}
	if err := s.PutAttachment(ctx, upload(big), big, store.AuditEntry{}); err != nil {
		t.Fatalf("the same upload with space back: %v", err)
	}
	for _, id := range []string{"r1", "r2"} {
		if _, err := s.Request(ctx, "0212345668", id); err != nil {
			t.Errorf("request %s: %v", id, err)
		}
	}
	if _, data, err := s.Attachment(ctx, "c", upload(small).SHA256); err != nil || !bytes.Equal(data, small) {
		t.Errorf("the upload accepted near the reserve: %v", err)
	}
}

// TestABatchIsCutWhereTheDiskEnds: the operations of one group commit are
// admitted in order while they fit; the rest are refused.
func TestABatchIsCutWhereTheDiskEnds(t *testing.T) {
	d := &simulatedDisk{}
	d.free.Store(testReserve + 5<<20)
	g := newSpaceGuard("dir", store.Space{Reserve: testReserve, Free: d.Free}, slog.New(slog.DiscardHandler))
	batch := []*op{{room: roomWrite}, {room: roomWrite}, {room: roomWrite}, {room: roomSmall}}
	ok, refused := g.admit(batch)
	if len(ok) != 3 || ok[2].room != roomSmall || len(refused) != 1 || refused[0] != batch[2] {
		t.Fatalf("admitted %d, refused %d; want the first two pushes and the audit entry admitted, the third push refused", len(ok), len(refused))
	}
}

// TestStartRefusedOnAFullDisk: Badger replays and extends its logs at start,
// and on a full disk that kills the process; the store refuses to open
// instead, saying what to do, and opens once there is room.
func TestStartRefusedOnAFullDisk(t *testing.T) {
	dir := t.TempDir()
	d := &simulatedDisk{}
	d.free.Store(testReserve / 4)
	_, err := openOnDisk(t, dir, d)
	if !errors.Is(err, store.ErrStorageFull) || !strings.Contains(err.Error(), "free space on that disk") {
		t.Fatalf("open on a full disk: %v", err)
	}
	d.free.Store(1 << 30)
	s, err := openOnDisk(t, dir, d)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// upload describes data as an attachment of CPAS "c", under its SHA-256.
func upload(data []byte) store.Attachment {
	sum := sha256.Sum256(data)
	return store.Attachment{CPASID: "c", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
}
