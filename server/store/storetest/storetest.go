// Package storetest is the conformance suite of store.Store: what every
// implementation (Badger, SQLite, D1) must do, checked through the
// interface alone, in the manner of testing/fstest.TestFS. An
// implementation's tests call Run with a function that opens an empty
// store on the clock it is given.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// Opener opens an empty store whose clock is now (sessions expire, audit
// entries and mail are stamped by it). The store is closed by the caller's
// t.Cleanup.
type Opener func(t *testing.T, now func() time.Time) store.Store

// Capabilities says which operations on the data as a whole a store has.
// One it has not must refuse with an error wrapping errors.ErrUnsupported
// (the suite checks that it does): the D1 store, whose backups and removal
// of deleted values from storage are D1's own.
type Capabilities struct {
	Backup  bool // Backup writes an encrypted copy of everything
	Compact bool // Compact pushes erased values off the disk
}

// Run runs every check on fresh stores from open, a store that has every
// capability.
func Run(t *testing.T, open Opener) {
	RunCapable(t, open, Capabilities{Backup: true, Compact: true})
}

// RunCapable runs every check on fresh stores from open; the checks of an
// operation the store has not (caps) expect errors.ErrUnsupported instead.
func RunCapable(t *testing.T, open Opener, caps Capabilities) {
	checks := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"CPASAndUsers", cpasAndUsers},
		{"SessionsExpireByTheStoreClock", sessions},
		{"TheSessionsOfAUserEndTogether", sessionsOfAUser},
		{"AMutationAppliesOnceAndReplaysItsAnswer", mutationsApplyOnce},
		{"TheSameMutationFiftyTimesAtOnceAppliesOnce", concurrentReplays},
		{"ARequestIDNamesOneRequestInTheStore", requestIDsAreUnique},
		{"ChangesPageInSequenceWithCursors", changesAndCursors},
		{"TheQueueOrdersByDueDateAndDecision", queueOrders},
		{"UpdateRequestChangesOnceWithItsMailAndAudit", updates},
		{"AttachmentsAreStoredPerCPAS", attachments},
		{"TheAuditTrailIsOneVerifiedChain", auditTrail},
		{"TheMailOutboxKeepsMailUntilSettled", mailOutbox},
		{"AnErasedRequestLeavesOnlyItsMark", erasure},
		{"BackupWritesACopy", backup},
		{"AnErrorNamesItsOperationAndStaysMatchable", errorsNameTheOperation},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2031, 6, 16, 8, 0, 0, 0, time.UTC)}
			e := &env{t: t, st: open(t, clk.now), clk: clk, ctx: context.Background(), caps: caps}
			e.seed()
			c.fn(t, e)
		})
	}
}

// The two CPAS of the suite, in two offices.
const (
	cpasA = "0212345668"
	cpasB = "0209876524"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t    *testing.T
	st   store.Store
	clk  *clock
	ctx  context.Context
	ids  int64 // mutation ids handed out
	caps Capabilities
}

// unsupported checks the answer of an operation the store may not have:
// success when it has it, errors.ErrUnsupported when it has not.
func (e *env) unsupported(op string, has bool, err error) {
	e.t.Helper()
	switch {
	case has && err != nil:
		e.t.Errorf("%s: %v", op, err)
	case !has && !errors.Is(err, errors.ErrUnsupported):
		e.t.Errorf("%s of a store without it: %v, want errors.ErrUnsupported", op, err)
	}
}

func (e *env) seed() {
	e.t.Helper()
	for _, c := range []store.CPAS{{ID: cpasA, Name: "CPAS A", OfficeID: "namur"}, {ID: cpasB, Name: "CPAS B", OfficeID: "liege"}} {
		if err := e.st.PutCPAS(e.ctx, c); err != nil {
			e.t.Fatalf("PutCPAS %s: %v", c.ID, err)
		}
	}
}

// request builds a sent request of a CPAS due on a date.
func request(cpas, id, due string) *api.Request {
	return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Case: []byte(`{"person":{"niss":"85073003328"}}`),
		LastName: "Name " + id}, CPASID: cpas, RootID: id, Status: api.StatusSent,
		ReceivedAt: "2031-06-16T08:00:00Z", DueDate: due}
}

// mutation submits r as the CPAS's device, refusing an id already stored.
func (e *env) mutation(id int64, digest string, r *api.Request) store.Mutation {
	return store.Mutation{UserID: "user-" + r.CPASID, ClientID: "device", MutationID: id, Digest: digest,
		Audit: store.AuditEntry{UserID: "user-" + r.CPASID, Role: api.RoleWorker},
		Decide: func(v store.View) (*api.Request, *api.Error) {
			if _, err := v.Request(r.CPASID, r.ID); err == nil {
				return nil, &api.Error{Code: api.CodeAlreadySent, Message: "already sent"}
			} else if errors.Is(err, store.ErrErased) {
				return nil, &api.Error{Code: api.CodeRequestErased, Message: "erased"}
			}
			c := *r
			return &c, nil
		}}
}

