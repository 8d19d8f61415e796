package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"art60/server/accounts"
	"art60/server/admin"
	"art60/server/api"
	"art60/server/mail"
	"art60/server/store"
	"art60/server/store/stores"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"
)

// Fixture accounts: two CPAS in two offices, so that every route can be
// tried across tenants.
const (
	cpasA    = "0212345668" // office namur
	cpasB    = "0209876524" // office liege
	password = "correct horse battery staple"
	nissA    = "85073003328"
)

type fixture struct {
	t       *testing.T
	svc     *Service
	srv     *httptest.Server
	dir     string // data directory
	keyFile string
	key     []byte
	st      store.Store
	mailer  *mail.Worker         // nil without setup.mail
	sink    *mail.Sink           // the development sink, with setup.sink
	control *admin.ControlServer // the admin commands of the tests go through it
	now     func() time.Time     // the clock of the service and its store; setNow changes it
	clients []*client            // signed in with f.login, renewed by f.at
	closed  sync.Once
}

// setup is what a fixture's service runs on, as serve.Open would open it:
// the API's Deps (the fixture sets Store, Mailer, Now and Log), the store's
// configuration (the fixture sets Dir, Key and Now) and the mail.
type setup struct {
	Deps
	store stores.Config
	mail  *mail.Config // the SMTP server notifications go to; nil: none go out
	sink  bool         // run the development mail sink, mounted at /dev/
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith lets a test change the setup (mail, quota, disk) before
// the service opens.
func newFixtureWith(t *testing.T, edit func(o *setup)) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{t: t, keyFile: filepath.Join(root, "key"), now: defaultClock(t)}
	o := setup{Deps: Deps{BaseURL: "http://x"}, store: stores.Config{Dir: filepath.Join(root, "db")}}
	if edit != nil {
		edit(&o)
	}
	f.dir = o.store.Dir
	f.open(o)
	f.seed()
	mux := http.NewServeMux()
	mux.Handle("/api/", f.svc.Handler())
	mux.Handle("/metrics", f.svc.Metrics())
	if f.sink != nil {
		mux.Handle("GET /dev/", f.sink.Handler())
	}
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.srv.Close()
		f.close()
	})
	return f
}

// open opens the key, the store, the mail and the control socket of o and
// builds the service on them.
func (f *fixture) open(o setup) {
	t := f.t
	key, _, err := store.KeyFor(o.store.Dir, "", f.keyFile, true)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return f.now() }
	o.store.Key, o.store.Now, o.store.Logger, f.key = key, clock, quietLog(), key
	if f.st, err = stores.Open(o.store); err != nil {
		t.Fatal(err)
	}
	if o.sink {
		f.sink = startSink(t, "127.0.0.1:0")
		o.mail = &mail.Config{Addr: f.sink.Addr(), From: "art60 <noreply@art60.localhost>", TLS: mail.TLSNone}
	}
	if o.mail != nil {
		cfg := *o.mail
		cfg.BaseURL, cfg.Now = o.BaseURL, clock
		if f.mailer, err = mail.Start(cfg, f.st, quietLog()); err != nil {
			t.Fatal(err)
		}
		o.Mailer = f.mailer
	}
	if f.control, err = admin.ListenControl(admin.SocketPath(o.store.Dir), f.st, quietLog()); err != nil {
		t.Fatal(err)
	}
	o.Store, o.Now, o.Log = f.st, clock, quietLog()
	if f.svc, err = New(o.Deps); err != nil {
		t.Fatal(err)
	}
}

// close stops the service and closes what it ran on, the store last (which
// flushes it to its files). It may be called more than once.
func (f *fixture) close() {
	f.closed.Do(func() {
		f.svc.Close()
		f.mailer.Close()
		if err := errors.Join(f.control.Close(), f.st.Close()); err != nil {
			f.t.Error(err)
		}
	})
}

// reopen opens the store in dir (a restored backup, the fixture's own
// directory after close) with the fixture's key, until the test ends.
func (f *fixture) reopen(dir string, space store.Space) store.Store {
	f.t.Helper()
	st, err := stores.Open(stores.Config{Dir: dir, Key: f.key, Logger: quietLog(), Now: f.now, Space: space})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	return st
}

// testNowEnv moves the fixtures' default clock to another date, so that the
// suite can be run at any date (TestSuitePassesYearsAwayFromToday runs it in
// 2031 and in 2024). Its value is an RFC 3339 instant, e.g.
// ART60_TEST_NOW=2031-06-15T10:00:00+02:00; unset, the clock is the wall
// clock. Tests that need a given instant still set it with setNow.
const testNowEnv = "ART60_TEST_NOW"

