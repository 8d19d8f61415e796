package httpapi

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"art60/server/accounts"
	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// objects names what a route's path parameters and body refer to.
type objects struct {
	request    string // a request id
	attachment string // an attachment SHA-256
	user       string // an account id
	cpas       string // a CPAS enterprise number
}

// exampleBodies gives every route that takes a body one, built around the
// objects. A route missing here fails the test: add it.
var exampleBodies = map[string]func(o objects) any{
	"POST /api/v1/session": func(objects) any { return api.LoginRequest{Login: "nobody", Password: "wrong password"} },
	"POST /api/v1/sync/push": func(o objects) any {
		s := submission()
		s.Kind, s.ParentID, s.Attachments = api.KindModification, o.request, []string{o.attachment}
		return pushOf("isolation", 1, s)
	},
	"POST /api/v1/requests/{id}/decision": func(objects) any {
		return api.DecisionRequest{Outcome: api.StatusCalculated, Remark: "ok"}
	},
	"POST /api/v1/attachments": func(objects) any { return pngBytes() },
	// A wrong current password: the change is refused, the password stays.
	"POST /api/v1/session/password": func(objects) any {
		return api.PasswordChange{CurrentPassword: "not the password", NewPassword: "a new password of some length"}
	},
	"POST /api/v1/requests/{id}/comments": func(objects) any {
		return api.CommentRequest{Text: "Pouvez-vous joindre le contrat signé ?"}
	},
	"POST /api/v1/admin/users": func(o objects) any {
		return api.NewAccount{Login: "new-colleague", DisplayName: "Nouveau collègue", Role: api.RoleWorker, CPASID: o.cpas}
	},
	"POST /api/v1/admin/cpas": func(objects) any {
		return api.CPASInfo{ID: "0999999922", Name: "CPAS de l'isolation", OfficeID: "namur"}
	},
	"POST /api/v1/admin/users/{id}/disable":    func(objects) any { return nil },
	"POST /api/v1/admin/users/{id}/enable":     func(objects) any { return nil },
	"POST /api/v1/admin/users/{id}/invitation": func(objects) any { return nil },
	"POST /api/v1/invitation": func(o objects) any {
		return api.InvitationAccept{Token: o.user + ".not-the-secret", Password: "a password of some length"}
	},
	"POST /api/v1/admin/subject/export":   func(objects) any { return SubjectQuery{NISS: "90010100123"} },
	"POST /api/v1/admin/subject/accesses": func(objects) any { return SubjectQuery{NISS: "90010100123"} },
	"POST /api/v1/admin/subject/erase":    func(objects) any { return SubjectQuery{NISS: "90010100123"} },
}

var pathParam = regexp.MustCompile(`\{([a-z0-9]+)\}`)

// url fills the path parameters of a pattern with the objects.
func (o objects) url(t *testing.T, pattern string) string {
	return pathParam.ReplaceAllStringFunc(pattern, func(m string) string {
		switch m {
		case "{id}":
			if strings.HasPrefix(pattern, "/api/v1/admin/users/") {
				return o.user
			}
			return o.request
		case "{sha256}":
			return o.attachment
		}
		t.Fatalf("isolation test: unknown path parameter %s: teach the test what it names", m)
		return ""
	})
}

func pngBytes() []byte {
	b := make([]byte, 64)
	rand.Read(b)
	return append([]byte("\x89PNG\r\n\x1a\n"), b...)
}

// TestIsolationMatrix tries every route of the route table as every kind of
// caller against CPAS A's objects: no session → 401; a role the route does
// not admit → 403; a caller of another tenant (CPAS B worker, agent of
// another office) → 404 on every path naming A's objects, and on every other
// route the same answer as for objects that do not exist, with none of A's
// ids or personal data in it.
func TestIsolationMatrix(t *testing.T) {
	f := newFixture(t)
	workerA := f.login("worker-a")
	att := workerA.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png")
	var info api.AttachmentInfo
	att.decode(t, &info)
	req := submission()
	req.Attachments = []string{info.ID}
	workerA.submit(req)
	// colleague-a is an account of A that no caller below uses: the
	// administrators' routes act on it.
	colleague := f.addUser(accounts.Spec{Login: "colleague-a", Role: api.RoleWorker, CPASID: cpasA})
	ofA := objects{request: req.ID, attachment: info.ID, user: colleague.ID, cpas: cpasA}
	unknown := objects{request: uuid.NewString(), attachment: fmt.Sprintf("%064x", 42), user: uuid.NewString(),
		cpas: "0999999922"} // a valid enterprise number of no CPAS

	// The admin reads accounts and the audit trail of every CPAS by design,
	// and the DPO answers a person's rights whatever their CPAS: only the
	// role check applies to them. worker-a is A's own worker.
	callers := map[string]api.Role{"worker-b": api.RoleWorker, "agent-b": api.RoleAgent, "admin": api.RoleAdmin,
		"worker-a": api.RoleWorker, "cpas-admin-b": api.RoleCPASAdmin, "office-admin-b": api.RoleOfficeAdmin,
		"dpo": api.RoleDPO}
	tenantBound := map[string]bool{"worker-b": true, "agent-b": true, "cpas-admin-b": true, "office-admin-b": true}
	routes := Routes()
	// Sign-outs last: they end the caller's sessions.
	slices.SortStableFunc(routes, func(a, b Route) int { return boolInt(a.Method == "DELETE") - boolInt(b.Method == "DELETE") })
	clients := map[string]*client{}
	for login := range callers {
		clients[login] = f.login(login)
	}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		body := func(o objects) any { return nil }
		if b, ok := exampleBodies[key]; ok {
			body = b
		} else if rt.Method != "GET" && rt.Method != "DELETE" {
			t.Fatalf("%s has no example body in exampleBodies", key)
		}
		call := func(c *client, o objects) response {
			b := body(o)
			if raw, ok := b.([]byte); ok {
				return c.do(rt.Method, o.url(t, rt.Pattern), raw, "Content-Type", "image/png")
			}
			return c.do(rt.Method, o.url(t, rt.Pattern), b)
		}
		t.Run(key, func(t *testing.T) {
			if len(rt.Roles) == 0 {
				return // public: nothing of a tenant behind it
			}
			if res := call(f.anonymous(), ofA); res.status != 401 || res.errorBody(t).Code != api.CodeUnauthenticated {
				t.Errorf("no session: %d %s, want 401", res.status, res.body)
			}
			for login, role := range callers {
				c := clients[login]
				if endsSessions(rt) {
					c = f.login(login) // each sign-out needs a session of its own
				}
				allowed := slices.Contains(rt.Roles, role)
				switch {
				case !allowed:
					if res := call(c, ofA); res.status != 403 || res.errorBody(t).Code != api.CodeForbidden {
						t.Errorf("%s (%s): %d %s, want 403", login, role, res.status, res.body)
					}
				case tenantBound[login]:
					onA := call(c, ofA)
					if endsSessions(rt) {
						c = f.login(login)
					}
					checkTenantIsolation(t, login, rt, onA, call(c, unknown), ofA)
				}
			}
		})
	}
	// agent-a of A's office does see A's request: the 404s above are isolation, not breakage.
	if res := f.login("agent-a").do("GET", "/api/v1/requests/"+req.ID, nil); res.status != 200 {
		t.Fatalf("agent of A's office: %d %s", res.status, res.body)
	}
}