// submit applies a new request and fails unless it is applied.
func (e *env) submit(r *api.Request) api.MutationResult {
	e.t.Helper()
	e.ids++
	res, err := e.st.ApplyMutation(e.ctx, e.mutation(e.ids, r.ID, r))
	if err != nil || res.Outcome != api.OutcomeApplied {
		e.t.Fatalf("submit %s: %+v %v", r.ID, res, err)
	}
	return res
}

// decide records ONEM's decision on a sent request at the clock's time.
func (e *env) decide(cpas, id string, mails ...store.Mail) *api.Request {
	e.t.Helper()
	at := e.clk.now().UTC().Format(time.RFC3339)
	r, err := e.st.UpdateRequest(e.ctx, store.Update{CPASID: cpas, ID: id,
		Audit: store.AuditEntry{UserID: "agent", Action: store.ActionRequestDecide},
		Change: func(r *api.Request) ([]store.Mail, *api.Error) {
			r.Status, r.Decision = api.StatusCalculated, &api.Decision{Outcome: api.StatusCalculated, DecidedAt: at}
			return mails, nil
		}})
	if err != nil {
		e.t.Fatalf("decide %s: %v", id, err)
	}
	return r
}

func (e *env) audit(requestID string) []store.AuditEntry {
	e.t.Helper()
	out, err := e.st.Audit(e.ctx, 0, requestID, 100000)
	if err != nil {
		e.t.Fatalf("Audit: %v", err)
	}
	return out
}

func count(entries []store.AuditEntry, action string) int {
	n := 0
	for _, a := range entries {
		if a.Action == action {
			n++
		}
	}
	return n
}

func ids(rs []api.Request) string {
	var b bytes.Buffer
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.ID)
	}
	return b.String()
}

func itemIDs(items []api.QueueItem) string {
	rs := make([]api.Request, len(items))
	for i, it := range items {
		rs[i].ID = it.RequestID
	}
	return ids(rs)
}

