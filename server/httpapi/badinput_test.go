package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// badInput is one refused input: what is sent, and the answer expected.
type badInput struct {
	name   string
	as     string // login of the caller; "" for no session
	method string
	path   string
	body   any // []byte is sent raw
	header []string
	status int
	code   string
	field  string // a field path the error must name (prefix match); "" for none
}

// TestBadInputs sends each bad input and checks the status, the stable code
// and the field path, and that the store is byte-for-byte unchanged.
func TestBadInputs(t *testing.T) {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sent := submission()
	worker.submit(sent)
	answered := submission()
	worker.submit(answered)
	if r := agent.decide(answered.ID, api.StatusCalculated); r.status != 200 {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	applied := submission()
	if r := worker.do("POST", "/api/v1/sync/push", pushOf("phone", 5, applied)); r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.body)
	}
	clients := map[string]*client{"worker-a": worker, "agent-a": agent, "admin": f.login("admin"), "": f.anonymous()}

	cases := badInputs(answered.ID, sent.ID, applied)
	if len(cases) < 25 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	before, beforeData := f.digest(), f.digestWithoutAudit()
	for _, bc := range cases {
		t.Run(bc.name, func(t *testing.T) {
			res := clients[bc.as].do(bc.method, bc.path, bc.body, bc.header...)
			if res.status != bc.status {
				t.Fatalf("status %d, want %d: %s", res.status, bc.status, res.body)
			}
			e := res.errorBody(t)
			if e.Code != bc.code {
				t.Fatalf("code %q, want %q: %s", e.Code, bc.code, res.body)
			}
			if bc.field != "" && !hasField(e, bc.field) {
				t.Fatalf("no field %q in %s", bc.field, res.body)
			}
			if contains(res.body, nissA) != "" {
				t.Fatalf("the NISS is echoed: %s", res.body)
			}
			if bc.code == api.CodeBadCredentials {
				// A refused sign-in is recorded (store.ActionSignInFailed),
				// and that entry is the only change.
				if f.digestWithoutAudit() != beforeData || !lastAuditIs(t, f, store.ActionSignInFailed) {
					t.Fatal("a refused sign-in changed more than the audit trail")
				}
				before = f.digest()
			}
			if after := f.digest(); after != before {
				t.Fatalf("the store changed")
			}
		})
	}
	t.Run("bad enterprise number (admin command)", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := admin.Run("admin", []string{"cpas", "add", "-data", f.dir, "-key-file", f.keyFile,
			"-name", "X", "-enterprise", "0212345667", "-office", "namur"}, noEnv, &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "invalid enterprise number") {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if f.digest() != before {
			t.Fatal("the store changed")
		}
	})
}

// digester is a store that digests what it holds (the Badger store).
type digester interface {
	Digest(skip ...string) (string, error)
}

// digest is the digest of everything the store holds but the key prefixes
// skip; a test of a store that has none is skipped.
func (f *fixture) digest(skip ...string) string {
	f.t.Helper()
	d, ok := f.st.(digester)
	if !ok {
		f.t.Skipf("the %T store has no digest to compare", f.st)
	}
	sum, err := d.Digest(skip...)
	if err != nil {
		f.t.Fatal(err)
	}
	return sum
}

// digestWithoutAudit is the digest of everything but the audit trail.
func (f *fixture) digestWithoutAudit() string { return f.digest("a/", "m/audit") }