func checkTenantIsolation(t *testing.T, login string, rt Route, ofA, unknown response, a objects) {
	t.Helper()
	if pathParam.MatchString(rt.Pattern) && ofA.status != 404 {
		t.Errorf("%s on A's object: %d %s, want 404", login, ofA.status, ofA.body)
	}
	if ofA.status != unknown.status || errCode(ofA) != errCode(unknown) {
		t.Errorf("%s: A's objects answer %d %s but unknown ones %d %s: existence leaks", login,
			ofA.status, ofA.body, unknown.status, unknown.body)
	}
	if leak := contains(ofA.body, a.request, a.attachment, a.user, nissA); leak != "" {
		t.Errorf("%s: answer holds %q of CPAS A: %s", login, leak, ofA.body)
	}
}

func errCode(r response) string {
	if !bytes.Contains(r.body, []byte(`"error"`)) {
		return ""
	}
	var b struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = jsonUnmarshal(r.body, &b)
	return b.Error.Code
}

// endsSessions says whether a route ends the caller's session (sign-out,
// sign-out everywhere): each call needs a session of its own.
func endsSessions(rt Route) bool {
	return rt.Method == "DELETE" && strings.HasPrefix(rt.Pattern, "/api/v1/session")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAgentOfAnotherOfficeCannotSeeRequests: an agent of Liège, asked
// about a request of a CPAS of Namur, gets the answer of a request that
// does not exist on every route that names it, and finds it in none of
// their lists or figures.
func TestAgentOfAnotherOfficeCannotSeeRequests(t *testing.T) {
	f := newFixture(t)
	workerA, agentB := f.login("worker-a"), f.login("agent-b")
	var info api.AttachmentInfo
	workerA.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png").decode(t, &info)
	req := submission()
	req.Attachments = []string{info.ID}
	workerA.submit(req)
	id := req.ID
	for _, call := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/requests/" + id, nil},
		{"GET", "/api/v1/requests/" + id + "/comments", nil},
		{"POST", "/api/v1/requests/" + id + "/comments", api.CommentRequest{Text: "?"}},
		{"POST", "/api/v1/requests/" + id + "/decision", api.DecisionRequest{Outcome: api.StatusCalculated}},
		{"GET", "/api/v1/attachments/" + info.ID, nil},
		{"GET", "/api/v1/attachments/" + info.ID + "?requestId=" + id, nil},
	} {
		res := agentB.do(call.method, call.path, call.body)
		if res.status != 404 || res.errorBody(t).Code != api.CodeNotFound || contains(res.body, id, nissA) != "" {
			t.Errorf("%s %s: %d %s, want 404", call.method, call.path, res.status, res.body)
		}
	}
	for _, query := range []string{"", "?cpas=" + cpasA, "?overdue=false"} {
		var q api.QueueReply
		agentB.do("GET", "/api/v1/queue"+query, nil).decode(t, &q)
		if len(q.Items) != 0 {
			t.Errorf("queue%s: %+v", query, q.Items)
		}
	}
	var r api.ReportReply
	agentB.do("GET", "/api/v1/reports", nil).decode(t, &r)
	if len(r.Offices) != 1 || r.Offices[0].OfficeID != "liege" || r.Offices[0].Counts.Sent != 0 {
		t.Errorf("reports %+v", r)
	}
	// The agent of A's office does see it, through the same routes.
	agentA := f.login("agent-a")
	if res := agentA.do("GET", "/api/v1/attachments/"+info.ID+"?requestId="+id, nil); res.status != 200 {
		t.Fatalf("agent of A's office: %d %s", res.status, res.body)
	}
	entries, _ := f.st.Audit(t.Context(), 0, id, 100)
	if last := entries[len(entries)-1]; last.Action != store.ActionAttachmentRead || last.Object != info.ID {
		t.Fatalf("attachment download not audited under the request: %+v", last)
	}
}