func cpasAndUsers(t *testing.T, e *env) {
	if err := e.st.PutCPAS(e.ctx, store.CPAS{ID: cpasA, Name: "again"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("a CPAS id stored twice: %v", err)
	}
	if c, err := e.st.CPAS(e.ctx, cpasB); err != nil || c.OfficeID != "liege" {
		t.Errorf("CPAS B: %+v %v", c, err)
	}
	if _, err := e.st.CPAS(e.ctx, "0000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown CPAS: %v", err)
	}
	if all, err := e.st.ListCPAS(e.ctx); err != nil || len(all) != 2 {
		t.Errorf("ListCPAS: %+v %v", all, err)
	}
	u := store.User{ID: "u1", Login: "marie", DisplayName: "Marie", Role: api.RoleWorker, CPASID: cpasA, PasswordHash: "h"}
	if err := e.st.AddUser(e.ctx, u, store.AuditEntry{UserID: store.CommandUser, Action: store.ActionUserAdd, Object: "u1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.AddUser(e.ctx, store.User{ID: "u2", Login: "marie"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("a login taken twice: %v", err)
	}
	if err := e.st.AddUser(e.ctx, store.User{ID: "u1", Login: "other"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("a user id taken twice: %v", err)
	}
	if got, err := e.st.UserByLogin(e.ctx, "marie"); err != nil || got != u {
		t.Errorf("UserByLogin: %+v %v", got, err)
	}
	if _, err := e.st.UserByLogin(e.ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown login: %v", err)
	}
	got, err := e.st.UpdateUser(e.ctx, "u1", func(u *store.User) error {
		u.DisplayName, u.Login, u.Disabled = "Marie D.", "hacked", true
		return nil
	})
	if err != nil || got.DisplayName != "Marie D." || got.Login != "marie" || !got.Disabled {
		t.Errorf("UpdateUser (the login never changes): %+v %v", got, err)
	}
	if again, _ := e.st.User(e.ctx, "u1"); again != got {
		t.Errorf("User after UpdateUser: %+v", again)
	}
	refused := errors.New("refused")
	if _, err := e.st.UpdateUser(e.ctx, "u1", func(*store.User) error { return refused }); !errors.Is(err, refused) {
		t.Errorf("UpdateUser refused by fn: %v", err)
	}
	if _, err := e.st.UpdateUser(e.ctx, "nobody", func(*store.User) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateUser of nobody: %v", err)
	}
	if all, err := e.st.ListUsers(e.ctx); err != nil || len(all) != 1 {
		t.Errorf("ListUsers: %+v %v", all, err)
	}
	if n := count(e.audit(""), store.ActionUserAdd); n != 1 {
		t.Errorf("AddUser's audit entry written %d times (the refused ones write none)", n)
	}
}

func sessions(t *testing.T, e *env) {
	s := store.Session{TokenHash: "hash1", UserID: "u1", CreatedAt: e.clk.now(), ExpiresAt: e.clk.now().Add(time.Hour)}
	if err := e.st.PutSession(e.ctx, s, store.AuditEntry{UserID: "u1", Action: store.ActionSignIn}); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Session(e.ctx, "hash1")
	if err != nil || got.UserID != "u1" || !got.ExpiresAt.Equal(s.ExpiresAt) {
		t.Fatalf("Session: %+v %v", got, err)
	}
	e.clk.advance(59 * time.Minute)
	if _, err := e.st.Session(e.ctx, "hash1"); err != nil {
		t.Errorf("a session before its expiry: %v", err)
	}
	e.clk.advance(time.Minute)
	if _, err := e.st.Session(e.ctx, "hash1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a session at its expiry by the store's clock: %v", err)
	}
	s2 := store.Session{TokenHash: "hash2", UserID: "u1", CreatedAt: e.clk.now(), ExpiresAt: e.clk.now().Add(time.Hour)}
	if err := e.st.PutSession(e.ctx, s2); err != nil {
		t.Fatal(err)
	}
	if err := e.st.DeleteSession(e.ctx, "hash2", store.AuditEntry{UserID: "u1", Action: store.ActionSignOut}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Session(e.ctx, "hash2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a deleted session: %v", err)
	}
	trail := e.audit("")
	if count(trail, store.ActionSignIn) != 1 || count(trail, store.ActionSignOut) != 1 {
		t.Errorf("session audit entries: %+v", trail)
	}
}

func mutationsApplyOnce(t *testing.T, e *env) {
	r := request(cpasA, "r1", "2031-06-23")
	first, err := e.st.ApplyMutation(e.ctx, e.mutation(5, "d1", r))
	if err != nil || first.Outcome != api.OutcomeApplied || first.RequestID != "r1" || first.Receipt == nil || first.Receipt.Seq != 1 {
		t.Fatalf("first: %+v %v", first, err)
	}
	e.clk.advance(time.Hour)
	again, err := e.st.ApplyMutation(e.ctx, e.mutation(5, "d1", r))
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("a replay gets the stored answer: %+v, want %+v (%v)", again, first, err)
	}
	if res, _ := e.st.ApplyMutation(e.ctx, e.mutation(5, "other", request(cpasA, "r2", "2031-06-23"))); res.Error == nil || res.Error.Code != api.CodeMutationReused {
		t.Errorf("an id reused for other content: %+v", res)
	}
	if res, _ := e.st.ApplyMutation(e.ctx, e.mutation(4, "d4", request(cpasA, "r4", "2031-06-23"))); res.Error == nil || res.Error.Code != api.CodeStaleMutation {
		t.Errorf("an id below the last applied: %+v", res)
	}
	if res, _ := e.st.ApplyMutation(e.ctx, e.mutation(6, "d6", r)); res.Error == nil || res.Error.Code != api.CodeAlreadySent {
		t.Errorf("Decide's refusal: %+v", res)
	}
	// A refusal is not recorded: id 6 is still free.
	if res, err := e.st.ApplyMutation(e.ctx, e.mutation(6, "d6b", request(cpasA, "r6", "2031-06-23"))); err != nil || res.Outcome != api.OutcomeApplied {
		t.Errorf("the id of a refused mutation: %+v %v", res, err)
	}
	if r, err := e.st.Request(e.ctx, cpasA, "r1"); err != nil || r.Seq != 1 || r.LastName != "Name r1" {
		t.Errorf("Request: %+v %v", r, err)
	}
	if _, err := e.st.Request(e.ctx, cpasB, "r1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A's request read as B's: %v", err)
	}
	trail := e.audit("r1")
	if count(trail, store.ActionRequestSubmit) != 1 || trail[0].CPASID != cpasA || trail[0].UserID != "user-"+cpasA {
		t.Errorf("the submission's audit entry: %+v", trail)
	}
}

func concurrentReplays(t *testing.T, e *env) {
	m := e.mutation(1, "d", request(cpasA, "r1", "2031-06-23"))
	results := make([]api.MutationResult, 50)
	errs := make([]error, 50)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.st.ApplyMutation(e.ctx, m)
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil || !reflect.DeepEqual(results[i], results[0]) || results[i].Outcome != api.OutcomeApplied {
			t.Fatalf("call %d: %+v %v, call 0: %+v", i, results[i], errs[i], results[0])
		}
	}
	p, err := e.st.Changes(e.ctx, cpasA, store.Cursor{}, 100)
	if err != nil || len(p.Requests) != 1 {
		t.Errorf("requests stored: %d %v", len(p.Requests), err)
	}
	if n := count(e.audit(""), store.ActionRequestSubmit); n != 1 {
		t.Errorf("%d submission audit entries", n)
	}
	if e.st.QueueSize() != 1 {
		t.Errorf("QueueSize %d", e.st.QueueSize())
	}
}

