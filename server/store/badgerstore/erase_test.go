package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/api"
	"art60/server/store"

	badgeroptions "github.com/dgraph-io/badger/v4/options"
)

// openPlain opens a store without encryption, without Badger's block
// compression and with 1 MiB value-log files, so that a test can look for a
// person's data in the raw files (a packed request as its packed bytes).
func openPlain(t *testing.T, dir string) *Badger {
	t.Helper()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := open(Config{Dir: dir, GCInterval: -1}, log, options(dir, nil, log).WithValueLogFileSize(1<<20).WithCompression(badgeroptions.None))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.PutCPAS(context.Background(), store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// person submits a request naming a person, with a comment and a file.
func person(t *testing.T, s *Badger, mutationID int64, id, niss, name string) {
	t.Helper()
	ctx := context.Background()
	file := []byte("%PDF-1.4 pay slip of " + name + " " + strings.Repeat("x", 2000))
	sha := fmt.Sprintf("%064x", mutationID)
	if err := s.PutAttachment(ctx, store.Attachment{CPASID: "0212345668", SHA256: sha, Size: int64(len(file))}, file,
		store.AuditEntry{UserID: "u1", Action: store.ActionAttachmentUpload}); err != nil {
		t.Fatal(err)
	}
	c := fmt.Sprintf(`{"person":{"niss":%q},"note":%q}`, niss, strings.Repeat("padding ", 200))
	m := store.Mutation{UserID: "u1", ClientID: "dev", MutationID: mutationID, Digest: id,
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Case: []byte(c),
				LastName: name, FirstName: "Prénom-" + name, Comments: "about " + name, Attachments: []string{sha}},
				CPASID: "0212345668", RootID: id, Status: api.StatusSent, ReceivedAt: "2025-01-02T10:00:00Z", DueDate: "2025-01-09"}, nil
		}}
	if res, err := s.ApplyMutation(ctx, m); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("submit %s: %+v %v", id, res, err)
	}
}

// filesContaining lists the store's files whose bytes contain any needle.
func filesContaining(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				hits = append(hits, filepath.Base(path)+": "+n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func TestAnErasedPersonLeavesTheFilesOnDiskAfterCompact(t *testing.T) {
	dir := t.TempDir()
	s, ctx := openPlain(t, dir), context.Background()
	person(t, s, 1, "r-erased", "85073003328", "Zwanepoel")
	for i := 2; i < 40; i++ { // others, so that files hold live data too
		person(t, s, int64(i), fmt.Sprintf("r-%d", i), fmt.Sprintf("900101%05d", i), fmt.Sprintf("Other%d", i))
	}
	packed := string(rawValue(t, s, requestKey("0212345668", "r-erased"))) // the request, names included (codec.go)
	secrets := []string{"85073003328", "Zwanepoel", "pay slip of Zwanepoel", packed}
	if hits := filesContaining(t, dir, packed); len(hits) == 0 {
		t.Fatal("the plain store's files do not show the packed request before the erasure: the check below would prove nothing")
	}
	e, err := s.EraseRequest(ctx, "0212345668", "r-erased", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase})
	if err != nil || e.Files != 1 {
		t.Fatalf("erase: %+v %v", e, err)
	}
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if hits := filesContaining(t, dir, secrets...); len(hits) > 0 {
		t.Fatalf("erased data still on disk after Compact: %v", hits)
	}
	if s.purgePending() {
		t.Error("Compact left the purge pending")
	}
	if r, err := s.Request(ctx, "0212345668", "r-7"); err != nil || r.LastName != "Other7" {
		t.Fatalf("a live request after Compact: %+v %v", r, err)
	}
	if _, data, err := s.Attachment(ctx, "0212345668", fmt.Sprintf("%064x", 7)); err != nil || !bytes.Contains(data, []byte("Other7")) {
		t.Fatalf("a live file after Compact: %v", err)
	}
}

func TestAnErasedRequestLeavesItsMarkForSyncAndNothingElse(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	person(t, s, 2, "r2", "85073003329", "Other")
	if _, err := s.EraseRequest(ctx, "0212345668", "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Request(ctx, "0212345668", "r1"); !errors.Is(err, store.ErrErased) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("read after erasure: %v", err)
	}
	if _, err := s.RequestByID(ctx, "r1"); !errors.Is(err, store.ErrErased) {
		t.Fatalf("read by id after erasure: %v", err)
	}
	if _, err := s.EraseRequest(ctx, "0212345668", "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); !errors.Is(err, store.ErrErased) {
		t.Fatalf("second erasure: %v", err)
	}
	p, err := s.Changes(ctx, "0212345668", store.Cursor{}, 10)
	if err != nil || len(p.Requests) != 2 {
		t.Fatalf("changes: %+v %v", p, err)
	}
	mark := p.Requests[1]
	if mark.ID != "r1" || mark.Status != api.StatusErased || mark.Seq != 3 || mark.LastName != "" || (len(mark.Case) != 0 && string(mark.Case) != "null") || len(mark.Attachments) != 0 {
		t.Fatalf("the mark pull sends: %+v", mark)
	}
	q, err := s.Queue(ctx, store.QueueQuery{OfficeID: "namur", Status: api.StatusSent})
	if err != nil || len(q.Items) != 1 || q.Items[0].RequestID != "r2" || s.QueueSize() != 1 {
		t.Fatalf("queue after erasure: %+v (size %d) %v", q, s.QueueSize(), err)
	}
	if _, _, err := s.Attachment(ctx, "0212345668", fmt.Sprintf("%064x", 1)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the erased request's file: %v", err)
	}
	var seen []string
	s.ScanRequests(ctx, func(r *api.Request) bool { seen = append(seen, r.ID); return true })
	if strings.Join(seen, ",") != "r2" {
		t.Fatalf("scan after erasure: %v", seen)
	}
	entries, _ := s.Audit(ctx, 0, "r1", 100)
	if last := entries[len(entries)-1]; last.Action != store.ActionSubjectErase || last.CPASID != "0212345668" {
		t.Fatalf("the erasure's audit entry: %+v", last)
	}
	_, err = s.UpdateRequest(ctx, store.Update{CPASID: "0212345668", ID: "r1", Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, nil }})
	if !errors.Is(err, store.ErrErased) {
		t.Fatalf("an update of the erased request: %v", err)
	}
}