// defaultClock is the wall clock, or with ART60_TEST_NOW a clock that
// starts at that instant and runs forward with the wall clock: retries,
// timeouts and waits behave as they do in production, only the date moves.
func defaultClock(t *testing.T) func() time.Time {
	t.Helper()
	v := os.Getenv(testNowEnv)
	if v == "" {
		return time.Now
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("%s=%q: %v (want RFC 3339, e.g. 2031-06-15T10:00:00+02:00)", testNowEnv, v, err)
	}
	wall := time.Now()
	return func() time.Time { return start.Add(time.Since(wall)) }
}

// setNow sets the clock of the service and its store.
func (f *fixture) setNow(now func() time.Time) { f.now = now }

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (f *fixture) seed() {
	ctx := context.Background()
	for _, c := range []struct{ id, name, office string }{{cpasA, "CPAS A", "namur"}, {cpasB, "CPAS B", "liege"}} {
		cp, err := accounts.NewCPAS(c.name, c.id, c.office, f.st.Now())
		if err != nil {
			f.t.Fatal(err)
		}
		if err := f.st.PutCPAS(ctx, cp); err != nil {
			f.t.Fatal(err)
		}
	}
	for _, u := range []accounts.Spec{
		{Login: "worker-a", Role: api.RoleWorker, CPASID: cpasA},
		{Login: "worker-b", Role: api.RoleWorker, CPASID: cpasB},
		{Login: "agent-a", Role: api.RoleAgent, OfficeID: "namur"},
		{Login: "agent-b", Role: api.RoleAgent, OfficeID: "liege"},
		{Login: "cpas-admin-a", Role: api.RoleCPASAdmin, CPASID: cpasA},
		{Login: "cpas-admin-b", Role: api.RoleCPASAdmin, CPASID: cpasB},
		{Login: "office-admin-a", Role: api.RoleOfficeAdmin, OfficeID: "namur"},
		{Login: "office-admin-b", Role: api.RoleOfficeAdmin, OfficeID: "liege"},
		{Login: "dpo", Role: api.RoleDPO},
		{Login: "admin", Role: api.RoleAdmin},
	} {
		f.addUser(u)
	}
}

// addUser adds an account named "Test LOGIN" with the fixtures' password.
func (f *fixture) addUser(spec accounts.Spec) store.User {
	f.t.Helper()
	spec.Name, spec.Password = "Test "+spec.Login, password
	u, err := accounts.NewUser(context.Background(), f.st, spec)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.AddUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// client is a browser-like API client: a cookie jar and same-origin fetch
// metadata. Every answer is checked against the OpenAPI document.
type client struct {
	f        *fixture
	http     *http.Client
	headers  map[string]string
	login    string    // who signed in (f.login), "" for an anonymous client
	expires  time.Time // when that session expires, by the fixture's clock
	lastCall time.Time // the last call, by the fixture's clock: the idle timeout runs from it
}

func (f *fixture) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{f: f, http: &http.Client{Jar: jar}, headers: map[string]string{"Sec-Fetch-Site": "same-origin"}}
}

func (f *fixture) login(login string) *client {
	f.t.Helper()
	c := f.anonymous()
	c.signIn(login)
	f.clients = append(f.clients, c)
	return c
}

// signIn opens a session for login on this client (its cookie replaces any
// earlier one).
func (c *client) signIn(login string) {
	c.f.t.Helper()
	res := c.do("POST", "/api/v1/session", api.LoginRequest{Login: login, Password: password})
	if res.status != 200 {
		c.f.t.Fatalf("login %s: %d %s", login, res.status, res.body)
	}
	var info api.SessionInfo
	res.decode(c.f.t, &info)
	expires, err := time.Parse(time.RFC3339, info.ExpiresAt)
	if err != nil {
		c.f.t.Fatalf("login %s: expiresAt %q: %v", login, info.ExpiresAt, err)
	}
	c.login, c.expires = login, expires
}

