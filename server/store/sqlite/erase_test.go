package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// person submits a request naming a person (NISS in the case, names,
// comment, a file) and a mail to a person's address.
func person(t *testing.T, s *Store, mutationID int64, id, niss, name string) {
	t.Helper()
	ctx := context.Background()
	file := []byte("%PDF-1.4 pay slip of " + name + " " + strings.Repeat("x", 2000))
	sha := fmt.Sprintf("%064x", mutationID)
	if err := s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: sha, Size: int64(len(file))}, file,
		store.AuditEntry{UserID: "u1", Action: store.ActionAttachmentUpload}); err != nil {
		t.Fatal(err)
	}
	c := fmt.Sprintf(`{"person":{"niss":%q},"note":%q}`, niss, strings.Repeat("padding ", 200))
	m := store.Mutation{UserID: "u1", ClientID: "dev", MutationID: mutationID, Digest: id,
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Case: []byte(c),
				LastName: name, FirstName: "Prénom-" + name, Comments: "about " + name, Attachments: []string{sha},
				ReferenceEmail: strings.ToLower(name) + "@cpas.example"},
				CPASID: cpasA, RootID: id, Status: api.StatusSent, ReceivedAt: "2025-01-02T10:00:00Z", DueDate: "2025-01-09"}, nil
		}}
	if res, err := s.ApplyMutation(ctx, m); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("submit %s: %+v %v", id, res, err)
	}
	if err := s.EnqueueMail(ctx, store.Mail{ID: "m-" + id, To: strings.ToLower(name) + "@cpas.example", RequestID: id}); err != nil {
		t.Fatal(err)
	}
}

// niss is a valid NISS (born 30 July 1985, serial n): check digits
// 97 - (first nine digits mod 97).
func niss(n int) string {
	base := 850730000 + n
	return fmt.Sprintf("%09d%02d", base, 97-base%97)
}

