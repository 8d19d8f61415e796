package badgerstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// rawDB opens a stopped store's directory with Badger itself, as someone
// holding the key could, to alter records behind the store's back.
func rawDB(t *testing.T, dir string) *badger.DB {
	t.Helper()
	db, err := badger.Open(options(dir, testKey, slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func openDir(t *testing.T, dir string) *Badger {
	t.Helper()
	s, err := Open(Config{Dir: dir, Key: testKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verify(t *testing.T, s store.Store) store.AuditCheck {
	t.Helper()
	c, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func appendN(t *testing.T, s store.Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.AppendAudit(context.Background(), store.AuditEntry{UserID: fmt.Sprintf("u%d", i), Action: store.ActionRequestRead, CPASID: "0212345668"}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConcurrentAppendsFormOneChain: appends from many goroutines, some in
// the transaction of a change, are group-committed by the writer and still
// form one chain, which verifies while they run and after.
func TestConcurrentAppendsFormOneChain(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				var err error
				if i%4 == 0 {
					_, err = s.ApplyMutation(ctx, store.Mutation{UserID: "u", ClientID: fmt.Sprintf("dev%d", g), MutationID: int64(i + 1),
						Digest: "d", Decide: mutation(0, fmt.Sprintf("r%d-%d", g, i), "d").Decide})
				} else {
					err = s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: store.ActionRequestRead},
						store.AuditEntry{UserID: "u", Action: store.ActionQueueRead})
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	checked := make(chan int)
	go func() { // verify on the live store while the appends run
		n := 0
		for {
			select {
			case <-stop:
				checked <- n
				return
			default:
			}
			if c := verify(t, s); !c.OK() {
				t.Errorf("live chain broken at %d: %s", c.BrokenAt, c.Problem)
			}
			n++
		}
	}()
	wg.Wait()
	close(stop)
	if n := <-checked; n == 0 {
		t.Error("the chain was never verified during the appends")
	}
	c := verify(t, s)
	// 16 goroutines × (10 submits + 30 × 2 reads)
	if !c.OK() || c.Entries != 16*70 || c.Unchained != 0 || c.HeadSeq != c.Entries || len(c.Head) != 64 {
		t.Fatalf("after the appends: %+v", c)
	}
	all, err := s.Audit(ctx, 0, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	if all[0].Prev != "" {
		t.Errorf("first entry's prev %q, want empty", all[0].Prev)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Prev != all[i-1].Hash || all[i].Hash == "" {
			t.Fatalf("entry %d does not link to %d", all[i].Seq, all[i-1].Seq)
		}
	}
}

// alter rewrites the stored JSON of one audit entry in a stopped store.
func alter(t *testing.T, dir string, seq int64, edit func(e *store.AuditEntry)) {
	t.Helper()
	db := rawDB(t, dir)
	defer db.Close()
	err := db.Update(func(txn *badger.Txn) error {
		var e store.AuditEntry
		if err := getJSON(txn, auditKey(seq), &e); err != nil {
			return err
		}
		edit(&e)
		return setJSON(txn, auditKey(seq), e)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAnAlteredEntryIsReportedBySequenceNumber: one entry's JSON rewritten
// in a stopped store is named by its sequence number; an alteration that
// also recomputes the entry's hash is caught by the next link; removed
// entries, in the middle or at the end, are found too.
func TestAnAlteredEntryIsReportedBySequenceNumber(t *testing.T) {
	cases := []struct {
		name    string
		damage  func(t *testing.T, dir string)
		at      int64
		problem string
	}{
		{"user id changed", func(t *testing.T, dir string) {
			alter(t, dir, 7, func(e *store.AuditEntry) { e.UserID = "someone-else" })
		}, 7, "hash does not match"},
		{"action changed and hash recomputed", func(t *testing.T, dir string) {
			alter(t, dir, 7, func(e *store.AuditEntry) {
				e.Action = store.ActionQueueRead
				store.ChainAudit(e, e.Prev)
			})
		}, 8, "prev is not the hash"},
		{"hash removed", func(t *testing.T, dir string) {
			alter(t, dir, 7, func(e *store.AuditEntry) { e.Hash, e.Prev = "", "" })
		}, 7, "no hash"},
		{"entry deleted", func(t *testing.T, dir string) {
			db := rawDB(t, dir)
			defer db.Close()
			db.Update(func(txn *badger.Txn) error { return txn.Delete(auditKey(7)) })
		}, 8, "entries 7 to 7 are missing"},
		{"last entry deleted", func(t *testing.T, dir string) {
			db := rawDB(t, dir)
			defer db.Close()
			db.Update(func(txn *badger.Txn) error { return txn.Delete(auditKey(12)) })
		}, 12, "missing at the end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openDir(t, dir)
			appendN(t, s, 12)
			if c := verify(t, s); !c.OK() || c.Entries != 12 {
				t.Fatalf("before: %+v", c)
			}
			s.Close()
			tc.damage(t, dir)
			s = openDir(t, dir)
			defer s.Close()
			c := verify(t, s)
			if c.BrokenAt != tc.at || !strings.Contains(c.Problem, tc.problem) {
				t.Fatalf("got broken at %d (%s), want %d (%s)", c.BrokenAt, c.Problem, tc.at, tc.problem)
			}
		})
	}
}

// TestEntriesOfAnOlderStoreStartTheChain: entries written before the chain
// (no prev, no hash) are counted as unchained; the chain starts at the
// first entry written after them, and it is checked from there.
func TestEntriesOfAnOlderStoreStartTheChain(t *testing.T) {
	dir := t.TempDir()
	db := rawDB(t, dir)
	err := db.Update(func(txn *badger.Txn) error {
		for seq := int64(1); seq <= 3; seq++ {
			// The encoding of the code before the chain: no prev, no hash.
			b, _ := json.Marshal(map[string]any{"seq": seq, "time": "2026-01-01T00:00:00Z", "userId": "old", "action": store.ActionRequestRead})
			if err := txn.Set(auditKey(seq), b); err != nil {
				return err
			}
		}
		return setJSON(txn, []byte(keyAuditSeq), int64(3))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := openDir(t, dir)
	appendN(t, s, 4)
	all, _ := s.Audit(context.Background(), 0, "", 100)
	if len(all) != 7 || all[3].Prev != "" || all[3].Hash == "" || all[4].Prev != all[3].Hash {
		t.Fatalf("chain after older entries: %+v", all)
	}
	if c := verify(t, s); !c.OK() || c.Entries != 7 || c.Unchained != 3 {
		t.Fatalf("verify: %+v", c)
	}
	s.Close()
	alter(t, dir, 2, func(e *store.AuditEntry) { e.Prev, e.Hash = "", "x" }) // an older entry made to look chained
	s = openDir(t, dir)
	defer s.Close()
	if c := verify(t, s); c.BrokenAt != 2 {
		t.Fatalf("a chained entry among the older ones: %+v", c)
	}
}