func requestIDsAreUnique(t *testing.T, e *env) {
	e.submit(request(cpasA, "shared", "2031-06-23"))
	res, err := e.st.ApplyMutation(e.ctx, e.mutation(1, "b", request(cpasB, "shared", "2031-06-20")))
	if err != nil || res.Error == nil || res.Error.Code != api.CodeRequestIDTaken {
		t.Fatalf("B takes A's id: %+v %v", res, err)
	}
	if r, err := e.st.RequestByID(e.ctx, "shared"); err != nil || r.CPASID != cpasA {
		t.Errorf("RequestByID: %+v %v", r, err)
	}
	if _, err := e.st.RequestByID(e.ctx, "none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RequestByID of nothing: %v", err)
	}
	if q, _ := e.st.Queue(e.ctx, store.QueueQuery{OfficeID: "liege", Status: api.StatusSent}); len(q.Items) != 0 {
		t.Errorf("B's office queue holds %v", itemIDs(q.Items))
	}
}

func changesAndCursors(t *testing.T, e *env) {
	for i := 1; i <= 5; i++ {
		e.submit(request(cpasA, fmt.Sprintf("r%d", i), "2031-06-23"))
	}
	e.submit(request(cpasB, "b1", "2031-06-23"))
	p, err := e.st.Changes(e.ctx, cpasA, store.Cursor{}, 2)
	if err != nil || !p.Full || !p.More || ids(p.Requests) != "r1,r2" {
		t.Fatalf("first page from an unknown cursor: %+v %v", p, err)
	}
	p2, _ := e.st.Changes(e.ctx, cpasA, p.Next, 2)
	p3, _ := e.st.Changes(e.ctx, cpasA, p2.Next, 2)
	if p2.Full || ids(p2.Requests) != "r3,r4" || ids(p3.Requests) != "r5" || p3.More {
		t.Fatalf("next pages: %+v then %+v", p2, p3)
	}
	end := p3.Next
	if p, _ := e.st.Changes(e.ctx, cpasA, end, 10); len(p.Requests) != 0 || p.Full || p.Next != end {
		t.Errorf("nothing new: %+v", p)
	}
	e.decide(cpasA, "r2")
	p, _ = e.st.Changes(e.ctx, cpasA, end, 10)
	if ids(p.Requests) != "r2" || p.Requests[0].Status != api.StatusCalculated || p.Requests[0].Seq != end.Seq+1 {
		t.Errorf("a changed request comes once, at its new sequence: %+v", p)
	}
	full, _ := e.st.Changes(e.ctx, cpasA, store.Cursor{Epoch: "other", Seq: 3}, 10)
	beyond, _ := e.st.Changes(e.ctx, cpasA, store.Cursor{Epoch: end.Epoch, Seq: end.Seq + 50}, 10)
	if !full.Full || ids(full.Requests) != "r1,r3,r4,r5,r2" || !beyond.Full {
		t.Errorf("an unknown epoch or sequence starts over: %+v / %+v", full, beyond)
	}
}