// filesContaining lists the store's files (database, -wal, -shm) whose
// bytes contain any needle.
func filesContaining(t *testing.T, dir string, needles ...[]byte) []string {
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
			if bytes.Contains(b, n) {
				hits = append(hits, fmt.Sprintf("%s: %.24q", filepath.Base(path), n))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func TestNoNISSNameOrAddressIsReadableInTheDatabaseFiles(t *testing.T) {
	dir := t.TempDir()
	s := openAt(t, dir, nil)
	ctx := context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"})
	s.AddUser(ctx, store.User{ID: "w1", Login: "marie.dupont", DisplayName: "Marie Dupontel", Role: api.RoleWorker, CPASID: cpasA})
	for i := 1; i <= 30; i++ {
		person(t, s, int64(i), fmt.Sprintf("r-%d", i), niss(i), fmt.Sprintf("Zwanepoel%d", i))
	}
	decide(t, s, "r-1", api.StatusCalculated, "2025-01-05T10:00:00Z")
	files := []string{FileName, FileName + "-wal"}
	for _, f := range files {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v (the check below would prove nothing)", f, err)
		}
	}
	secrets := [][]byte{[]byte(niss(1)), []byte(niss(30)), []byte("Zwanepoel"), []byte("pay slip"), []byte("zwanepoel1@cpas.example"),
		[]byte("Marie Dupontel"), []byte("marie.dupont"), []byte("padding padding")}
	if hits := filesContaining(t, dir, secrets...); len(hits) > 0 {
		t.Fatalf("personal data readable on disk: %v", hits)
	}
	if hits := filesContaining(t, dir, []byte("r-17"), []byte(cpasA)); len(hits) == 0 {
		t.Fatal("the ids are not found either: the search itself is broken")
	}
	// The person is still found, by the keyed hash of the NISS.
	var n int
	s.rdb.QueryRow(`SELECT count(*) FROM requests WHERE niss_hmac = ?`, s.seal.NISSHMAC(niss(7))).Scan(&n)
	if n != 1 {
		t.Fatalf("requests found by the NISS's hash: %d", n)
	}
	if r, err := s.Request(ctx, cpasA, "r-7"); err != nil || r.LastName != "Zwanepoel7" {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestASealedValueDoesNotOpenInAnotherRow(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	person(t, s, 2, "r2", "85073003329", "Other")
	if _, err := s.w.conn.ExecContext(ctx, `UPDATE requests SET data_sealed = (SELECT data_sealed FROM requests WHERE id = 'r1') WHERE id = 'r2'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Request(ctx, cpasA, "r2"); !errors.Is(err, sqlbase.ErrSealed) {
		t.Fatalf("r1's data read as r2: %v", err)
	}
	if _, err := s.Request(ctx, cpasA, "r1"); err != nil {
		t.Fatal(err)
	}
}

func TestAnErasedRequestLeavesItsMarkForSyncAndNothingElse(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", niss(2), "Zwanepoel")
	person(t, s, 2, "r2", niss(3), "Other")
	e, err := s.EraseRequest(ctx, cpasA, "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase})
	if err != nil || e.Files != 1 {
		t.Fatalf("erase: %+v %v", e, err)
	}
	if _, err := s.Request(ctx, cpasA, "r1"); !errors.Is(err, store.ErrErased) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("read after erasure: %v", err)
	}
	if _, err := s.RequestByID(ctx, "r1"); !errors.Is(err, store.ErrErased) {
		t.Fatalf("read by id after erasure: %v", err)
	}
	if _, err := s.EraseRequest(ctx, cpasA, "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); !errors.Is(err, store.ErrErased) {
		t.Fatalf("second erasure: %v", err)
	}
	p, err := s.Changes(ctx, cpasA, store.Cursor{}, 10)
	if err != nil || len(p.Requests) != 2 {
		t.Fatalf("changes: %+v %v", p, err)
	}
	mark := p.Requests[1]
	if mark.ID != "r1" || mark.Status != api.StatusErased || mark.Seq != 3 || mark.LastName != "" || len(mark.Attachments) != 0 {
		t.Fatalf("the mark pull sends: %+v", mark)
	}
	q, err := s.Queue(ctx, store.QueueQuery{OfficeID: "namur", Status: api.StatusSent})
	if err != nil || len(q.Items) != 1 || q.Items[0].RequestID != "r2" || s.QueueSize() != 1 {
		t.Fatalf("queue after erasure: %+v (size %d) %v", q, s.QueueSize(), err)
	}
	if _, _, err := s.Attachment(ctx, cpasA, fmt.Sprintf("%064x", 1)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the erased request's file: %v", err)
	}
	var seen []string
	s.ScanRequests(ctx, func(r *api.Request) bool { seen = append(seen, r.ID); return true })
	if strings.Join(seen, ",") != "r2" {
		t.Fatalf("scan after erasure: %v", seen)
	}
	entries, _ := s.Audit(ctx, 0, "r1", 100)
	if last := entries[len(entries)-1]; last.Action != store.ActionSubjectErase || last.CPASID != cpasA {
		t.Fatalf("the erasure's audit entry: %+v", last)
	}
	_, err = s.UpdateRequest(ctx, store.Update{CPASID: cpasA, ID: "r1", Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, nil }})
	if !errors.Is(err, store.ErrErased) {
		t.Fatalf("an update of the erased request: %v", err)
	}
	var hashes int
	s.rdb.QueryRow(`SELECT count(*) FROM requests WHERE niss_hmac IS NOT NULL`).Scan(&hashes)
	if hashes != 1 {
		t.Fatalf("NISS hashes left: %d", hashes)
	}
}

func TestAnErasedRequestsSealedValuesLeaveTheFilesAfterCompact(t *testing.T) {
	dir := t.TempDir()
	s := openAt(t, dir, nil)
	ctx := context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"})
	person(t, s, 1, "r-erased", "85073003328", "Zwanepoel")
	for i := 2; i < 20; i++ {
		person(t, s, int64(i), fmt.Sprintf("r-%d", i), fmt.Sprintf("900101%05d", i), fmt.Sprintf("Other%d", i))
	}
	// The sealed values are what a stolen file and key would open: they
	// must go, not only the answers.
	var data, item, file, niss []byte
	s.rdb.QueryRow(`SELECT data_sealed, item_sealed, niss_hmac FROM requests WHERE id = 'r-erased'`).Scan(&data, &item, &niss)
	s.rdb.QueryRow(`SELECT data_sealed FROM attachments WHERE sha256 = ?`, fmt.Sprintf("%064x", 1)).Scan(&file)
	secrets := [][]byte{data[:64], item[:40], file[:64], niss}
	if hits := filesContaining(t, dir, secrets...); len(hits) < 3 {
		t.Fatalf("the sealed values are not on disk before the erasure: the check below would prove nothing (%v)", hits)
	}
	if _, err := s.EraseRequest(ctx, cpasA, "r-erased", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if hits := filesContaining(t, dir, secrets...); len(hits) > 0 {
		t.Fatalf("erased values still on disk after Compact: %v", hits)
	}
	var pending int
	s.rdb.QueryRow(`SELECT count(*) FROM meta WHERE name = 'purge'`).Scan(&pending)
	if pending != 0 {
		t.Error("Compact left the purge pending")
	}
	if r, err := s.Request(ctx, cpasA, "r-7"); err != nil || r.LastName != "Other7" {
		t.Fatalf("a live request after Compact: %+v %v", r, err)
	}
}

func TestAFileSharedWithAnotherRequestStaysWhenOneIsErased(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	sha := fmt.Sprintf("%064x", 1)
	m := store.Mutation{UserID: "u1", ClientID: "dev", MutationID: 2, Digest: "r2",
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: "r2", Kind: api.KindInitial, Attachments: []string{sha}},
				CPASID: cpasA, RootID: "r2", Status: api.StatusSent}, nil
		}}
	if _, err := s.ApplyMutation(ctx, m); err != nil {
		t.Fatal(err)
	}
	e, err := s.EraseRequest(ctx, cpasA, "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase})
	if err != nil || e.Files != 0 {
		t.Fatalf("erase: %+v %v", e, err)
	}
	if _, data, err := s.Attachment(ctx, cpasA, sha); err != nil || !bytes.Contains(data, []byte("pay slip of Zwanepoel")) {
		t.Fatalf("the file r2 still names: %v", err)
	}
}

func TestAnUnusedUploadIsDeletedAndAUsedOneIsNot(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	person(t, s, 1, "r1", "85073003328", "Zwanepoel")
	loose := fmt.Sprintf("%064x", 99)
	if err := s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: loose}, []byte("%PDF"), store.AuditEntry{UserID: "u1"}); err != nil {
		t.Fatal(err)
	}
	audit := store.AuditEntry{UserID: "cli", Action: store.ActionUploadExpire}
	before, _ := s.Audit(ctx, 0, "", 1000)
	if ok, err := s.DeleteUnusedAttachment(ctx, cpasA, fmt.Sprintf("%064x", 1), audit); ok || err != nil {
		t.Fatalf("a file r1 names was deleted: %v %v", ok, err)
	}
	if after, _ := s.Audit(ctx, 0, "", 1000); len(after) != len(before) {
		t.Fatal("a deletion that deleted nothing was audited")
	}
	if ok, err := s.DeleteUnusedAttachment(ctx, cpasA, loose, audit); !ok || err != nil {
		t.Fatalf("the loose upload: %v %v", ok, err)
	}
	var left []string
	s.ScanAttachments(ctx, func(a store.Attachment) bool { left = append(left, a.SHA256); return true })
	if len(left) != 1 || left[0] != fmt.Sprintf("%064x", 1) {
		t.Fatalf("files left: %v", left)
	}
}

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
	for range 3 {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := s.Compact(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("a write during Compact: %v", err)
	}
}
