package badgerstore

import (
	"context"
	"errors"
	"testing"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// cpasC is a second CPAS of office namur, next to openTest's 0212345668.
const cpasC = "0200000142"

// submitAs applies a new sent request with this id for a CPAS, from its
// own device, and returns the result.
func submitAs(t *testing.T, s *Badger, cpas, id, received string) api.MutationResult {
	t.Helper()
	m := store.Mutation{UserID: "u-" + cpas, ClientID: "dev", MutationID: 1, Digest: cpas + id,
		Audit: store.AuditEntry{UserID: "u-" + cpas},
		Decide: func(v store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial}, CPASID: cpas,
				RootID: id, Status: api.StatusSent, ReceivedAt: received, DueDate: "2026-03-09"}, nil
		}}
	r, err := s.ApplyMutation(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func addCPASC(t *testing.T, s *Badger) {
	t.Helper()
	if err := s.PutCPAS(context.Background(), store.CPAS{ID: cpasC, Name: "C", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
}

// TestARequestIDNamesOneRequestInTheStore: a second CPAS cannot store a
// request under an id another CPAS holds; the id keeps naming the first.
func TestARequestIDNamesOneRequestInTheStore(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	addCPASC(t, s)
	if r := submitAs(t, s, "0212345668", "x", "2026-03-02T10:00:00+01:00"); r.Outcome != api.OutcomeApplied {
		t.Fatalf("first: %+v", r)
	}
	before, _ := s.Digest()
	r := submitAs(t, s, cpasC, "x", "2026-03-02T11:00:00+01:00")
	if r.Outcome != api.OutcomeRejected || r.Error.Code != api.CodeRequestIDTaken {
		t.Fatalf("second CPAS: %+v", r)
	}
	if after, _ := s.Digest(); after != before {
		t.Fatal("the refused request changed the store")
	}
	got, err := s.RequestByID(ctx, "x")
	if err != nil || got.CPASID != "0212345668" {
		t.Fatalf("RequestByID: %+v %v", got, err)
	}
	if _, err := s.RequestByID(ctx, "y"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

// TestDuplicateIDsOfAnOlderStoreOpen: a store written before ids were
// unique (index version 2) may hold one id in two CPAS, with an audit by
// request that mixes them. It opens; the first received keeps the id, the
// queue and the audit by request show only that one.
func TestDuplicateIDsOfAnOlderStoreOpen(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	addCPASC(t, s)
	submitAs(t, s, "0212345668", "x", "2026-03-02T10:00:00+01:00")
	dir := s.db.Opts().Dir
	err := s.db.Update(func(txn *badger.Txn) error {
		// The copy as version 2 stored it, received an hour later.
		c := api.Request{Submission: api.Submission{ID: "x", Kind: api.KindInitial}, CPASID: cpasC, RootID: "x",
			Status: api.StatusSent, ReceivedAt: "2026-03-02T11:00:00+01:00", DueDate: "2026-03-09"}
		if err := setJSON(txn, requestKey(cpasC, "x"), c); err != nil {
			return err
		}
		if err := setJSON(txn, queueKey("namur", c.DueDate, cpasC, "x"), store.QueueItem(&c, store.CPAS{ID: cpasC})); err != nil {
			return err
		}
		if err := s.appendAudit(txn, store.AuditEntry{UserID: "u-c", Action: store.ActionRequestSubmit, CPASID: cpasC, RequestID: "x"}); err != nil {
			return err
		}
		for _, key := range [][]byte{ownerKey("x"), auditByRequestKey("0212345668", "x", 1), auditByRequestKey(cpasC, "x", 2)} {
			if err := txn.Delete(key); err != nil {
				return err
			}
		}
		for _, key := range [][]byte{[]byte("ar/x/0000000000000001"), []byte("ar/x/0000000000000002")} {
			if err := txn.Set(key, nil); err != nil {
				return err
			}
		}
		return setJSON(txn, []byte(keyIndex), int64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Config{Dir: dir, Key: testKey, GCInterval: -1})
	if err != nil {
		t.Fatalf("open with duplicate ids: %v", err)
	}
	defer s.Close()
	if got, err := s.RequestByID(ctx, "x"); err != nil || got.CPASID != "0212345668" {
		t.Fatalf("RequestByID after the upgrade: %+v %v", got, err)
	}
	p, _ := s.Queue(ctx, store.QueueQuery{OfficeID: "namur", Status: api.StatusSent, Limit: 10})
	if len(p.Items) != 1 || p.Items[0].CPASID != "0212345668" {
		t.Fatalf("queue after the upgrade: %+v", p.Items)
	}
	entries, err := s.Audit(ctx, 0, "x", 10)
	if err != nil || len(entries) != 1 || entries[0].CPASID != "0212345668" {
		t.Fatalf("audit of x after the upgrade: %+v %v", entries, err)
	}
	if r := submitAs(t, s, cpasC, "x", "2026-03-03T10:00:00+01:00"); r.Outcome != api.OutcomeRejected {
		t.Fatalf("the later CPAS submits the id again: %+v", r)
	}
}