func queueOrders(t *testing.T, e *env) {
	for _, r := range []struct{ id, due string }{{"c", "2031-06-25"}, {"a", "2031-06-20"}, {"b", "2031-06-22"}} {
		e.submit(request(cpasA, r.id, r.due))
	}
	sent := func(q store.QueueQuery) string {
		q.OfficeID, q.Status = "namur", api.StatusSent
		p, err := e.st.Queue(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return itemIDs(p.Items) + fmt.Sprintf(" more=%v", p.More)
	}
	for _, c := range []struct {
		q    store.QueueQuery
		want string
	}{
		{store.QueueQuery{}, "a,b,c more=false"},
		{store.QueueQuery{DueBefore: "2031-06-22"}, "a more=false"},
		{store.QueueQuery{DueFrom: "2031-06-22"}, "b,c more=false"},
		{store.QueueQuery{Limit: 2}, "a,b more=true"},
		{store.QueueQuery{CPASID: cpasB}, " more=false"},
	} {
		if got := sent(c.q); got != c.want {
			t.Errorf("Queue %+v: %s, want %s", c.q, got, c.want)
		}
	}
	if e.st.QueueSize() != 3 {
		t.Errorf("QueueSize %d, want 3", e.st.QueueSize())
	}
	e.decide(cpasA, "b")
	e.clk.advance(time.Minute)
	e.decide(cpasA, "c")
	p, _ := e.st.Queue(e.ctx, store.QueueQuery{OfficeID: "namur", Status: api.StatusCalculated})
	if itemIDs(p.Items) != "c,b" || sent(store.QueueQuery{}) != "a more=false" || e.st.QueueSize() != 1 {
		t.Errorf("decided newest first: %s; sent %s; size %d", itemIDs(p.Items), sent(store.QueueQuery{}), e.st.QueueSize())
	}
	if p.Items[0].LastName != "Name c" || p.Items[0].CPASName != "CPAS A" || p.Items[0].DecidedAt == "" {
		t.Errorf("a queue item: %+v", p.Items[0])
	}
	var all []api.QueueItem
	e.st.ScanQueue(e.ctx, "", func(q api.QueueItem) bool { all = append(all, q); return true })
	if len(all) != 3 {
		t.Errorf("ScanQueue sees %d requests, want 3", len(all))
	}
}

func updates(t *testing.T, e *env) {
	e.submit(request(cpasA, "r1", "2031-06-23"))
	before := e.audit("r1")
	unchanged, err := e.st.UpdateRequest(e.ctx, store.Update{CPASID: cpasA, ID: "r1", Audit: store.AuditEntry{Action: "x"},
		Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, store.Unchanged }})
	if err != nil || unchanged.Seq != 1 || len(e.audit("r1")) != len(before) {
		t.Errorf("Unchanged writes nothing: %+v %v", unchanged, err)
	}
	refusal := &api.Error{Code: api.CodeAlreadyDecided, Message: "no"}
	_, err = e.st.UpdateRequest(e.ctx, store.Update{CPASID: cpasA, ID: "r1",
		Change: func(r *api.Request) ([]store.Mail, *api.Error) { r.Status = api.StatusInvalidated; return nil, refusal }})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeAlreadyDecided {
		t.Errorf("a refused change: %v", err)
	}
	if r, _ := e.st.Request(e.ctx, cpasA, "r1"); r.Status != api.StatusSent {
		t.Errorf("a refused change was stored: %s", r.Status)
	}
	mail := store.Mail{ID: "m1", To: "cpas@example.be", Template: store.TemplateDecision, CPASID: cpasA, RequestID: "r1", Lang: "fr"}
	r := e.decide(cpasA, "r1", mail)
	if r.Status != api.StatusCalculated || r.Seq != 2 {
		t.Errorf("the decided request: %+v", r)
	}
	due, _ := e.st.DueMail(e.ctx, e.clk.now(), 10)
	if len(due) != 1 || due[0].ID != "m1" {
		t.Errorf("the decision's mail: %+v", due)
	}
	if trail := e.audit("r1"); count(trail, store.ActionRequestDecide) != 1 || trail[len(trail)-1].RequestID != "r1" {
		t.Errorf("the decision's audit entry: %+v", trail)
	}
	if _, err := e.st.UpdateRequest(e.ctx, store.Update{CPASID: cpasB, ID: "r1",
		Change: func(*api.Request) ([]store.Mail, *api.Error) { return nil, nil }}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an update through the wrong CPAS: %v", err)
	}
}

func attachments(t *testing.T, e *env) {
	sha := fmt.Sprintf("%064x", 1)
	a := store.Attachment{CPASID: cpasA, SHA256: sha, ContentType: "application/pdf", Size: 4, UploadedBy: "u1", UploadedAt: "2031-06-16T08:00:00Z"}
	for i := 0; i < 2; i++ { // the same file twice: stored once
		if err := e.st.PutAttachment(e.ctx, a, []byte("%PDF"), store.AuditEntry{UserID: "u1", Action: store.ActionAttachmentUpload}); err != nil {
			t.Fatal(err)
		}
	}
	got, data, err := e.st.Attachment(e.ctx, cpasA, sha)
	if err != nil || got != a || string(data) != "%PDF" {
		t.Errorf("Attachment: %+v %q %v", got, data, err)
	}
	if _, _, err := e.st.Attachment(e.ctx, cpasB, sha); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A's file read as B's: %v", err)
	}
	var has [2]bool
	m := store.Mutation{UserID: "u", ClientID: "d", MutationID: 1, Digest: "d",
		Decide: func(v store.View) (*api.Request, *api.Error) {
			has[0], _ = v.HasAttachment(cpasA, sha)
			has[1], _ = v.HasAttachment(cpasB, sha)
			return request(cpasA, "r1", "2031-06-23"), nil
		}}
	if _, err := e.st.ApplyMutation(e.ctx, m); err != nil || has != [2]bool{true, false} {
		t.Errorf("View.HasAttachment: %v %v", has, err)
	}
	var seen []store.Attachment
	e.st.ScanAttachments(e.ctx, func(a store.Attachment) bool { seen = append(seen, a); return true })
	if len(seen) != 1 {
		t.Errorf("ScanAttachments: %+v", seen)
	}
	loose := fmt.Sprintf("%064x", 2)
	e.st.PutAttachment(e.ctx, store.Attachment{CPASID: cpasA, SHA256: loose}, []byte("x"), store.AuditEntry{UserID: "u1"})
	if ok, err := e.st.DeleteUnusedAttachment(e.ctx, cpasA, loose, store.AuditEntry{UserID: "r", Action: store.ActionUploadExpire}); !ok || err != nil {
		t.Errorf("an unused upload: %v %v", ok, err)
	}
	used := request(cpasA, "r2", "2031-06-23")
	used.Attachments = []string{sha}
	e.submit(used)
	if ok, err := e.st.DeleteUnusedAttachment(e.ctx, cpasA, sha, store.AuditEntry{UserID: "r"}); ok || err != nil {
		t.Errorf("a file a request names was deleted: %v %v", ok, err)
	}
}

