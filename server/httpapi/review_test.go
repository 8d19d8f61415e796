package httpapi

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"art60/server/accounts"
	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// cpasA2 is a second CPAS of A's office (Namur), for the queue filters.
const cpasA2 = "0220123484"

// addCPAS adds a CPAS and its worker to the fixture.
func (f *fixture) addCPAS(id, name, office, login string) {
	f.t.Helper()
	ctx := context.Background()
	cp, err := accounts.NewCPAS(name, id, office, f.st.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.PutCPAS(ctx, cp); err != nil {
		f.t.Fatal(err)
	}
	f.addUser(accounts.Spec{Login: login, Role: api.RoleWorker, CPASID: id})
}

// at sets the server's clock to a Brussels date and time, and signs the
// fixture's users in again where their session is not open at that time
// (the dates of a scenario need not be near the day the suite runs).
func (f *fixture) at(datetime string) {
	f.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", datetime, f.svc.zone)
	if err != nil {
		f.t.Fatal(err)
	}
	f.setNow(func() time.Time { return t })
	f.renewSessions()
}

func (c *client) queue(query string) api.QueueReply {
	c.f.t.Helper()
	res := c.do("GET", "/api/v1/queue"+query, nil)
	if res.status != 200 {
		c.f.t.Fatalf("queue%s: %d %s", query, res.status, res.body)
	}
	if leak := contains(res.body, nissA, "Test worker"); leak != "" {
		c.f.t.Fatalf("the queue holds %q", leak)
	}
	var q api.QueueReply
	res.decode(c.f.t, &q)
	return q
}

func ids(items []api.QueueItem) string {
	var s []string
	for _, it := range items {
		s = append(s, it.RequestID[:4])
	}
	return strings.Join(s, " ")
}

func short(subs ...*api.Submission) string {
	var s []string
	for _, sub := range subs {
		s = append(s, sub.ID[:4])
	}
	return strings.Join(s, " ")
}

// TestQueueFiltersAndOrder: sent requests by due date across the office's
// CPAS, the filters, decided requests newest first, and bad filters.
func TestQueueFiltersAndOrder(t *testing.T) {
	f := newFixture(t)
	f.addCPAS(cpasA2, "CPAS A2", "namur", "worker-a2")
	workerA, workerA2, agent := f.login("worker-a"), f.login("worker-a2"), f.login("agent-a")
	f.login("worker-b").submit(submission()) // Liège: never in Namur's queue
	att := workerA.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png")
	var info api.AttachmentInfo
	att.decode(t, &info)

	f.at("2026-11-02 10:00") // due 2026-11-09
	r1 := submission()
	workerA.submit(r1)
	f.at("2026-11-16 10:00") // due 2026-11-23
	r2 := submission()
	workerA2.submit(r2)
	f.at("2026-11-10 10:00") // 11 November skipped: due 2026-11-18
	r3 := submission()
	r3.Attachments = []string{info.ID}
	workerA.submit(r3)

	f.at("2026-11-19 09:00")
	q := agent.queue("")
	if ids(q.Items) != short(r1, r3, r2) || q.Today != "2026-11-19" || q.More {
		t.Fatalf("by due date: %s, want %s; %+v", ids(q.Items), short(r1, r3, r2), q)
	}
	it := q.Items[1]
	if it.CPASName != "CPAS A" || it.OfficeID != "namur" || it.Status != api.StatusSent || !it.HasAttachments ||
		it.HasDerogation || !it.Overdue || it.DueDate != "2026-11-18" || it.Kind != api.KindInitial {
		t.Fatalf("item %+v", it)
	}
	for query, want := range map[string]string{
		"?overdue=true":                     short(r1, r3),
		"?overdue=false":                    short(r2),
		"?cpas=0220.123.484":                short(r2),
		"?cpas=" + cpasA:                    short(r1, r3),
		"?cpas=" + cpasB:                    "", // a CPAS of another office matches nothing…
		"?cpas=0403199702":                  "", // …like one that does not exist
		"?cpas=" + cpasA + "&overdue=false": "",
		"?limit=1":                          short(r1),
	} {
		if got := ids(agent.queue(query).Items); got != want {
			t.Errorf("%s: %q, want %q", query, got, want)
		}
	}
	if !agent.queue("?limit=2").More {
		t.Error("limit 2 of 3: more is false")
	}

	f.at("2026-11-19 10:00")
	decideOK(t, agent, r1.ID, api.DecisionRequest{Outcome: api.StatusCalculated})
	f.at("2026-11-19 11:00")
	decideOK(t, agent, r3.ID, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "Contrat manquant"})
	f.at("2026-11-19 12:00")
	decideOK(t, agent, r2.ID, api.DecisionRequest{Outcome: api.StatusCalculated})
	for query, want := range map[string]string{
		"":                                  "",
		"?status=calculated":                short(r2, r1), // newest decision first
		"?status=invalidated":               short(r3),
		"?status=calculated&cpas=" + cpasA:  short(r1),
		"?status=calculated&overdue=true":   "", // a decided request is never overdue
		"?status=invalidated&overdue=false": short(r3),
	} {
		if got := ids(agent.queue(query).Items); got != want {
			t.Errorf("%s: %q, want %q", query, got, want)
		}
	}
	if d := agent.queue("?status=calculated").Items[0]; d.DecidedAt == "" || d.Overdue || d.Status != api.StatusCalculated {
		t.Errorf("decided item %+v", d)
	}

	for query, fields := range map[string][]string{
		"?cpas=123":                   {"cpas"},
		"?status=draft":               {"status"},
		"?overdue=yes":                {"overdue"},
		"?limit=0":                    {"limit"},
		"?status=x&overdue=1&limit=z": {"status", "overdue", "limit"},
	} {
		res := agent.do("GET", "/api/v1/queue"+query, nil)
		if res.status != 422 || res.errorBody(t).Code != api.CodeInvalid {
			t.Errorf("%s: %d %s", query, res.status, res.body)
			continue
		}
		for _, field := range fields {
			if !hasField(res.errorBody(t), field) {
				t.Errorf("%s: no field %s in %s", query, field, res.body)
			}
		}
	}
}

