package badgerstore

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
)

var testKey = bytes.Repeat([]byte{7}, 32)

func openTest(t *testing.T) *Badger {
	t.Helper()
	s, err := Open(Config{Dir: t.TempDir(), Key: testKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.PutCPAS(context.Background(), store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func mutation(id int64, reqID, digest string) store.Mutation {
	return store.Mutation{UserID: "u1", ClientID: "dev", MutationID: id, Digest: digest,
		Decide: func(v store.View) (*api.Request, *api.Error) {
			if _, err := v.Request("0212345668", reqID); err == nil {
				return nil, &api.Error{Code: api.CodeAlreadySent}
			}
			return &api.Request{Submission: api.Submission{ID: reqID, Kind: api.KindInitial}, CPASID: "0212345668",
				RootID: reqID, Status: api.StatusSent, ReceivedAt: "2025-01-02T10:00:00Z", DueDate: "2025-01-09"}, nil
		}}
}

func TestApplyMutationReplay(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	first, err := s.ApplyMutation(ctx, mutation(3, "r1", "d1"))
	if err != nil || first.Outcome != api.OutcomeApplied || first.Receipt.Seq != 1 {
		t.Fatalf("%+v %v", first, err)
	}
	again, _ := s.ApplyMutation(ctx, mutation(3, "r1", "d1"))
	if again.Outcome != api.OutcomeApplied || again.Receipt.Seq != first.Receipt.Seq || again.Receipt.ReceivedAt != first.Receipt.ReceivedAt {
		t.Fatalf("replay %+v", again)
	}
	if r, _ := s.ApplyMutation(ctx, mutation(3, "r2", "other")); r.Error == nil || r.Error.Code != api.CodeMutationReused {
		t.Fatalf("reused id: %+v", r)
	}
	if r, _ := s.ApplyMutation(ctx, mutation(2, "r2", "d2")); r.Error == nil || r.Error.Code != api.CodeStaleMutation {
		t.Fatalf("stale id: %+v", r)
	}
	if r, _ := s.ApplyMutation(ctx, mutation(4, "r1", "d4")); r.Error == nil || r.Error.Code != api.CodeAlreadySent {
		t.Fatalf("decided rejection: %+v", r)
	}
	// A rejection is not recorded: the next id is still free.
	if r, _ := s.ApplyMutation(ctx, mutation(4, "r3", "d4b")); r.Outcome != api.OutcomeApplied {
		t.Fatalf("after a rejection: %+v", r)
	}
	if s.QueueSize() != 2 {
		t.Fatalf("queue %d", s.QueueSize())
	}
}

func TestChangesPagesAndCursor(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	for i := range 5 {
		if _, err := s.ApplyMutation(ctx, mutation(int64(i+1), "r"+string(rune('a'+i)), "d")); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.Changes(ctx, "0212345668", store.Cursor{Seq: -1}, 2)
	if err != nil || !p.Full || !p.More || len(p.Requests) != 2 || p.Next.Seq != 2 {
		t.Fatalf("first page %+v %v", p, err)
	}
	p, _ = s.Changes(ctx, "0212345668", p.Next, 10)
	if p.Full || p.More || len(p.Requests) != 3 || p.Next.Seq != 5 {
		t.Fatalf("second page %+v", p)
	}
	// A change moves a request to the end of the sequence.
	_, err = s.UpdateRequest(ctx, store.Update{CPASID: "0212345668", ID: "ra", Change: func(r *api.Request) ([]store.Mail, *api.Error) {
		r.Status = api.StatusCalculated
		return []store.Mail{{ID: "m1", To: "a@b.be", RequestID: "ra"}}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	p, _ = s.Changes(ctx, "0212345668", p.Next, 10)
	if len(p.Requests) != 1 || p.Requests[0].ID != "ra" || p.Requests[0].Seq != 6 {
		t.Fatalf("after update %+v", p)
	}
	if p, _ := s.Changes(ctx, "0212345668", store.Cursor{Epoch: p.Next.Epoch, Seq: 99}, 10); !p.Full || len(p.Requests) != 5 {
		t.Fatalf("cursor from the future: full=%v n=%d", p.Full, len(p.Requests))
	}
	if s.QueueSize() != 4 {
		t.Fatalf("queue %d", s.QueueSize())
	}
}

func TestMailOutbox(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	now := time.Now()
	if err := s.EnqueueMail(ctx, store.Mail{ID: "m1", To: "a@b.be"}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailRetry(ctx, "m1", now.Add(time.Hour), "smtp down"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMail(ctx, now.Add(time.Minute), 10); len(due) != 0 {
		t.Fatalf("retry not postponed: %+v", due)
	}
	due, _ := s.DueMail(ctx, now.Add(2*time.Hour), 10)
	if len(due) != 1 || due[0].Attempts != 1 {
		t.Fatalf("%+v", due)
	}
	if err := s.MarkMailSent(ctx, "m1", now); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMail(ctx, now.Add(48*time.Hour), 10); len(due) != 0 {
		t.Fatalf("sent mail still due: %+v", due)
	}
}

func TestBackupRefusesTamperingAndOtherKeys(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: "x"})
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	key := bytes.Repeat([]byte{7}, 32)
	if err := Restore(bytes.NewReader(b[:len(b)-10]), filepath.Join(t.TempDir(), "x"), key, nil); err == nil {
		t.Error("truncated backup restored")
	}
	flipped := append([]byte{}, b...)
	flipped[len(flipped)/2] ^= 1
	if err := Restore(bytes.NewReader(flipped), filepath.Join(t.TempDir(), "y"), key, nil); err == nil {
		t.Error("tampered backup restored")
	}
	if err := Restore(bytes.NewReader(b), filepath.Join(t.TempDir(), "z"), bytes.Repeat([]byte{8}, 32), nil); err == nil {
		t.Error("backup restored with another key")
	}
	dir := filepath.Join(t.TempDir(), "ok")
	if err := Restore(bytes.NewReader(b), dir, key, nil); err != nil {
		t.Fatal(err)
	}
}

func TestLockedDirectory(t *testing.T) {
	dir := openTest(t).db.Opts().Dir
	if _, err := Open(Config{Dir: dir, Key: bytes.Repeat([]byte{7}, 32)}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v", err)
	}
}