func auditTrail(t *testing.T, e *env) {
	e.submit(request(cpasA, "r1", "2031-06-23"))
	e.clk.advance(time.Second)
	if err := e.st.AppendAudit(e.ctx,
		store.AuditEntry{UserID: "agent", Action: store.ActionRequestRead, CPASID: cpasA, RequestID: "r1"},
		store.AuditEntry{UserID: "admin", Action: store.ActionUserList}); err != nil {
		t.Fatal(err)
	}
	all := e.audit("")
	if len(all) != 3 {
		t.Fatalf("trail: %+v", all)
	}
	for i, a := range all {
		if a.Seq != int64(i+1) || a.Hash == "" || (i > 0 && a.Prev != all[i-1].Hash) {
			t.Errorf("entry %d is not chained: %+v", i, a)
		}
	}
	if all[1].Time != e.clk.now().UTC().Format(time.RFC3339Nano) {
		t.Errorf("an entry stamped %s, want the store's clock %s", all[1].Time, e.clk.now())
	}
	if got := e.audit("r1"); len(got) != 2 || got[1].Action != store.ActionRequestRead {
		t.Errorf("the trail of one request: %+v", got)
	}
	if page, _ := e.st.Audit(e.ctx, 1, "", 1); len(page) != 1 || page[0].Seq != 2 {
		t.Errorf("after 1, limit 1: %+v", page)
	}
	check, err := e.st.VerifyAudit(e.ctx)
	if err != nil || !check.OK() || check.Entries != 3 || check.HeadSeq != 3 || check.Head != all[2].Hash {
		t.Errorf("VerifyAudit: %+v %v", check, err)
	}
}

func mailOutbox(t *testing.T, e *env) {
	now := e.clk.now()
	for _, id := range []string{"m1", "m2", "m3"} {
		if err := e.st.EnqueueMail(e.ctx, store.Mail{ID: id, To: "cpas@example.be", Template: store.TemplateQuestion, CPASID: cpasA, RequestID: "r1"}); err != nil {
			t.Fatal(err)
		}
	}
	if due, _ := e.st.DueMail(e.ctx, now, 10); len(due) != 3 || due[0].CreatedAt == "" {
		t.Fatalf("due: %+v", due)
	}
	if due, _ := e.st.DueMail(e.ctx, now, 2); len(due) != 2 {
		t.Errorf("limit: %d", len(due))
	}
	e.st.MarkMailSent(e.ctx, "m1", now)
	e.st.MarkMailRetry(e.ctx, "m2", now.Add(10*time.Minute), "connection refused")
	e.st.MarkMailFailed(e.ctx, "m3", now, "mailbox unknown")
	if due, _ := e.st.DueMail(e.ctx, now.Add(9*time.Minute), 10); len(due) != 0 {
		t.Errorf("nothing due before the retry: %+v", due)
	}
	due, _ := e.st.DueMail(e.ctx, now.Add(10*time.Minute), 10)
	if len(due) != 1 || due[0].ID != "m2" || due[0].Attempts != 1 || due[0].LastError != "connection refused" {
		t.Errorf("the retried mail: %+v", due)
	}
	e.st.MarkMailRetry(e.ctx, "m1", now.Add(time.Hour), "late")
	if pending, failed, err := e.st.MailStats(e.ctx); pending != 1 || failed != 1 || err != nil {
		t.Errorf("MailStats: %d pending, %d failed, %v (a sent mail stays settled)", pending, failed, err)
	}
}