func decideOK(t *testing.T, agent *client, id string, d api.DecisionRequest) api.Request {
	t.Helper()
	res := agent.do("POST", "/api/v1/requests/"+id+"/decision", d)
	if res.status != 200 {
		t.Fatalf("decide %+v: %d %s", d, res.status, res.body)
	}
	var r api.Request
	res.decode(t, &r)
	return r
}

func ptr[T any](v T) *T { return &v }

// TestDecisionRules: validating accepts or corrects the figures (a
// correction needs a remark), invalidating needs a reason, a worker cannot
// decide, an agent of another office cannot see the request, and a
// request is decided once.
func TestDecisionRules(t *testing.T) {
	f := newFixture(t)
	worker, agent, agentB := f.login("worker-a"), f.login("agent-a"), f.login("agent-b")
	sub := submission()
	worker.submit(sub)
	var r api.Request
	agent.do("GET", "/api/v1/requests/"+sub.ID, nil).decode(t, &r)
	if r.Result == nil || r.Result.ContractEnd == nil {
		t.Fatalf("no computed figures: %+v", r)
	}
	end, days := *r.Result.ContractEnd, r.Result.ContractScheduledDays
	path := "/api/v1/requests/" + sub.ID + "/decision"
	refused := []struct {
		name   string
		as     *client
		body   any
		status int
		code   string
		fields []string
	}{
		{"a worker decides", worker, api.DecisionRequest{Outcome: api.StatusCalculated}, 403, api.CodeForbidden, nil},
		{"an agent of another office", agentB, api.DecisionRequest{Outcome: api.StatusCalculated}, 404, api.CodeNotFound, nil},
		{"invalidation without a reason", agent, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "  "}, 422, api.CodeInvalid, []string{"remark"}},
		{"invalidation with figures", agent, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "x", ContractEnd: ptr("2025-02-01"), Days: ptr(3)},
			422, api.CodeInvalid, []string{"contractEnd", "days"}},
		{"corrected end without a remark", agent, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr("2025-02-03")}, 422, api.CodeInvalid, []string{"remark"}},
		{"corrected days without a remark", agent, api.DecisionRequest{Outcome: api.StatusCalculated, Days: ptr(days + 5)}, 422, api.CodeInvalid, []string{"remark"}},
		{"end before the contract start", agent, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr("2023-12-31"), Remark: "x"}, 422, api.CodeInvalid, []string{"contractEnd"}},
		{"end not a date", agent, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr("31/12/2025"), Remark: "x"}, 422, api.CodeInvalid, []string{"contractEnd"}},
		{"negative days", agent, api.DecisionRequest{Outcome: api.StatusCalculated, Days: ptr(-1), Remark: "x"}, 422, api.CodeInvalid, []string{"days"}},
		{"days not whole", agent, []byte(`{"outcome":"calculated","days":1.5,"remark":"x"}`), 400, api.CodeInvalidType, []string{"days"}},
		{"remark too long", agent, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: strings.Repeat("é", api.MaxRemark+1)}, 422, api.CodeInvalid, []string{"remark"}},
		{"unknown field", agent, []byte(`{"outcome":"calculated","figures":{}}`), 400, api.CodeUnknownField, []string{"figures"}},
	}
	before := f.digest()
	for _, tc := range refused {
		res := tc.as.do("POST", path, tc.body)
		if res.status != tc.status || res.errorBody(t).Code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, res.status, res.body, tc.status, tc.code)
			continue
		}
		for _, field := range tc.fields {
			if !hasField(res.errorBody(t), field) {
				t.Errorf("%s: no field %s in %s", tc.name, field, res.body)
			}
		}
	}
	if f.digest() != before {
		t.Fatal("a refused decision changed the store")
	}

	// The same figures as the server's are no correction: no remark needed.
	d := decideOK(t, agent, sub.ID, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr(end), Days: ptr(days)})
	if d.Status != api.StatusCalculated || d.Decision.ContractEnd != nil || d.Decision.Days != nil || d.ContractEnd() != end {
		t.Fatalf("accepted figures: %+v", d.Decision)
	}
	res := agent.do("POST", path, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "again"})
	if res.status != 409 || res.errorBody(t).Code != api.CodeAlreadyDecided {
		t.Fatalf("second decision: %d %s", res.status, res.body)
	}

	// A correction with a remark: the CPAS sees the corrected figures.
	corrected := submission()
	worker.submit(corrected)
	decideOK(t, agent, corrected.ID, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr("2025-02-03"),
		Days: ptr(days + 20), Remark: "Maladie du 6 au 31 janvier 2025 : prolongation."})
	got := pulled(t, worker, corrected.ID)
	if n, _ := got.DaysToWork(); got.ContractEnd() != "2025-02-03" || n != days+20 || got.Decision.Remark == "" ||
		got.Decision.DecidedAt == "" || got.Decision.Outcome != api.StatusCalculated {
		t.Fatalf("corrected decision as the CPAS sees it: %+v", got.Decision)
	}
	mails, _ := f.st.DueMail(t.Context(), f.now().Add(time.Hour), 10)
	if len(mails) != 2 || mails[0].Outcome != "calculated" || mails[1].Outcome != "calculated" {
		t.Fatalf("one mail per decision: %+v", mails)
	}
}