func TestAFileSharedWithAnotherRequestStaysWhenOneIsErased(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	sha := fmt.Sprintf("%064x", 1)
	m := store.Mutation{UserID: "u1", ClientID: "dev", MutationID: 2, Digest: "r2",
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: "r2", Kind: api.KindInitial, Attachments: []string{sha}},
				CPASID: "0212345668", RootID: "r2", Status: api.StatusSent}, nil
		}}
	if _, err := s.ApplyMutation(ctx, m); err != nil {
		t.Fatal(err)
	}
	e, err := s.EraseRequest(ctx, "0212345668", "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase})
	if err != nil || e.Files != 0 {
		t.Fatalf("erase: %+v %v", e, err)
	}
	if _, _, err := s.Attachment(ctx, "0212345668", sha); err != nil {
		t.Fatalf("the file r2 still names: %v", err)
	}
}

func TestAnUnusedUploadIsDeletedAndAUsedOneIsNot(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	loose := fmt.Sprintf("%064x", 99)
	if err := s.PutAttachment(ctx, store.Attachment{CPASID: "0212345668", SHA256: loose}, []byte("%PDF"), store.AuditEntry{UserID: "u1"}); err != nil {
		t.Fatal(err)
	}
	audit := store.AuditEntry{UserID: "cli", Action: store.ActionUploadExpire}
	if ok, err := s.DeleteUnusedAttachment(ctx, "0212345668", fmt.Sprintf("%064x", 1), audit); ok || err != nil {
		t.Fatalf("a file r1 names was deleted: %v %v", ok, err)
	}
	if ok, err := s.DeleteUnusedAttachment(ctx, "0212345668", loose, audit); !ok || err != nil {
		t.Fatalf("the loose upload: %v %v", ok, err)
	}
	var left []string
	s.ScanAttachments(ctx, func(a store.Attachment) bool { left = append(left, a.SHA256); return true })
	if len(left) != 1 || left[0] != fmt.Sprintf("%064x", 1) {
		t.Fatalf("files left: %v", left)
	}
}

// The writer's exclusive operations run with no transaction in flight.
func TestCompactRunsWhileOthersWrite(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	done := make(chan error)
	go func() {
		for i := int64(1); i <= 50; i++ {
			if _, err := s.ApplyMutation(ctx, mutation(i, fmt.Sprintf("r%d", i), fmt.Sprint(i))); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 3; i++ {
		if err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("a write during Compact: %v", err)
	}
}
