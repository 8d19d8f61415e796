package badgerstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// TestTheUsageOfAnOlderStoreIsCounted: a store written before the usage was
// counted gets it from its files and requests when it opens, so its CPAS
// are held to their quota from the first upload on.
func TestTheUsageOfAnOlderStoreIsCounted(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sent(t, s, "a", "2026-11-09")
	sent(t, s, "b", "2026-11-10")
	for _, f := range []struct{ sha, data string }{{"s1", "12345"}, {"s2", "1234567"}} {
		a := store.Attachment{CPASID: "0212345668", SHA256: f.sha, Size: int64(len(f.data))}
		if err := s.PutAttachment(ctx, a, []byte(f.data), store.AuditEntry{Action: store.ActionAttachmentUpload}); err != nil {
			t.Fatal(err)
		}
	}
	want := store.Usage{AttachmentBytes: 12, Attachments: 2, Requests: 2}
	if u, _ := s.Usage(ctx, "0212345668"); u != want {
		t.Fatalf("usage %+v, want %+v", u, want)
	}
	dir := s.db.Opts().Dir
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Delete(usageKey("0212345668")); err != nil {
			return err
		}
		return setJSON(txn, []byte(keyIndex), int64(4))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Config{Dir: dir, Key: testKey, GCInterval: -1, Quota: store.Quota{AttachmentBytes: 15}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, _ := s.Usage(ctx, "0212345668"); u != want {
		t.Fatalf("usage after the upgrade %+v, want %+v", u, want)
	}
	a := store.Attachment{CPASID: "0212345668", SHA256: "s3", Size: 4}
	if err := s.PutAttachment(ctx, a, []byte("1234"), store.AuditEntry{Action: store.ActionAttachmentUpload}); !errors.Is(err, store.ErrQuotaExceeded) {
		t.Fatalf("a file over the quota of the upgraded store: %v", err)
	}
}

// TestErasedRequestsAndDeletedFilesLeaveTheUsage: what an erasure or the
// retention deletes no longer counts against the CPAS's quota, in the
// transaction that deletes it, and art60 admin check's recount agrees.
func TestErasedRequestsAndDeletedFilesLeaveTheUsage(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	upload := func(data string) string {
		t.Helper()
		sum := sha256.Sum256([]byte(data))
		a := store.Attachment{CPASID: "0212345668", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
		if err := s.PutAttachment(ctx, a, []byte(data), store.AuditEntry{Action: store.ActionAttachmentUpload}); err != nil {
			t.Fatal(err)
		}
		return a.SHA256
	}
	x, unused := upload("12345"), upload("1234567")
	for _, id := range []string{"a", "b"} { // both name the file x
		m := store.Mutation{UserID: "u", ClientID: "c-" + id, MutationID: 1, Digest: id,
			Decide: func(store.View) (*api.Request, *api.Error) {
				return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Attachments: []string{x}},
					CPASID: "0212345668", RootID: id, Status: api.StatusSent, ReceivedAt: "2026-11-02T10:00:00+01:00", DueDate: "2026-11-09"}, nil
			}}
		if r, err := s.ApplyMutation(ctx, m); err != nil || r.Outcome != api.OutcomeApplied {
			t.Fatalf("%+v %v", r, err)
		}
	}
	check := func(when string, want store.Usage) {
		t.Helper()
		if u, _ := s.Usage(ctx, "0212345668"); u != want {
			t.Fatalf("%s: %+v, want %+v", when, u, want)
		}
		// art60 admin check recounts the usage and finds it equal.
		if rep, err := s.Check(ctx); err != nil || len(rep.Problems) > 0 {
			t.Fatalf("%s: check: %v %v", when, err, rep.Problems)
		}
	}
	if _, err := s.EraseRequest(ctx, "0212345668", "a", store.AuditEntry{Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	check("a erased, x still named by b", store.Usage{AttachmentBytes: 12, Attachments: 2, Requests: 1})
	if ok, err := s.DeleteUnusedAttachment(ctx, "0212345668", unused, store.AuditEntry{Action: store.ActionUploadExpire}); !ok || err != nil {
		t.Fatalf("delete the unused upload: %v %v", ok, err)
	}
	check("the unused upload deleted", store.Usage{AttachmentBytes: 5, Attachments: 1, Requests: 1})
	if _, err := s.EraseRequest(ctx, "0212345668", "b", store.AuditEntry{Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	check("b erased with x", store.Usage{})
}