// pulled returns one request as the worker's device gets it.
func pulled(t *testing.T, worker *client, id string) api.Request {
	t.Helper()
	for _, r := range worker.pullAll() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("%s not pulled", id)
	return api.Request{}
}

// TestInvalidationReachesTheCPAS: the reason is in the decision the CPAS
// pulls, and "modify" makes a copy that can be sent again.
func TestInvalidationReachesTheCPAS(t *testing.T) {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	worker.submit(sub)
	reason := "Il manque le contrat de travail : joignez-le et renvoyez la demande."
	decideOK(t, agent, sub.ID, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: reason})
	got := pulled(t, worker, sub.ID)
	if got.Status != api.StatusInvalidated || got.Decision.Remark != reason || got.Decision.Outcome != api.StatusInvalidated {
		t.Fatalf("%+v", got.Decision)
	}
	copyOf := submission()
	copyOf.Kind, copyOf.ParentID = api.KindModification, sub.ID
	worker.submit(copyOf)
	if it := queueItemOf(t, agent, copyOf.ID); it.Kind != api.KindModification {
		t.Fatalf("%+v", it)
	}
}

// TestConcurrentDecisions: two agents decide the same request at once;
// exactly one wins, the other gets already_decided, one mail is queued.
func TestConcurrentDecisions(t *testing.T) {
	f := newFixture(t)
	sub := submission()
	f.login("worker-a").submit(sub)
	agents := []*client{f.login("agent-a"), f.login("agent-a")}
	codes := make([]int, len(agents))
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.do("POST", "/api/v1/requests/"+sub.ID+"/decision",
				api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "agent " + string(rune('1'+i))}).status
		}()
	}
	wg.Wait()
	if codes[0]+codes[1] != 200+409 {
		t.Fatalf("statuses %v", codes)
	}
	if mails, _ := f.st.DueMail(t.Context(), f.now().Add(time.Hour), 10); len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
}

