package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

var testKey = bytes.Repeat([]byte{7}, 32)

const cpasA, cpasC = "0212345668", "0200000142"

func openAt(t *testing.T, dir string, now func() time.Time) *Store {
	t.Helper()
	s, err := Open(Config{Dir: dir, Key: testKey, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openTest opens a new store with CPAS A of office namur.
func openTest(t *testing.T) *Store {
	t.Helper()
	s := openAt(t, t.TempDir(), nil)
	if err := s.PutCPAS(context.Background(), store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func mutation(id int64, reqID, digest string) store.Mutation {
	return store.Mutation{UserID: "u1", ClientID: "dev", MutationID: id, Digest: digest,
		Decide: func(v store.View) (*api.Request, *api.Error) {
			if _, err := v.Request(cpasA, reqID); err == nil {
				return nil, &api.Error{Code: api.CodeAlreadySent}
			}
			return &api.Request{Submission: api.Submission{ID: reqID, Kind: api.KindInitial}, CPASID: cpasA,
				RootID: reqID, Status: api.StatusSent, ReceivedAt: "2025-01-02T10:00:00Z", DueDate: "2025-01-09"}, nil
		}}
}

// digest hashes every row of every table: two equal digests, the same data.
func digest(t *testing.T, s *Store) string {
	t.Helper()
	h := sha256.New()
	for _, table := range []string{"meta", "cpas", "requests", "request_files", "attachments", "devices", "mutation_results",
		"users", "sessions", "audit", "mail"} {
		rows, err := s.rdb.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestAMutationIsAppliedOnceAndItsReplayGetsTheStoredResult(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	first, err := s.ApplyMutation(ctx, mutation(3, "r1", "d1"))
	if err != nil || first.Outcome != api.OutcomeApplied || first.Receipt.Seq != 1 {
		t.Fatalf("%+v %v", first, err)
	}
	again, _ := s.ApplyMutation(ctx, mutation(3, "r1", "d1"))
	if again.Outcome != api.OutcomeApplied || again.Receipt.Seq != 1 || again.Receipt.ReceivedAt != first.Receipt.ReceivedAt {
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
	if r, _ := s.ApplyMutation(ctx, mutation(4, "r3", "d4b")); r.Outcome != api.OutcomeApplied || r.Receipt.Seq != 2 {
		t.Fatalf("after a rejection: %+v", r)
	}
	if s.QueueSize() != 2 {
		t.Fatalf("queue %d", s.QueueSize())
	}
}

func TestAStoredResultExpiresAfterNinetyDaysOfTheStoreClock(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s := openAt(t, t.TempDir(), func() time.Time { return now })
	ctx := context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"})
	if r, _ := s.ApplyMutation(ctx, mutation(1, "r1", "d1")); r.Outcome != api.OutcomeApplied {
		t.Fatalf("%+v", r)
	}
	now = now.Add(sqlbase.ResultTTL + time.Hour)
	if r, _ := s.ApplyMutation(ctx, mutation(1, "r1", "d1")); r.Error == nil || r.Error.Code != api.CodeStaleMutation {
		t.Fatalf("a replay after the result expired: %+v", r)
	}
}

func TestChangesPageByCursorAndAChangeMovesARequestToTheEnd(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	for i := range 5 {
		if _, err := s.ApplyMutation(ctx, mutation(int64(i+1), "r"+string(rune('a'+i)), "d")); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.Changes(ctx, cpasA, store.Cursor{Seq: -1}, 2)
	if err != nil || !p.Full || !p.More || len(p.Requests) != 2 || p.Next.Seq != 2 || p.Requests[1].Seq != 2 {
		t.Fatalf("first page %+v %v", p, err)
	}
	p, _ = s.Changes(ctx, cpasA, p.Next, 10)
	if p.Full || p.More || len(p.Requests) != 3 || p.Next.Seq != 5 {
		t.Fatalf("second page %+v", p)
	}
	r, err := s.UpdateRequest(ctx, store.Update{CPASID: cpasA, ID: "ra", Change: func(r *api.Request) ([]store.Mail, *api.Error) {
		r.Status = api.StatusCalculated
		return []store.Mail{{ID: "m1", To: "a@b.be", RequestID: "ra"}}, nil
	}})
	if err != nil || r.Seq != 6 {
		t.Fatalf("update: %+v %v", r, err)
	}
	p, _ = s.Changes(ctx, cpasA, p.Next, 10)
	if len(p.Requests) != 1 || p.Requests[0].ID != "ra" || p.Requests[0].Seq != 6 {
		t.Fatalf("after update %+v", p)
	}
	if p, _ := s.Changes(ctx, cpasA, store.Cursor{Epoch: p.Next.Epoch, Seq: 99}, 10); !p.Full || len(p.Requests) != 5 {
		t.Fatalf("cursor from the future: full=%v n=%d", p.Full, len(p.Requests))
	}
	if p, _ := s.Changes(ctx, cpasA, store.Cursor{Epoch: "other", Seq: 3}, 10); !p.Full {
		t.Fatal("a cursor of another epoch is not a full listing")
	}
	if due, _ := s.DueMail(ctx, time.Now().Add(time.Hour), 10); len(due) != 1 || due[0].To != "a@b.be" {
		t.Fatalf("the update's mail: %+v", due)
	}
	if s.QueueSize() != 4 {
		t.Fatalf("queue %d", s.QueueSize())
	}
}

// sent stores a sent request of CPAS A (office namur) due on due.
func sent(t *testing.T, s *Store, id, due string) {
	t.Helper()
	m := store.Mutation{UserID: "u", ClientID: "c-" + id, MutationID: 1, Digest: id,
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Attachments: []string{"x"},
				LastName: "Name-" + id}, CPASID: cpasA, RootID: id, Status: api.StatusSent,
				ReceivedAt: "2026-11-02T10:00:00+01:00", DueDate: due}, nil
		}}
	if r, err := s.ApplyMutation(context.Background(), m); err != nil || r.Outcome != api.OutcomeApplied {
		t.Fatalf("%+v %v", r, err)
	}
}

func decide(t *testing.T, s *Store, id string, outcome api.Status, at string) {
	t.Helper()
	_, err := s.UpdateRequest(context.Background(), store.Update{CPASID: cpasA, ID: id, Change: func(r *api.Request) ([]store.Mail, *api.Error) {
		r.Status, r.Decision = outcome, &api.Decision{Outcome: outcome, DecidedAt: at}
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func queueIDs(t *testing.T, s *Store, q store.QueueQuery) string {
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

func TestTheQueueListsSentRequestsByDueDateAndDecidedOnesNewestFirst(t *testing.T) {
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
		{store.QueueQuery{Status: api.StatusSent}, "a c"},
		{store.QueueQuery{Status: api.StatusSent, DueBefore: "2026-11-18"}, "a"},
		{store.QueueQuery{Status: api.StatusSent, DueFrom: "2026-11-10"}, "c"},
		{store.QueueQuery{Status: api.StatusSent, Limit: 1}, "a +"},
		{store.QueueQuery{Status: api.StatusCalculated}, "d b"},
		{store.QueueQuery{Status: api.StatusCalculated, Limit: 1}, "d +"},
		{store.QueueQuery{Status: api.StatusInvalidated}, ""},
		{store.QueueQuery{Status: api.StatusSent, CPASID: cpasA}, "a c"},
		{store.QueueQuery{Status: api.StatusSent, CPASID: "0403199702"}, ""},
		{store.QueueQuery{Status: api.StatusSent, Limit: -1}, "a c"},
	} {
		if got := queueIDs(t, s, tc.q); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.q, got, tc.want)
		}
	}
	p, _ := s.Queue(context.Background(), store.QueueQuery{OfficeID: "namur", Status: api.StatusCalculated, Limit: 1})
	if it := p.Items[0]; it.CPASName != "A" || it.OfficeID != "namur" || !it.HasAttachments || it.DecidedAt != "2026-11-12T10:00:00Z" || it.LastName != "Name-d" {
		t.Fatalf("%+v", it)
	}
	var order []string
	s.ScanQueue(context.Background(), "", func(it api.QueueItem) bool { order = append(order, it.RequestID); return true })
	if strings.Join(order, " ") != "a c b d" || s.QueueSize() != 2 {
		t.Fatalf("scan %v, queue size %d", order, s.QueueSize())
	}
	order = nil
	s.ScanQueue(context.Background(), "namur", func(it api.QueueItem) bool { order = append(order, it.RequestID); return len(order) < 3 })
	if strings.Join(order, " ") != "a c b" {
		t.Fatalf("a scan stopped after 3: %v", order)
	}
}

func TestUnchangedWritesNothing(t *testing.T) {
	s := openTest(t)
	sent(t, s, "a", "2026-11-09")
	before := digest(t, s)
	r, err := s.UpdateRequest(context.Background(), store.Update{CPASID: cpasA, ID: "a", Audit: store.AuditEntry{Action: "x"},
		Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, store.Unchanged }})
	if err != nil || r.ID != "a" || r.Seq != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	if digest(t, s) != before {
		t.Fatal("Unchanged wrote")
	}
	_, err = s.UpdateRequest(context.Background(), store.Update{CPASID: cpasA, ID: "a", Audit: store.AuditEntry{Action: "x"},
		Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, &api.Error{Code: api.CodeInvalid} }})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeInvalid || digest(t, s) != before {
		t.Fatalf("a refused change: %v, or it wrote", err)
	}
}

func TestARequestIDNamesOneRequestInTheStore(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasC, Name: "C", OfficeID: "namur"})
	submit := func(cpas string) api.MutationResult {
		r, err := s.ApplyMutation(ctx, store.Mutation{UserID: "u-" + cpas, ClientID: "dev", MutationID: 1, Digest: cpas,
			Decide: func(v store.View) (*api.Request, *api.Error) {
				return &api.Request{Submission: api.Submission{ID: "x", Kind: api.KindInitial}, CPASID: cpas,
					RootID: "x", Status: api.StatusSent, DueDate: "2026-03-09"}, nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := submit(cpasA); r.Outcome != api.OutcomeApplied {
		t.Fatalf("first: %+v", r)
	}
	before := digest(t, s)
	if r := submit(cpasC); r.Outcome != api.OutcomeRejected || r.Error.Code != api.CodeRequestIDTaken {
		t.Fatalf("second CPAS: %+v", r)
	}
	if digest(t, s) != before {
		t.Fatal("the refused request changed the store")
	}
	if got, err := s.RequestByID(ctx, "x"); err != nil || got.CPASID != cpasA {
		t.Fatalf("RequestByID: %+v %v", got, err)
	}
	if _, err := s.Request(ctx, cpasC, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the other CPAS reads the id: %v", err)
	}
	if _, err := s.RequestByID(ctx, "y"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestEndChecksAreCountedPerOriginalRequest(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	sent(t, s, "root", "2026-11-09")
	var counted []int
	for i, id := range []string{"e1", "e2"} {
		_, err := s.ApplyMutation(ctx, store.Mutation{UserID: "u", ClientID: "d", MutationID: int64(i + 1), Digest: id,
			Decide: func(v store.View) (*api.Request, *api.Error) {
				n, err := v.EndChecks(cpasA, "root")
				if err != nil {
					t.Fatal(err)
				}
				counted = append(counted, n)
				return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindEndCheck, ParentID: "root"}, CPASID: cpasA,
					RootID: "root", Status: api.StatusSent}, nil
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(counted) != "[0 1]" {
		t.Fatalf("end checks seen by Decide: %v", counted)
	}
}

func TestMailIsDueAtItsTimeAndASettledMailStaysSettled(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	now := time.Now()
	for _, id := range []string{"m1", "m2"} {
		if err := s.EnqueueMail(ctx, store.Mail{ID: id, To: "a@b.be"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkMailRetry(ctx, "m1", now.Add(time.Hour), "smtp down"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMail(ctx, now.Add(time.Minute), 10); len(due) != 1 || due[0].ID != "m2" {
		t.Fatalf("retry not postponed: %+v", due)
	}
	if due, _ := s.DueMail(ctx, now.Add(2*time.Hour), 10); len(due) != 2 || due[0].ID != "m2" || due[1].Attempts != 1 {
		t.Fatalf("%+v", due)
	}
	if err := s.MarkMailFailed(ctx, "m2", now, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailSent(ctx, "m2", now); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailSent(ctx, "m1", now); err != nil {
		t.Fatal(err)
	}
	pending, failed, err := s.MailStats(ctx)
	if err != nil || pending != 0 || failed != 1 {
		t.Fatalf("pending %d failed %d %v", pending, failed, err)
	}
	if due, _ := s.DueMail(ctx, now.Add(48*time.Hour), 10); len(due) != 0 {
		t.Fatalf("settled mail still due: %+v", due)
	}
	if err := s.MarkMailSent(ctx, "nope", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an unknown mail: %v", err)
	}
}

func TestAccountsAreUniqueByIDAndLogin(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	if err := s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "again"}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("a taken CPAS id: %v", err)
	}
	u := store.User{ID: "u1", Login: "marie", DisplayName: "Marie Dupont", Role: api.RoleWorker, CPASID: cpasA}
	if err := s.AddUser(ctx, u, store.AuditEntry{UserID: "cli", Action: store.ActionUserAdd}); err != nil {
		t.Fatal(err)
	}
	before := digest(t, s)
	for _, other := range []store.User{{ID: "u2", Login: "marie"}, {ID: "u1", Login: "other"}} {
		if err := s.AddUser(ctx, other, store.AuditEntry{UserID: "cli", Action: store.ActionUserAdd}); !errors.Is(err, store.ErrExists) {
			t.Fatalf("%+v: %v", other, err)
		}
	}
	if digest(t, s) != before {
		t.Fatal("a refused account wrote (its audit entry?)")
	}
	got, err := s.UserByLogin(ctx, "marie")
	if err != nil || got.DisplayName != "Marie Dupont" {
		t.Fatalf("%+v %v", got, err)
	}
	got, err = s.UpdateUser(ctx, "u1", func(u *store.User) error { u.Disabled, u.Login = true, "renamed"; return nil })
	if err != nil || !got.Disabled || got.Login != "marie" {
		t.Fatalf("update: %+v %v", got, err)
	}
	if _, err := s.UserByLogin(ctx, "renamed"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the login changed: %v", err)
	}
	list, _ := s.ListUsers(ctx)
	cpas, _ := s.ListCPAS(ctx)
	if len(list) != 1 || !list[0].Disabled || len(cpas) != 1 || cpas[0].Name != "A" {
		t.Fatalf("lists: %+v %+v", list, cpas)
	}
}

func TestASessionExpiresByTheStoreClock(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s := openAt(t, t.TempDir(), func() time.Time { return now })
	ctx := context.Background()
	se := store.Session{TokenHash: "h", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.PutSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session(ctx, "h"); err != nil || !got.ExpiresAt.Equal(se.ExpiresAt) {
		t.Fatalf("%+v %v", got, err)
	}
	now = now.Add(time.Hour)
	if _, err := s.Session(ctx, "h"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an expired session: %v", err)
	}
	if err := s.PutSession(ctx, store.Session{TokenHash: "old", ExpiresAt: now}); err == nil {
		t.Fatal("an expired session stored")
	}
	if err := s.PutSession(ctx, store.Session{TokenHash: "h2", UserID: "u1", ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var n int
	s.rdb.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n)
	if n != 1 {
		t.Fatalf("the expired session was not deleted with the next one: %d rows", n)
	}
	if err := s.DeleteSession(ctx, "h2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "h2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a deleted session: %v", err)
	}
}

func TestTheAuditChainHoldsAcrossConcurrentWritesAndReopening(t *testing.T) {
	dir := t.TempDir()
	s := openAt(t, dir, nil)
	ctx := context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"}, store.AuditEntry{UserID: "cli", Action: store.ActionCPASAdd})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := mutation(1, fmt.Sprintf("r%d", i), "d")
			m.ClientID = fmt.Sprint("dev", i)
			if _, err := s.ApplyMutation(ctx, m); err != nil {
				t.Error(err)
			}
			s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: store.ActionRequestRead, CPASID: cpasA, RequestID: fmt.Sprintf("r%d", i)})
			// A failing operation in the same batch rolls back alone.
			s.AddUser(ctx, store.User{ID: "dup", Login: fmt.Sprint("l", i)}, store.AuditEntry{UserID: "cli", Action: store.ActionUserAdd})
		}()
	}
	wg.Wait()
	c, err := s.VerifyAudit(ctx)
	if err != nil || !c.OK() || c.Entries != 42 || c.HeadSeq != 42 {
		t.Fatalf("%+v %v", c, err)
	}
	s.Close()
	s = openAt(t, dir, nil)
	s.AppendAudit(ctx, store.AuditEntry{UserID: "u", Action: "x"})
	if c2, _ := s.VerifyAudit(ctx); !c2.OK() || c2.HeadSeq != 43 {
		t.Fatalf("after reopening: %+v", c2)
	}
	entries, _ := s.Audit(ctx, 0, "r3", 10)
	if len(entries) != 2 || entries[0].Action != store.ActionRequestSubmit || entries[1].Action != store.ActionRequestRead {
		t.Fatalf("the audit of r3: %+v", entries)
	}
	if e, _ := s.Audit(ctx, 40, "", 2); len(e) != 2 || e[0].Seq != 41 {
		t.Fatalf("after 40: %+v", e)
	}
}

func TestVerifyAuditFindsAnAlteredARemovedAndACutEntry(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		at        int64
	}{
		{"altered", `UPDATE audit SET entry = replace(entry, '"u2"', '"u9"') WHERE seq = 2`, 2},
		{"removed", `DELETE FROM audit WHERE seq = 2`, 3},
		{"cut", `DELETE FROM audit WHERE seq = 3`, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ctx := openTest(t), context.Background()
			for _, u := range []string{"u1", "u2", "u3"} {
				s.AppendAudit(ctx, store.AuditEntry{UserID: u, Action: "x"})
			}
			if _, err := s.w.conn.ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			if c, err := s.VerifyAudit(ctx); err != nil || c.OK() || c.BrokenAt != tc.at {
				t.Fatalf("%+v %v", c, err)
			}
		})
	}
}

func TestASecondProcessFindsTheStoreLocked(t *testing.T) {
	dir := t.TempDir()
	openAt(t, dir, nil)
	if _, err := Open(Config{Dir: dir, Key: testKey}); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
}

func TestAClosedStoreRefusesWrites(t *testing.T) {
	s := openTest(t)
	s.Close()
	if err := s.AppendAudit(context.Background(), store.AuditEntry{Action: "x"}); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("%v", err)
	}
}

func TestMigrationsRunOnce(t *testing.T) {
	dir := t.TempDir()
	s := openAt(t, dir, nil)
	var epoch string
	s.rdb.QueryRow(`SELECT value FROM meta WHERE name = 'epoch'`).Scan(&epoch)
	s.Close()
	s = openAt(t, dir, nil)
	var again string
	var versions int
	s.rdb.QueryRow(`SELECT value FROM meta WHERE name = 'epoch'`).Scan(&again)
	s.rdb.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&versions)
	files, _ := fs.Glob(sqlbase.Migrations, "migrations/*.sql")
	if epoch == "" || again != epoch || versions != len(files) {
		t.Fatalf("epoch %q then %q, %d migrations recorded", epoch, again, versions)
	}
}

func TestAnotherKeyIsRefusedAtOpen(t *testing.T) {
	dir := t.TempDir()
	openAt(t, dir, nil).Close()
	_, err := Open(Config{Dir: dir, Key: bytes.Repeat([]byte{8}, 32)})
	if !errors.Is(err, store.ErrWrongKey) {
		t.Fatalf("open with another key: %v", err)
	}
	openAt(t, dir, nil) // the right key still opens it
}

func TestCheckFindsADamagedValueAndAHealthyStoreIsOK(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	sent(t, s, "a", "2026-11-09")
	s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: sha256Hex("file")}, []byte("file"), store.AuditEntry{UserID: "u"})
	s.AddUser(ctx, store.User{ID: "u1", Login: "l"})
	s.EnqueueMail(ctx, store.Mail{ID: "m1"})
	rep, err := s.Check(ctx)
	if err != nil || !rep.OK() || rep.Keys["request"] != 1 || rep.Keys["attachment data"] != 1 || rep.Audit.Entries != 2 {
		t.Fatalf("healthy store: %+v %v", rep, err)
	}
	for _, damage := range []string{
		`UPDATE requests SET item_sealed = x'00112233445566778899aabbccddeeff00112233' WHERE id = 'a'`,
		`UPDATE attachments SET sha256 = 'x'`,
	} {
		if _, err := s.w.conn.ExecContext(ctx, damage); err != nil {
			t.Fatal(err)
		}
	}
	rep, err = s.Check(ctx)
	if err != nil || len(rep.Problems) != 2 {
		t.Fatalf("damaged store: %+v %v", rep.Problems, err)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// A full disk (simulated by SQLite's max_page_count) refuses a write with
// store.ErrStorageFull, writes none of it, and the store goes on once
// there is room.
func TestAFullDiskRefusesAWriteWithErrStorageFull(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	var pages int
	s.w.conn.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
	if _, err := s.w.conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("x"), 256<<10)
	err := s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: sha256Hex(string(big))}, big, store.AuditEntry{UserID: "u"})
	if !errors.Is(err, store.ErrStorageFull) {
		t.Fatalf("a write on a full disk: %v", err)
	}
	if _, _, err := s.Attachment(ctx, cpasA, sha256Hex(string(big))); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused upload was stored: %v", err)
	}
	s.w.conn.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`)
	if err := s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: sha256Hex(string(big))}, big, store.AuditEntry{UserID: "u"}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.VerifyAudit(ctx); !c.OK() || c.HeadSeq != 1 {
		t.Fatalf("the audit chain after the refusal: %+v", c)
	}
}

// The write-ahead log stays small although the writer never checkpoints:
// the checkpointer copies it into the database, and the log is written
// again from its start. Without it the log would hold all 24 MiB written;
// the bound is half of that, so that checkpoints delayed by a busy
// machine still pass.
func TestTheCheckpointerKeepsTheLogSmall(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	for i := range 48 {
		data := bytes.Repeat([]byte{byte(i)}, 512<<10)
		if err := s.PutAttachment(ctx, store.Attachment{CPASID: cpasA, SHA256: sha256Hex(string(data))}, data, store.AuditEntry{UserID: "u"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(checkpointEvery / 2)
	}
	st, err := os.Stat(s.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 12<<20 {
		t.Fatalf("the log holds %d MiB after 24 MiB written", st.Size()>>20)
	}
}