func erasure(t *testing.T, e *env) {
	e.submit(request(cpasA, "r1", "2031-06-23"))
	e.submit(request(cpasA, "r2", "2031-06-24"))
	if _, err := e.st.EraseRequest(e.ctx, cpasA, "r1", store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Request(e.ctx, cpasA, "r1"); !errors.Is(err, store.ErrErased) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an erased request: %v", err)
	}
	if _, err := e.st.RequestByID(e.ctx, "r1"); !errors.Is(err, store.ErrErased) {
		t.Errorf("an erased request by id: %v", err)
	}
	if _, err := e.st.EraseRequest(e.ctx, cpasA, "r1", store.AuditEntry{UserID: "cli"}); !errors.Is(err, store.ErrErased) {
		t.Errorf("a second erasure: %v", err)
	}
	p, _ := e.st.Changes(e.ctx, cpasA, store.Cursor{}, 10)
	if ids(p.Requests) != "r2,r1" || p.Requests[1].Status != api.StatusErased || p.Requests[1].LastName != "" || len(p.Requests[1].Case) > 0 {
		t.Errorf("the mark in the changes: %+v", p.Requests)
	}
	var scanned []api.Request
	e.st.ScanRequests(e.ctx, func(r *api.Request) bool { scanned = append(scanned, *r); return true })
	q, _ := e.st.Queue(e.ctx, store.QueueQuery{OfficeID: "namur", Status: api.StatusSent})
	if ids(scanned) != "r2" || itemIDs(q.Items) != "r2" || e.st.QueueSize() != 1 {
		t.Errorf("after the erasure: scan %s, queue %s, size %d", ids(scanned), itemIDs(q.Items), e.st.QueueSize())
	}
	res, _ := e.st.ApplyMutation(e.ctx, e.mutation(99, "again", request(cpasA, "r1", "2031-06-23")))
	if res.Error == nil || res.Error.Code != api.CodeRequestErased {
		t.Errorf("the erased id sent again: %+v", res)
	}
	if n := count(e.audit("r1"), store.ActionSubjectErase); n != 1 {
		t.Errorf("%d erasure audit entries", n)
	}
	e.unsupported("Compact", e.caps.Compact, e.st.Compact(e.ctx))
	if r, err := e.st.Request(e.ctx, cpasA, "r2"); err != nil || r.LastName != "Name r2" {
		t.Errorf("the other request after Compact: %+v %v", r, err)
	}
}

func backup(t *testing.T, e *env) {
	e.submit(request(cpasA, "r1", "2031-06-23"))
	var b bytes.Buffer
	e.unsupported("Backup", e.caps.Backup, e.st.Backup(&b))
	if e.caps.Backup && b.Len() == 0 {
		t.Error("Backup wrote nothing")
	}
	if bytes.Contains(b.Bytes(), []byte("85073003328")) || bytes.Contains(b.Bytes(), []byte("Name r1")) {
		t.Error("the backup is not encrypted")
	}
	if !e.st.Now().Equal(e.clk.now()) {
		t.Errorf("Now %s, want the clock's %s", e.st.Now(), e.clk.now())
	}
}