// TestCommentsBothSides: ONEM asks, the CPAS sees it after pull and
// answers, ONEM reads the answer; retries add nothing; outsiders get
// nothing; every read and post is audited.
func TestCommentsBothSides(t *testing.T) {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	worker.submit(sub)
	path := "/api/v1/requests/" + sub.ID + "/comments"
	question := api.CommentRequest{ID: uuid.NewString(), Text: "Pouvez-vous joindre le contrat signé ?"}
	res := agent.do("POST", path, question)
	if res.status != 201 {
		t.Fatalf("agent posts: %d %s", res.status, res.body)
	}
	got := pulled(t, worker, sub.ID)
	if len(got.Thread) != 1 || got.Thread[0].Text != question.Text || got.Thread[0].AuthorRole != api.RoleAgent ||
		got.Thread[0].AuthorName != "Test agent-a" || got.Thread[0].ID != question.ID || got.Thread[0].At == "" {
		t.Fatalf("the CPAS's pull: %+v", got.Thread)
	}
	if got.Status != api.StatusSent {
		t.Fatalf("a comment changed the status: %s", got.Status)
	}
	answer := api.CommentRequest{ID: uuid.NewString(), Text: "Contrat joint à la demande modifiée."}
	if res := worker.do("POST", path, answer); res.status != 201 {
		t.Fatalf("worker answers: %d %s", res.status, res.body)
	}
	if res := worker.do("POST", path, answer); res.status != 200 {
		t.Fatalf("retried answer: %d %s", res.status, res.body)
	}
	var th api.CommentsReply
	agent.do("GET", path, nil).decode(t, &th)
	if len(th.Comments) != 2 || th.Comments[1].AuthorRole != api.RoleWorker || th.Comments[1].Text != answer.Text {
		t.Fatalf("agent reads: %+v", th)
	}
	if it := queueItemOf(t, agent, sub.ID); it.CommentCount != 2 || it.LastCommentAt == "" {
		t.Fatalf("queue item %+v", it)
	}
	for name, tc := range map[string]struct {
		as     *client
		method string
		body   any
		status int
		code   string
	}{
		"same id, other text":     {worker, "POST", api.CommentRequest{ID: answer.ID, Text: "autre"}, 409, api.CodeMutationReused},
		"empty text":              {worker, "POST", api.CommentRequest{Text: " "}, 422, api.CodeInvalid},
		"text too long":           {agent, "POST", api.CommentRequest{Text: strings.Repeat("a", api.MaxCommentText+1)}, 422, api.CodeInvalid},
		"id not a UUID":           {agent, "POST", api.CommentRequest{ID: "1", Text: "a"}, 422, api.CodeInvalid},
		"agent of another office": {f.login("agent-b"), "GET", nil, 404, api.CodeNotFound},
		"worker of another CPAS":  {f.login("worker-b"), "POST", api.CommentRequest{Text: "a"}, 404, api.CodeNotFound},
		"admin":                   {f.login("admin"), "GET", nil, 403, api.CodeForbidden},
	} {
		res := tc.as.do(tc.method, path, tc.body)
		if res.status != tc.status || res.errorBody(t).Code != tc.code {
			t.Errorf("%s: %d %s", name, res.status, res.body)
		}
	}
	entries, _ := f.st.Audit(t.Context(), 0, sub.ID, 100)
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
	}
	if actions[store.ActionCommentAdd] != 2 || actions[store.ActionCommentRead] != 1 {
		t.Fatalf("audit %v", actions)
	}
}

// TestOfficeContacts: "contact your unemployment office" gives the office
// of the worker's CPAS, or the agent's, from seed 002's directory.
func TestOfficeContacts(t *testing.T) {
	f := newFixture(t)
	for login, want := range map[string]api.Office{
		"worker-a": {ID: "namur", Name: "Namur", Phone: "+32 81 23 50 82", Emails: []string{"admissibilite.namur@onem.be"}},
		"agent-a":  {ID: "namur", Name: "Namur", Phone: "+32 81 23 50 82", Emails: []string{"admissibilite.namur@onem.be"}},
		"worker-b": {ID: "liege", Name: "Liège", Phone: "+32 4 349 28 75", Emails: []string{"admissibilite.liege@onem.be"}},
	} {
		var o api.Office
		res := f.login(login).do("GET", "/api/v1/office", nil)
		res.decode(t, &o)
		if res.status != 200 || o.ID != want.ID || o.Name != want.Name || o.Phone != want.Phone || strings.Join(o.Emails, ",") != strings.Join(want.Emails, ",") {
			t.Errorf("%s: %d %+v", login, res.status, o)
		}
	}
	if res := f.login("admin").do("GET", "/api/v1/office", nil); res.status != 403 {
		t.Errorf("admin: %d", res.status)
	}
}