// renewSessions signs in again, like a user would, every client of f.login
// whose session is not open at the fixture's present instant: expired, or
// opened later (the clock was set back). Scenarios that move the clock over
// days (f.at) then work from whatever date the fixture started at.
func (f *fixture) renewSessions() {
	f.t.Helper()
	now := f.now()
	for _, c := range f.clients {
		// The store knows the last use to within touchInterval, so a session
		// idle for the timeout less that interval may have ended already.
		idle := now.Sub(c.lastCall) > f.svc.idle-touchInterval
		if idle || !now.Before(c.expires) || now.Before(c.expires.Add(-sessionTTL)) {
			c.signIn(c.login)
		}
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r response) errorBody(t *testing.T) *api.Error {
	t.Helper()
	var b struct {
		Error *api.Error `json:"error"`
	}
	r.decode(t, &b)
	if b.Error == nil {
		t.Fatalf("no error in %s", r.body)
	}
	return b.Error
}

// do sends body as JSON (a []byte is sent as is, with the JSON type unless
// a Content-Type header is set on the client).
func (c *client) do(method, path string, body any, headers ...string) response {
	c.f.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.f.srv.URL+path, rd)
	if err != nil {
		c.f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c.lastCall = c.f.now()
	res, err := c.http.Do(req)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		c.f.t.Fatal(err)
	}
	checkOpenAPI(c.f.t, req, res, out)
	return response{status: res.StatusCode, header: res.Header, body: out}
}

var spec = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPIDocument)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

func init() {
	for _, t := range []string{"application/pdf", "image/png", "image/jpeg"} {
		openapi3filter.RegisterBodyDecoder(t, openapi3filter.FileBodyDecoder)
	}
}

// checkOpenAPI fails the test when an answer does not match the document.
// Answers of paths the document does not have (404 fallbacks) are skipped.
func checkOpenAPI(t *testing.T, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	router, err := spec()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		if res.StatusCode != 404 && res.StatusCode != 405 {
			t.Errorf("%s %s: not in openapi.json: %v", req.Method, req.URL.Path, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: res.StatusCode, Header: res.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, clip(body))
	}
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// validCase is example V1 of RULES.md with a NISS.
func validCase() json.RawMessage {
	return json.RawMessage(`{"person":{"niss":"` + nissA + `","birthDate":"1985-07-30"},` +
		`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},"periods":[],` +
		`"lastBenefitDate":null,"previousAdmissionDate":null,"options":{"claimDays":"mon-sat","conventionCountries":[]}}`)
}

func submission() *api.Submission {
	return &api.Submission{ID: uuid.NewString(), Kind: api.KindInitial, Case: validCase(),
		ReferenceEmail: "referent@cpas.example", Comments: "test"}
}

func pushOf(clientID string, id int64, sub *api.Submission) api.PushRequest {
	return api.PushRequest{ClientID: clientID, SchemaVersion: api.SchemaVersion,
		Mutations: []api.Mutation{{MutationID: id, Op: api.OpSubmit, Request: sub}}}
}

// submit pushes one submission and fails the test unless it is applied.
func (c *client) submit(sub *api.Submission) api.MutationResult {
	c.f.t.Helper()
	res := c.do("POST", "/api/v1/sync/push", pushOf("dev-"+sub.ID[:8], 1, sub))
	var reply api.PushReply
	res.decode(c.f.t, &reply)
	if res.status != 200 || reply.Results[0].Outcome != api.OutcomeApplied {
		c.f.t.Fatalf("submit: %d %s", res.status, res.body)
	}
	return reply.Results[0]
}

// pullAll pulls a full snapshot, page by page.
func (c *client) pullAll() []api.Request {
	c.f.t.Helper()
	var all []api.Request
	cursor := ""
	for {
		res := c.do("GET", "/api/v1/sync/pull?schemaVersion=2&cursor="+cursor, nil)
		if res.status != 200 {
			c.f.t.Fatalf("pull: %d %s", res.status, res.body)
		}
		var p api.PullReply
		res.decode(c.f.t, &p)
		all = append(all, p.Requests...)
		cursor = p.Cursor
		if !p.More {
			return all
		}
	}
}

func (c *client) decide(id string, outcome api.Status) response {
	return c.do("POST", "/api/v1/requests/"+id+"/decision", api.DecisionRequest{Outcome: outcome, Remark: "checked"})
}

func contains(haystack []byte, needles ...string) string {
	for _, n := range needles {
		if n != "" && strings.Contains(string(haystack), n) {
			return n
		}
	}
	return ""
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

type storeUser = store.User

// countAction is how many audit entries record action.
func countAction(entries []store.AuditEntry, action string) int {
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

// noEnv is the empty environment the admin commands of the tests run in:
// none reads the machine's.
func noEnv(string) string { return "" }
