package contract

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"

	"art60/server/api"
)

// Run checks the API of the deployment at base (e.g.
// http://127.0.0.1:8080), whose system administrator signs in with login
// and password.
func Run(t *testing.T, base, login, password string) {
	w := setUp(t, base, login, password)
	for _, c := range []struct {
		name  string
		check func(w *world, t *testing.T)
	}{
		{"sign-in refusals name their fields", (*world).signInRefusals},
		{"a push repeated 50 times at once is stored once with one answer", (*world).concurrentPush},
		{"pull pages follow their cursor without loss or repeat", (*world).pullPages},
		{"another CPAS and another office see none of A's objects", (*world).isolation},
		{"an agent decides once and the worker sees the decision", (*world).decision},
		{"comments reach both sides", (*world).comments},
		{"attachments are checked by content and kept per CPAS", (*world).attachments},
		{"bad inputs are refused naming the field", (*world).badInputs},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(w.in(t), t) })
	}
}

// in is the world with its clients reporting to t, a subtest's.
func (w *world) in(t *testing.T) *world {
	out := *w
	out.t = t
	for _, c := range []**client{&out.workerA, &out.workerB, &out.agentA, &out.agentB} {
		copied := **c
		copied.t = t
		*c = &copied
	}
	return &out
}

// world is what the suite sets up: two CPAS of two offices, a worker of
// each, an agent of each office.
type world struct {
	t                *testing.T
	base             string
	cpasA, cpasB     string
	workerA, workerB *client
	agentA, agentB   *client
}

func setUp(t *testing.T, base, login, password string) *world {
	t.Helper()
	admin := signIn(t, base, login, password)
	w := &world{t: t, base: base, cpasA: enterpriseNumber(t), cpasB: enterpriseNumber(t)}
	admin.must("POST", "/api/v1/admin/cpas", api.CPASInfo{ID: w.cpasA, Name: "CPAS A du contrat", OfficeID: "namur"}, http.StatusCreated, nil)
	admin.must("POST", "/api/v1/admin/cpas", api.CPASInfo{ID: w.cpasB, Name: "CPAS B du contrat", OfficeID: "liege"}, http.StatusCreated, nil)
	w.workerA = w.account(admin, api.RoleWorker, w.cpasA, "")
	w.workerB = w.account(admin, api.RoleWorker, w.cpasB, "")
	w.agentA = w.account(admin, api.RoleAgent, "", "namur")
	w.agentB = w.account(admin, api.RoleAgent, "", "liege")
	return w
}

// account creates an account through an invitation, chooses its password
// with the link, and signs it in.
func (w *world) account(admin *client, role api.Role, cpas, office string) *client {
	w.t.Helper()
	login := fmt.Sprintf("contract-%s-%s", role, rand.Text()[:10])
	var inv api.Invitation
	admin.must("POST", "/api/v1/admin/users", api.NewAccount{Login: login, DisplayName: "Contrat " + string(role),
		Role: role, CPASID: cpas, OfficeID: office}, http.StatusCreated, &inv)
	_, token, ok := strings.Cut(inv.Link, "/invite#")
	if !ok {
		w.t.Fatalf("invitation link %q has no /invite# fragment", inv.Link)
	}
	password := rand.Text()
	anon := newClient(w.t, w.base)
	anon.must("POST", "/api/v1/invitation", api.InvitationAccept{Token: token, Password: password}, http.StatusOK, nil)
	return signIn(w.t, w.base, strings.ToLower(login), password)
}

// enterpriseNumber is a random valid Belgian enterprise number: first
// digit 0, the last two 97 − (first eight mod 97).
func enterpriseNumber(t *testing.T) string {
	n, err := rand.Int(rand.Reader, big.NewInt(9_000_000))
	if err != nil {
		t.Fatal(err)
	}
	base := n.Int64() + 1_000_000
	return fmt.Sprintf("0%07d%02d", base, 97-base%97)
}

// nissOf is a NISS (born 1985-07-30, sequence seq) with its check digits.
func nissOf(seq int) string {
	body := fmt.Sprintf("850730%03d", seq)
	n, _ := new(big.Int).SetString(body, 10)
	check := 97 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d", body, check)
}

// submission is a valid initial request of a person born in 1985.
func submission(seq int) *api.Submission {
	c := `{"person":{"niss":"` + nissOf(seq) + `","birthDate":"1985-07-30"},` +
		`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},"periods":[],` +
		`"lastBenefitDate":null,"previousAdmissionDate":null,"options":{"claimDays":"mon-sat","conventionCountries":[]}}`
	return &api.Submission{ID: newID(), Kind: api.KindInitial, Case: json.RawMessage(c),
		ReferenceEmail: "referent@cpas.example", Comments: "contrat"}
}