func lastAuditIs(t *testing.T, f *fixture, action string) bool {
	t.Helper()
	all, err := f.st.Audit(context.Background(), 0, "", 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return len(all) > 0 && all[len(all)-1].Action == action
}

func hasField(e *api.Error, prefix string) bool {
	for _, fe := range e.Fields {
		if strings.HasPrefix(fe.Path, prefix) {
			return true
		}
	}
	return false
}

// pushWith builds a push of one submission changed by edit.
func pushWith(edit func(s *api.Submission)) api.PushRequest {
	s := submission()
	edit(s)
	return pushOf("bad-inputs", 1, s)
}

// caseWith returns the valid case with one JSON edit applied.
func caseWith(edit func(m map[string]any)) json.RawMessage {
	var m map[string]any
	json.Unmarshal(validCase(), &m)
	edit(m)
	b, _ := json.Marshal(m)
	return b
}

func periods(n int, from, to string) []any {
	ps := make([]any, n)
	for i := range ps {
		ps[i] = map[string]any{"kind": "work", "from": from, "to": to}
	}
	return ps
}

func badInputs(answered, sent string, applied *api.Submission) []badInput {
	const push, png = "/api/v1/sync/push", "\x89PNG\r\n\x1a\n"
	w := "worker-a"
	bigComment := strings.Repeat("a", maxJSONBody)
	p := func(name string, body any, status int, code, field string) badInput {
		return badInput{name: name, as: w, method: "POST", path: push, body: body, status: status, code: code, field: field}
	}
	return []badInput{
		p("malformed JSON", []byte(`{"clientId":"x",`), 400, api.CodeInvalidJSON, ""),
		p("not JSON at all", []byte(`<xml/>`), 400, api.CodeInvalidJSON, ""),
		p("trailing data", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[]} {}`), 400, api.CodeInvalidJSON, ""),
		p("body over 1 MiB", pushWith(func(s *api.Submission) { s.Comments = bigComment }), 413, api.CodeTooLarge, ""),
		p("mutationId is a string", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[{"mutationId":"one","op":"submit"}]}`),
			400, api.CodeInvalidType, "mutations.mutationId"),
		p("schemaVersion is a string", []byte(`{"clientId":"x","schemaVersion":"1","mutations":[]}`), 400, api.CodeInvalidType, "schemaVersion"),
		p("duplicate key", []byte(`{"clientId":"x","clientId":"y","schemaVersion":2,"mutations":[]}`), 400, api.CodeInvalidJSON, "clientId"),
		p("duplicate key in a mutation", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[{"mutationId":1,"op":"submit","mutationId":2}]}`),
			400, api.CodeInvalidJSON, "mutations[0].mutationId"),
		p("duplicate key inside the case", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[{"mutationId":1,"op":"submit","request":{"case":{"a":1,"a":2}}}]}`),
			400, api.CodeInvalidJSON, "mutations[0].request.case.a"),
		p("key in another case", []byte(`{"ClientId":"x","schemaVersion":2,"mutations":[]}`), 400, api.CodeUnknownField, "ClientId"),
		p("nested key in another case", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[{"mutationId":1,"OP":"submit"}]}`),
			400, api.CodeUnknownField, "mutations[0].OP"),
		p("mutationId above 2^53", []byte(`{"clientId":"phone","schemaVersion":2,"mutations":[{"mutationId":9007199254740993,"op":"submit","request":{}}]}`),
			422, api.CodeInvalid, "mutations[0].mutationId"),
		p("unknown top-level field", []byte(`{"clientId":"x","schemaVersion":2,"mutations":[],"admin":true}`), 400, api.CodeUnknownField, "admin"),
		p("unknown field in the case", pushWith(func(s *api.Submission) {
			s.Case = caseWith(func(m map[string]any) { m["salary"] = 1 })
		}), 422, api.CodeInvalid, "mutations[0].request.case"),
		p("missing clientId", api.PushRequest{SchemaVersion: api.SchemaVersion, Mutations: pushWith(func(*api.Submission) {}).Mutations}, 422, api.CodeInvalid, "clientId"),
		p("negative mutationId", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion,
			Mutations: []api.Mutation{{MutationID: -3, Op: "submit", Request: submission()}}}, 422, api.CodeInvalid, "mutations[0].mutationId"),
		p("mutationIds not growing", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion, Mutations: []api.Mutation{
			{MutationID: 4, Op: "submit", Request: submission()}, {MutationID: 2, Op: "submit", Request: submission()}}},
			422, api.CodeInvalid, "mutations[1].mutationId"),
		p("no mutations", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion}, 422, api.CodeInvalid, "mutations"),
		p("101 mutations", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion, Mutations: make([]api.Mutation, 101)}, 422, api.CodeInvalid, "mutations"),
		p("unknown op", api.PushRequest{ClientID: "x", SchemaVersion: api.SchemaVersion, Mutations: []api.Mutation{{MutationID: 1, Op: "delete"}}},
			422, api.CodeInvalid, "mutations[0].op"),
		p("missing schemaVersion", api.PushRequest{ClientID: "x", Mutations: pushWith(func(*api.Submission) {}).Mutations}, 422, api.CodeInvalid, "schemaVersion"),
		p("schema version too new", api.PushRequest{ClientID: "x", SchemaVersion: 999, Mutations: pushWith(func(*api.Submission) {}).Mutations},
			426, api.CodeUpdateRequired, "schemaVersion"),
		p("an app built before the rules of revision 2", api.PushRequest{ClientID: "x", SchemaVersion: 1, Mutations: pushWith(func(*api.Submission) {}).Mutations},
			426, api.CodeUpdateRequired, "schemaVersion"),
		p("invalid NISS", pushWith(func(s *api.Submission) {
			s.Case = caseWith(func(m map[string]any) { m["person"] = map[string]any{"niss": "12345678901"} })
		}), 422, api.CodeInvalid, "mutations[0].request.case.person.niss"),
		p("reversed period dates", pushWith(func(s *api.Submission) {
			s.Case = caseWith(func(m map[string]any) { m["periods"] = periods(1, "2023-06-30", "2023-01-02") })
		}), 422, api.CodeInvalid, "mutations[0].request.case.periods[0]"),
		p("2,001 periods", pushWith(func(s *api.Submission) {
			s.Case = caseWith(func(m map[string]any) { m["periods"] = periods(2001, "2023-01-02", "2023-01-06") })
		}), 422, api.CodeInvalid, "mutations[0].request.case.periods"),
		p("request id not a UUID", pushWith(func(s *api.Submission) { s.ID = "42" }), 422, api.CodeInvalid, "mutations[0].request.id"),
		p("unknown kind", pushWith(func(s *api.Submission) { s.Kind = "urgent" }), 422, api.CodeInvalid, "mutations[0].request.kind"),
		p("bad reference e-mail", pushWith(func(s *api.Submission) { s.ReferenceEmail = "Jean <jean@x>" }), 422, api.CodeInvalid,
			"mutations[0].request.referenceEmail"),
		p("copy without parent", pushWith(func(s *api.Submission) { s.Kind = api.KindModification }), 422, api.CodeInvalid,
			"mutations[0].request.parentId"),
		p("copy of a request still with ONEM (forbidden status change)", pushWith(func(s *api.Submission) {
			s.Kind, s.ParentID = api.KindModification, sent
		}), 409, api.CodeForbiddenTransition, "mutations[0].request.parentId"),
		p("editing a sent request", pushWith(func(s *api.Submission) { s.ID, s.Comments = sent, "changed" }), 409, api.CodeAlreadySent,
			"mutations[0].request.id"),
		p("copy of an unknown request", pushWith(func(s *api.Submission) {
			s.Kind, s.ParentID = api.KindModification, uuid.NewString()
		}), 422, api.CodeParentNotFound, "mutations[0].request.parentId"),
		p("end-of-contract check outside its window", pushWith(func(s *api.Submission) {
			s.Kind, s.ParentID = api.KindEndCheck, answered
		}), 422, api.CodeEndCheckWindow, "mutations[0].request.derogation"),
		p("derogation without a real justification", pushWith(func(s *api.Submission) {
			s.Kind, s.ParentID, s.Derogation = api.KindEndCheck, answered, &api.Derogation{Justification: "because"}
		}), 422, api.CodeInvalid, "mutations[0].request.derogation.justification"),
		p("attachment never uploaded", pushWith(func(s *api.Submission) { s.Attachments = []string{fmt.Sprintf("%064x", 7)} }),
			422, api.CodeAttachmentNotFound, "mutations[0].request.attachments[0]"),
		p("attachment id not a SHA-256", pushWith(func(s *api.Submission) { s.Attachments = []string{"../../etc/passwd"} }),
			422, api.CodeInvalid, "mutations[0].request.attachments[0]"),
		p("mutationId below the last applied", api.PushRequest{ClientID: "phone", SchemaVersion: api.SchemaVersion,
			Mutations: []api.Mutation{{MutationID: 4, Op: "submit", Request: submission()}}}, 409, api.CodeStaleMutation, "mutations[0].mutationId"),
		p("mutationId reused for other content", api.PushRequest{ClientID: "phone", SchemaVersion: api.SchemaVersion,
			Mutations: []api.Mutation{{MutationID: 5, Op: "submit", Request: submission()}}}, 409, api.CodeMutationReused, ""),
		{name: "push as text/plain", as: w, method: "POST", path: push, body: []byte(`{}`), header: []string{"Content-Type", "text/plain"},
			status: 415, code: api.CodeUnsupportedMediaType},
		{name: "cross-site push", as: w, method: "POST", path: push, body: pushWith(func(*api.Submission) {}),
			header: []string{"Sec-Fetch-Site", "cross-site"}, status: 403, code: api.CodeCSRF},
		{name: "push from a foreign Origin", as: w, method: "POST", path: push, body: pushWith(func(*api.Submission) {}),
			header: []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, status: 403, code: api.CodeCSRF},
		{name: "pull without schemaVersion", as: w, method: "GET", path: "/api/v1/sync/pull", status: 422, code: api.CodeInvalid, field: "schemaVersion"},
		{name: "pull with a bad limit", as: w, method: "GET", path: "/api/v1/sync/pull?schemaVersion=2&limit=0", status: 422, code: api.CodeInvalid, field: "limit"},
		{name: "attachment over 10 MiB", as: w, method: "POST", path: "/api/v1/attachments",
			body: append([]byte(png), make([]byte, maxAttachmentBody)...), header: []string{"Content-Type", "image/png"}, status: 413, code: api.CodeTooLarge},
		{name: "HTML disguised as PNG", as: w, method: "POST", path: "/api/v1/attachments",
			body: []byte("<html><script>alert(1)</script></html>"), header: []string{"Content-Type", "image/png"}, status: 415, code: api.CodeUnsupportedFile},
		{name: "PDF declared as PNG", as: w, method: "POST", path: "/api/v1/attachments",
			body: []byte("%PDF-1.7\n%âãÏÓ\n"), header: []string{"Content-Type", "image/png"}, status: 415, code: api.CodeUnsupportedFile},
		{name: "empty attachment", as: w, method: "POST", path: "/api/v1/attachments", body: []byte{},
			header: []string{"Content-Type", "application/pdf"}, status: 422, code: api.CodeInvalid},
		{name: "second decision on an answered request", as: "agent-a", method: "POST",
			path: "/api/v1/requests/" + answered + "/decision", body: api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "again"},
			status: 409, code: api.CodeAlreadyDecided, field: "outcome"},
		{name: "decision back to draft", as: "agent-a", method: "POST", path: "/api/v1/requests/" + sent + "/decision",
			body: api.DecisionRequest{Outcome: api.StatusDraft}, status: 422, code: api.CodeInvalid, field: "outcome"},
		{name: "invalidation without a reason", as: "agent-a", method: "POST", path: "/api/v1/requests/" + sent + "/decision",
			body: api.DecisionRequest{Outcome: api.StatusInvalidated}, status: 422, code: api.CodeInvalid, field: "remark"},
		{name: "wrong password", method: "POST", path: "/api/v1/session", body: api.LoginRequest{Login: "nobody", Password: "guess"},
			status: 401, code: api.CodeBadCredentials},
		{name: "login without password", method: "POST", path: "/api/v1/session", body: []byte(`{"login":"worker-a"}`),
			status: 422, code: api.CodeInvalid, field: "password"},
		{name: "audit with a bad cursor", as: "admin", method: "GET", path: "/api/v1/admin/audit?after=-1", status: 422, code: api.CodeInvalid, field: "after"},
		{name: "unknown route", as: w, method: "GET", path: "/api/v1/nothing", status: 404, code: api.CodeNotFound},
		{name: "wrong method", as: w, method: "PUT", path: push, body: []byte(`{}`), status: 405, code: api.CodeMethodNotAllowed},
		{name: "request id that is not a UUID", as: w, method: "GET", path: "/api/v1/requests/..%2fetc", status: 404, code: api.CodeNotFound},
	}
}