// sessionsOfAUser: a session's last use only moves forward; ending a
// user's sessions keeps the one asked for and no other user's; a new
// password ends the user's other sessions with it.
func sessionsOfAUser(t *testing.T, e *env) {
	if err := e.st.AddUser(e.ctx, store.User{ID: "u1", Login: "marie", Role: api.RoleWorker, CPASID: cpasA, PasswordHash: "old"}); err != nil {
		t.Fatal(err)
	}
	put := func(hash, user string) {
		t.Helper()
		s := store.Session{TokenHash: hash, UserID: user, CreatedAt: e.clk.now(), ExpiresAt: e.clk.now().Add(time.Hour)}
		if err := e.st.PutSession(e.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	alive := func(hash string) bool {
		t.Helper()
		_, err := e.st.Session(e.ctx, hash)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	put("a1", "u1")
	put("a2", "u1")
	put("a3", "u1")
	put("b1", "u2")
	start := e.clk.now()
	e.clk.advance(10 * time.Minute)
	if err := e.st.TouchSession(e.ctx, "a1", e.clk.now()); err != nil {
		t.Fatal(err)
	}
	if err := e.st.TouchSession(e.ctx, "a1", start); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.st.Session(e.ctx, "a1"); !got.LastUsed().Equal(e.clk.now()) || !got.ExpiresAt.Equal(start.Add(time.Hour)) {
		t.Errorf("after touching: last use %v, expiry %v", got.LastUsed(), got.ExpiresAt)
	}
	if err := e.st.TouchSession(e.ctx, "nope", e.clk.now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("touching a session that is gone: %v", err)
	}
	n, err := e.st.DeleteUserSessions(e.ctx, "u1", "a1", store.AuditEntry{UserID: "u1", Action: store.ActionSignOutAll})
	if err != nil || n != 2 || !alive("a1") || alive("a2") || alive("a3") || !alive("b1") {
		t.Errorf("DeleteUserSessions keeping a1: %d %v; a1 %v a2 %v a3 %v b1 %v", n, err, alive("a1"), alive("a2"), alive("a3"), alive("b1"))
	}
	put("a4", "u1")
	if err := e.st.SetPassword(e.ctx, "u1", "new", "a4", store.AuditEntry{UserID: "u1", Action: store.ActionUserPassword}); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.st.User(e.ctx, "u1"); u.PasswordHash != "new" || alive("a1") || !alive("a4") || !alive("b1") {
		t.Errorf("SetPassword: hash %q, a1 %v a4 %v b1 %v", u.PasswordHash, alive("a1"), alive("a4"), alive("b1"))
	}
	if err := e.st.SetPassword(e.ctx, "nobody", "x", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPassword of nobody: %v", err)
	}
	trail := e.audit("")
	if count(trail, store.ActionSignOutAll) != 1 || count(trail, store.ActionUserPassword) != 1 {
		t.Errorf("audit entries: %+v", trail)
	}
}

// errorsNameTheOperation: a failed operation says which one failed and on
// which ids (a log line is then enough to know where to look), and the
// caller still recognises the sentinel error with errors.Is.
func errorsNameTheOperation(t *testing.T, e *env) {
	_, err := e.st.Request(e.ctx, cpasA, "no-such-request")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an unknown request: %v, want store.ErrNotFound", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "Request(") || !strings.Contains(msg, "no-such-request") {
		t.Errorf("the error %q names neither the operation nor the request id", msg)
	}
	err = e.st.PutCPAS(e.ctx, store.CPAS{ID: cpasA, Name: "again"})
	if !errors.Is(err, store.ErrExists) || !strings.Contains(err.Error(), "PutCPAS") {
		t.Errorf("a CPAS stored twice: %v, want store.ErrExists naming PutCPAS", err)
	}
}

// QuotaOpener opens an empty store whose clock is now and that enforces
// the quota q.
type QuotaOpener func(t *testing.T, now func() time.Time, q store.Quota) store.Store

// Quota checks that a store enforces the per-CPAS quota (store.Quota): a
// request over the request quota is rejected with quota_exceeded and
// nothing of it is written, an erased request frees its room; a new file
// over the attachment quota is refused with store.ErrQuotaExceeded and
// leaves neither its bytes nor an audit entry, while a file already stored
// is accepted again; Usage, where the store has it, agrees.
func Quota(t *testing.T, open QuotaOpener) {
	clk := &clock{t: time.Date(2031, 6, 16, 8, 0, 0, 0, time.UTC)}
	e := &env{t: t, st: open(t, clk.now, store.Quota{Requests: 2, AttachmentBytes: 10}), clk: clk, ctx: context.Background()}
	e.seed()
	try := func(r *api.Request) api.MutationResult {
		t.Helper()
		e.ids++
		res, err := e.st.ApplyMutation(e.ctx, e.mutation(e.ids, r.ID, r))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	r1, r2, r3 := request(cpasA, "q1", "2031-07-01"), request(cpasA, "q2", "2031-07-02"), request(cpasA, "q3", "2031-07-03")
	e.submit(r1)
	e.submit(r2)
	if res := try(r3); res.Error == nil || res.Error.Code != api.CodeQuotaExceeded {
		t.Fatalf("a third request over a quota of 2: %+v, want %s", res.Error, api.CodeQuotaExceeded)
	}
	if _, err := e.st.RequestByID(e.ctx, r3.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the request over the quota was stored: %v", err)
	}
	if _, err := e.st.EraseRequest(e.ctx, cpasA, r1.ID, store.AuditEntry{UserID: store.CommandUser, Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	if res := try(request(cpasA, "q4", "2031-07-04")); res.Error != nil {
		t.Errorf("a request after an erasure freed room: %+v", res.Error)
	}

	put := func(sha, data string) error {
		a := store.Attachment{CPASID: cpasA, SHA256: sha, ContentType: "application/pdf", Size: int64(len(data))}
		return e.st.PutAttachment(e.ctx, a, []byte(data), store.AuditEntry{UserID: "u1", Action: store.ActionAttachmentUpload, CPASID: cpasA})
	}
	if err := put("f1", "12345678"); err != nil {
		t.Fatal(err)
	}
	before := len(e.audit(""))
	if err := put("f2", "123"); !errors.Is(err, store.ErrQuotaExceeded) {
		t.Fatalf("11 bytes over a quota of 10: %v, want store.ErrQuotaExceeded", err)
	}
	if _, _, err := e.st.Attachment(e.ctx, cpasA, "f2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused file was stored: %v", err)
	}
	if after := len(e.audit("")); after != before {
		t.Errorf("the refused file left %d audit entries", after-before)
	}
	if err := put("f1", "12345678"); err != nil {
		t.Errorf("the same file again, already counted: %v", err)
	}
	if err := e.st.PutAttachment(e.ctx, store.Attachment{CPASID: cpasB, SHA256: "f2", Size: 3}, []byte("123"),
		store.AuditEntry{UserID: "u1", Action: store.ActionAttachmentUpload, CPASID: cpasB}); err != nil {
		t.Errorf("another CPAS has its own quota: %v", err)
	}
	if u, ok := e.st.(interface {
		Usage(context.Context, string) (store.Usage, error)
	}); ok {
		if got, err := u.Usage(e.ctx, cpasA); err != nil || got != (store.Usage{Requests: 2, Attachments: 1, AttachmentBytes: 8}) {
			t.Errorf("usage of CPAS A: %+v %v", got, err)
		}
	}
}