// newID is a random UUID v4, as the app makes them.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func pushOf(client string, id int64, subs ...*api.Submission) api.PushRequest {
	p := api.PushRequest{ClientID: client, SchemaVersion: api.SchemaVersion}
	for i, s := range subs {
		p.Mutations = append(p.Mutations, api.Mutation{MutationID: id + int64(i), Op: api.OpSubmit, Request: s})
	}
	return p
}

// submit pushes subs from a new device and fails unless all are applied.
func (c *client) submit(subs ...*api.Submission) {
	c.t.Helper()
	var reply api.PushReply
	c.must("POST", "/api/v1/sync/push", pushOf("contract-"+rand.Text()[:8], 1, subs...), http.StatusOK, &reply)
	for _, r := range reply.Results {
		if r.Outcome != api.OutcomeApplied {
			c.errorf("mutation %d: %s %+v", r.MutationID, r.Outcome, r.Error)
		}
	}
}

// pullAll reads every request of the caller's CPAS, page by page.
func (c *client) pullAll(limit int) []api.Request {
	c.t.Helper()
	var all []api.Request
	cursor := ""
	for page := 0; ; page++ {
		var p api.PullReply
		c.must("GET", fmt.Sprintf("/api/v1/sync/pull?schemaVersion=%d&limit=%d&cursor=%s", api.SchemaVersion, limit, cursor),
			nil, http.StatusOK, &p)
		all = append(all, p.Requests...)
		if !p.More {
			return all
		}
		if p.Cursor == cursor || page > 10000 {
			c.t.Fatalf("pull: the cursor %q does not move", cursor)
		}
		cursor = p.Cursor
	}
}

func (w *world) signInRefusals(t *testing.T) {
	c := newClient(t, w.base)
	c.refused("POST", "/api/v1/session", api.LoginRequest{Login: w.workerA.login, Password: "not the password at all"},
		http.StatusUnauthorized, api.CodeBadCredentials, "")
	c.refused("POST", "/api/v1/session", api.LoginRequest{}, http.StatusUnprocessableEntity, api.CodeInvalid, "login")
	c.refused("POST", "/api/v1/session", map[string]string{"login": "x", "password": "y", "pasword": "z"},
		http.StatusBadRequest, api.CodeUnknownField, "pasword")
	c.refused("GET", "/api/v1/sync/pull?schemaVersion=2", nil, http.StatusUnauthorized, api.CodeUnauthenticated, "")
	w.workerA.refused("GET", "/api/v1/queue", nil, http.StatusForbidden, api.CodeForbidden, "")
}

func (w *world) concurrentPush(t *testing.T) {
	sub := submission(1)
	push := pushOf("contract-burst", 1, sub)
	const n = 50
	bodies := make([][]byte, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := w.workerA.do("POST", "/api/v1/sync/push", push)
			statuses[i], bodies[i] = res.status, res.body
		})
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != http.StatusOK || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("push %d of %d: %d %s; the first answered %d %s", i, n, statuses[i], bodies[i], statuses[0], bodies[0])
		}
	}
	if got := count(w.workerA.pullAll(100), sub.ID); got != 1 {
		t.Errorf("the request is stored %d times, want once", got)
	}
}

func count(reqs []api.Request, id string) int {
	n := 0
	for _, r := range reqs {
		if r.ID == id {
			n++
		}
	}
	return n
}

func (w *world) pullPages(t *testing.T) {
	var subs []*api.Submission
	for i := range 5 {
		subs = append(subs, submission(10+i))
	}
	w.workerA.submit(subs...)
	all := w.workerA.pullAll(2)
	for _, s := range subs {
		if n := count(all, s.ID); n != 1 {
			t.Errorf("request %s: %d times in the pages of 2, want once", s.ID, n)
		}
	}
}

func (w *world) isolation(t *testing.T) {
	sub := submission(20)
	w.workerA.submit(sub)
	for _, c := range []*client{w.workerB, w.agentB} {
		c.refused("GET", "/api/v1/requests/"+sub.ID, nil, http.StatusNotFound, api.CodeNotFound, "")
		c.refused("GET", "/api/v1/requests/"+sub.ID+"/comments", nil, http.StatusNotFound, api.CodeNotFound, "")
	}
	w.agentB.refused("POST", "/api/v1/requests/"+sub.ID+"/decision",
		api.DecisionRequest{Outcome: api.StatusCalculated}, http.StatusNotFound, api.CodeNotFound, "")
	if n := count(w.workerB.pullAll(100), sub.ID); n != 0 {
		t.Errorf("CPAS B's pull holds A's request")
	}
	w.agentA.must("GET", "/api/v1/requests/"+sub.ID, nil, http.StatusOK, nil)
	// The same id from B's device does not reach A's request.
	w.workerB.refused("POST", "/api/v1/sync/push", pushOf("contract-b", 1, sub), http.StatusConflict, api.CodeRequestIDTaken,
		"mutations[0].request.id")
}

