package badgerstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// sent stores a sent request of CPAS 0212345668 (office namur) due on due.
func sent(t *testing.T, s *Badger, id, due string) {
	t.Helper()
	m := store.Mutation{UserID: "u", ClientID: "c-" + id, MutationID: 1, Digest: id,
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Attachments: []string{"x"}},
				CPASID: "0212345668", RootID: id, Status: api.StatusSent, ReceivedAt: "2026-11-02T10:00:00+01:00", DueDate: due}, nil
		}}
	if r, err := s.ApplyMutation(context.Background(), m); err != nil || r.Outcome != api.OutcomeApplied {
		t.Fatalf("%+v %v", r, err)
	}
}

func decide(t *testing.T, s *Badger, id string, outcome api.Status, at string) {
	t.Helper()
	_, err := s.UpdateRequest(context.Background(), store.Update{CPASID: "0212345668", ID: id, Change: func(r *api.Request) ([]store.Mail, *api.Error) {
		r.Status, r.Decision = outcome, &api.Decision{Outcome: outcome, DecidedAt: at}
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func queueIDs(t *testing.T, s *Badger, q store.QueueQuery) string {
	t.Helper()
	q.OfficeID = "namur"
	if q.Limit == 0 {
		q.Limit = 100
	}
	p, err := s.Queue(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range p.Items {
		out = append(out, it.RequestID)
	}
	if p.More {
		out = append(out, "+")
	}
	return strings.Join(out, " ")
}

func TestQueueIndex(t *testing.T) {
	s := openTest(t)
	sent(t, s, "c", "2026-11-18")
	sent(t, s, "a", "2026-11-09")
	sent(t, s, "b", "2026-11-12")
	sent(t, s, "d", "2026-11-20")
	decide(t, s, "b", api.StatusCalculated, "2026-11-10T10:00:00Z")
	decide(t, s, "d", api.StatusCalculated, "2026-11-12T10:00:00Z")
	for _, tc := range []struct {
		q    store.QueueQuery
		want string
	}{
		{store.QueueQuery{Status: api.StatusSent}, "a c"}, // by due date
		{store.QueueQuery{Status: api.StatusSent, DueBefore: "2026-11-18"}, "a"},
		{store.QueueQuery{Status: api.StatusSent, DueFrom: "2026-11-10"}, "c"},
		{store.QueueQuery{Status: api.StatusSent, Limit: 1}, "a +"},
		{store.QueueQuery{Status: api.StatusCalculated}, "d b"}, // newest decision first
		{store.QueueQuery{Status: api.StatusCalculated, Limit: 1}, "d +"},
		{store.QueueQuery{Status: api.StatusInvalidated}, ""},
		{store.QueueQuery{Status: api.StatusSent, CPASID: "0212345668"}, "a c"},
		{store.QueueQuery{Status: api.StatusSent, CPASID: "0403199702"}, ""},
	} {
		if got := queueIDs(t, s, tc.q); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.q, got, tc.want)
		}
	}
	p, _ := s.Queue(context.Background(), store.QueueQuery{OfficeID: "namur", Status: api.StatusCalculated, Limit: 1})
	if it := p.Items[0]; it.CPASName != "A" || it.OfficeID != "namur" || !it.HasAttachments || it.DecidedAt != "2026-11-12T10:00:00Z" {
		t.Fatalf("%+v", it)
	}
	n := 0
	s.ScanQueue(context.Background(), "", func(api.QueueItem) bool { n++; return true })
	if n != 4 || s.QueueSize() != 2 {
		t.Fatalf("scan %d, queue size %d", n, s.QueueSize())
	}
}

// TestIndexRebuilt: a store written by issue 5's code (index version 1:
// sent requests only, fewer fields) gets its index rebuilt when it opens.
func TestIndexRebuilt(t *testing.T) {
	s := openTest(t)
	sent(t, s, "a", "2026-11-09")
	sent(t, s, "b", "2026-11-12")
	decide(t, s, "b", api.StatusInvalidated, "2026-11-10T10:00:00Z")
	dir := s.db.Opts().Dir
	err := s.db.Update(func(txn *badger.Txn) error {
		for _, k := range []string{"qd/namur/2026-11-10T10:00:00Z/0212345668/b", "q/namur/2026-11-09/0212345668/a"} {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
		old := `{"requestId":"a","cpasId":"0212345668","kind":"initial","receivedAt":"x","dueDate":"2026-11-09"}`
		if err := txn.Set([]byte("q/namur/2026-11-09/0212345668/a"), []byte(old)); err != nil {
			return err
		}
		return txn.Delete([]byte(keyIndex))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Config{Dir: dir, Key: testKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := queueIDs(t, s, store.QueueQuery{Status: api.StatusInvalidated}); got != "b" {
		t.Fatalf("decided after the rebuild: %q", got)
	}
	p, _ := s.Queue(context.Background(), store.QueueQuery{OfficeID: "namur", Status: api.StatusSent, Limit: 10})
	if len(p.Items) != 1 || p.Items[0].CPASName != "A" || p.Items[0].Status != api.StatusSent || s.QueueSize() != 1 {
		t.Fatalf("sent after the rebuild: %+v, size %d", p.Items, s.QueueSize())
	}
}

func TestUnchangedWritesNothing(t *testing.T) {
	s := openTest(t)
	sent(t, s, "a", "2026-11-09")
	before, _ := s.Digest()
	r, err := s.UpdateRequest(context.Background(), store.Update{CPASID: "0212345668", ID: "a", Audit: store.AuditEntry{Action: "x"},
		Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, store.Unchanged }})
	if err != nil || r.ID != "a" || r.Seq != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	if after, _ := s.Digest(); after != before {
		t.Fatal("Unchanged wrote")
	}
}

func TestMailGivenUp(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	for _, id := range []string{"m1", "m2"} {
		if err := s.EnqueueMail(ctx, store.Mail{ID: id, To: "a@b.be"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkMailFailed(ctx, "m1", time.Now(), "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailSent(ctx, "m1", time.Now()); err != nil { // a late mark changes nothing
		t.Fatal(err)
	}
	pending, failed, err := s.MailStats(ctx)
	if err != nil || pending != 1 || failed != 1 {
		t.Fatalf("pending %d failed %d %v", pending, failed, err)
	}
	due, _ := s.DueMail(ctx, time.Now().Add(time.Hour), 10)
	if len(due) != 1 || due[0].ID != "m2" {
		t.Fatalf("due %+v", due)
	}
}