func (w *world) decision(t *testing.T) {
	sub := submission(30)
	w.workerA.submit(sub)
	path := "/api/v1/requests/" + sub.ID + "/decision"
	w.agentA.refused("POST", path, api.DecisionRequest{Outcome: api.StatusInvalidated}, http.StatusUnprocessableEntity, api.CodeInvalid, "remark")
	w.agentA.must("POST", path, api.DecisionRequest{Outcome: api.StatusCalculated}, http.StatusOK, nil)
	w.agentA.refused("POST", path, api.DecisionRequest{Outcome: api.StatusCalculated}, http.StatusConflict, api.CodeAlreadyDecided, "")
	for _, r := range w.workerA.pullAll(100) {
		if r.ID == sub.ID && r.Status != api.StatusCalculated {
			t.Errorf("the worker sees status %s after the decision, want %s", r.Status, api.StatusCalculated)
		}
	}
}

func (w *world) comments(t *testing.T) {
	sub := submission(40)
	w.workerA.submit(sub)
	path := "/api/v1/requests/" + sub.ID + "/comments"
	w.agentA.must("POST", path, api.CommentRequest{Text: "Pouvez-vous joindre le contrat signé ?"}, http.StatusCreated, nil)
	w.workerA.must("POST", path, api.CommentRequest{Text: "Le voici."}, http.StatusCreated, nil)
	var thread api.CommentsReply
	w.agentA.must("GET", path, nil, http.StatusOK, &thread)
	if len(thread.Comments) != 2 || thread.Comments[0].Text != "Pouvez-vous joindre le contrat signé ?" {
		t.Errorf("the thread: %+v", thread.Comments)
	}
	w.workerA.refused("POST", path, api.CommentRequest{Text: ""}, http.StatusUnprocessableEntity, api.CodeInvalid, "text")
}

func (w *world) attachments(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte(rand.Text())...)
	sum := sha256.Sum256(png)
	id := hex.EncodeToString(sum[:])
	var info api.AttachmentInfo
	res := w.workerA.do("POST", "/api/v1/attachments", png, "image/png")
	if res.status != http.StatusOK && res.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	json.Unmarshal(res.body, &info)
	if info.ID != id || info.ContentType != "image/png" {
		t.Errorf("upload answered %+v, want id %s image/png", info, id)
	}
	if res := w.workerA.do("POST", "/api/v1/attachments", []byte("plain text, not a document"), "image/png"); res.status != http.StatusUnsupportedMediaType {
		t.Errorf("a text file as PNG: %d %s, want 415", res.status, res.body)
	}
	sub := submission(50)
	sub.Attachments = []string{id}
	w.workerA.submit(sub)
	w.agentA.must("GET", "/api/v1/attachments/"+id+"?requestId="+sub.ID, nil, http.StatusOK, nil)
	w.workerB.refused("GET", "/api/v1/attachments/"+id, nil, http.StatusNotFound, api.CodeNotFound, "")
	w.agentB.refused("GET", "/api/v1/attachments/"+id+"?requestId="+sub.ID, nil, http.StatusNotFound, api.CodeNotFound, "")
}

func (w *world) badInputs(t *testing.T) {
	sub := submission(60)
	sub.Case = json.RawMessage(strings.Replace(string(sub.Case), nissOf(60), "85073000000", 1))
	w.workerA.refused("POST", "/api/v1/sync/push", pushOf("contract-bad", 1, sub), http.StatusUnprocessableEntity,
		api.CodeInvalid, "mutations[0].request.case.person.niss")
	w.workerA.refused("POST", "/api/v1/sync/push", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion},
		http.StatusUnprocessableEntity, api.CodeInvalid, "mutations")
	old := pushOf("contract-old", 1, submission(61))
	old.SchemaVersion = api.MinSchemaVersion - 1
	w.workerA.refused("POST", "/api/v1/sync/push", old, http.StatusUpgradeRequired, api.CodeUpdateRequired, "schemaVersion")
}

// Decide sets up, through the API of the deployment at base, a CPAS with a
// worker and an office with an agent; the worker sends one request (whose
// referent is referent@cpas.example) and the agent decides it
// "calculated", which queues one mail. It returns the request's id: the
// mail's link names it.
func Decide(t *testing.T, base, login, password string) string {
	w := setUp(t, base, login, password)
	sub := submission(31)
	w.workerA.submit(sub)
	w.agentA.must("POST", "/api/v1/requests/"+sub.ID+"/decision", api.DecisionRequest{Outcome: api.StatusCalculated}, http.StatusOK, nil)
	return sub.ID
}
