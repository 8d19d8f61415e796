package httpapi

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"art60/server/api"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIMatchesRouteTable: every route is documented with its roles,
// and the document has no route the server does not serve.
func TestOpenAPIMatchesRouteTable(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
	documented := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented++
			rt := findRoute(method, path)
			if rt == nil {
				t.Errorf("%s %s is documented but not served", method, path)
				continue
			}
			var roles []api.Role
			if raw, ok := op.Extensions["x-roles"].([]any); ok {
				for _, r := range raw {
					roles = append(roles, api.Role(r.(string)))
				}
			}
			if !slices.Equal(roles, rt.Roles) {
				t.Errorf("%s %s: x-roles %v, route table %v", method, path, roles, rt.Roles)
			}
		}
	}
	if documented != len(Routes()) {
		t.Errorf("%d operations documented, %d routes served", documented, len(Routes()))
	}
}

func findRoute(method, pattern string) *Route {
	for _, rt := range Routes() {
		if rt.Method == method && rt.Pattern == pattern {
			return &rt
		}
	}
	return nil
}

// TestServedDocument: the document is served, and is valid OpenAPI.
func TestServedDocument(t *testing.T) {
	f := newFixture(t)
	res := f.anonymous().do("GET", "/api/v1/openapi.json", nil)
	if res.status != 200 || string(res.body) != string(OpenAPIDocument) {
		t.Fatalf("%d", res.status)
	}
	if _, err := spec(); err != nil {
		t.Fatal(err)
	}
}

// TestLoginThrottle: after 5 failed sign-ins an account gets 429 with
// Retry-After, even with the right password, while other accounts work.
func TestLoginThrottle(t *testing.T) {
	f := newFixture(t)
	c := f.anonymous()
	for i := range 5 {
		res := c.do("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: "wrong " + strconv.Itoa(i)})
		if res.status != 401 {
			t.Fatalf("attempt %d: %d", i, res.status)
		}
	}
	res := c.do("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password})
	if res.status != 429 || res.errorBody(t).Code != api.CodeThrottled {
		t.Fatalf("6th attempt: %d %s", res.status, res.body)
	}
	if s, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || s < 1 || s > 900 {
		t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
	}
	f.login("worker-b")
	// Later, the window has passed.
	clock := f.now
	f.setNow(func() time.Time { return clock().Add(16 * time.Minute) })
	f.login("worker-a")
}

// TestSessionLifecycle: who-am-I, sign-out, and a disabled account loses
// its session at once.
func TestSessionLifecycle(t *testing.T) {
	f := newFixture(t)
	c := f.login("worker-a")
	var info api.SessionInfo
	res := c.do("GET", "/api/v1/session", nil)
	res.decode(t, &info)
	if info.Role != api.RoleWorker || info.CPASID != cpasA || info.OfficeID != "namur" || info.CPASName != "CPAS A" {
		t.Fatalf("%+v", info)
	}
	ck := res.header.Get("Set-Cookie")
	if ck != "" {
		t.Fatalf("who-am-I sets a cookie: %s", ck)
	}
	if r := c.do("DELETE", "/api/v1/session", nil); r.status != 204 {
		t.Fatalf("logout: %d", r.status)
	}
	if r := c.do("GET", "/api/v1/session", nil); r.status != 401 {
		t.Fatalf("after logout: %d", r.status)
	}
	b := f.login("worker-b")
	u, _ := f.st.UserByLogin(t.Context(), "worker-b")
	if _, err := f.st.UpdateUser(t.Context(), u.ID, func(u *storeUser) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	clock := f.now
	f.setNow(func() time.Time { return clock().Add(sessionCacheTTL) }) // past the session cache
	if r := b.do("GET", "/api/v1/session", nil); r.status != 401 {
		t.Fatalf("disabled user: %d", r.status)
	}
	if r := f.anonymous().do("POST", "/api/v1/session", api.LoginRequest{Login: "worker-b", Password: password}); r.status != 401 {
		t.Fatalf("disabled user signs in: %d", r.status)
	}
}

// TestCookieFlags: HttpOnly, SameSite=Strict, scoped to the API.
func TestCookieFlags(t *testing.T) {
	f := newFixture(t)
	res := f.anonymous().do("POST", "/api/v1/session", api.LoginRequest{Login: "admin", Password: password})
	ck := res.header.Get("Set-Cookie")
	for _, want := range []string{"art60_session=", "HttpOnly", "SameSite=Strict", "Path=/api/"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %s", ck, want)
		}
	}
}

// TestCookieSecureWithHTTPSBaseURL: an https base URL means the browser
// speaks TLS (perhaps to a proxy in front), so the session cookie is Secure
// even without SecureCookies.
func TestCookieSecureWithHTTPSBaseURL(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.BaseURL = "https://art60.example" })
	res := f.anonymous().do("POST", "/api/v1/session", api.LoginRequest{Login: "admin", Password: password})
	if ck := res.header.Get("Set-Cookie"); !strings.Contains(ck, "; Secure") {
		t.Errorf("cookie %q is not Secure", ck)
	}
	f = newFixture(t) // http://x
	res = f.anonymous().do("POST", "/api/v1/session", api.LoginRequest{Login: "admin", Password: password})
	if ck := res.header.Get("Set-Cookie"); strings.Contains(ck, "Secure") {
		t.Errorf("cookie %q is Secure with an http base URL", ck)
	}
}

// TestSameOriginByOrigin: a browser without Fetch Metadata is let through
// when its Origin is the configured base URL (scheme, host and port), and
// refused when it only matches the Host header the client sent, or differs
// in scheme or port.
func TestSameOriginByOrigin(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.BaseURL = "https://art60.example/" })
	c := f.login("worker-a")
	for i, tc := range []struct {
		origin, site string
		want         int
	}{
		{"https://art60.example", "", 200},
		{"https://ART60.example:443", "", 200},
		{"https://art60.example", "same-origin", 200},
		{f.srv.URL, "", 403}, // equal to the Host header, not to the base URL
		{f.srv.URL, "same-origin", 403},
		{"http://art60.example", "", 403},
		{"https://art60.example:8443", "", 403},
		{"null", "", 403},
	} {
		c.headers = map[string]string{"Origin": tc.origin}
		if tc.site != "" {
			c.headers["Sec-Fetch-Site"] = tc.site
		}
		res := c.do("POST", "/api/v1/sync/push", pushOf("origin", int64(i+1), submission()))
		if res.status != tc.want {
			t.Errorf("Origin %s, Sec-Fetch-Site %q: %d, want %d: %s", tc.origin, tc.site, res.status, tc.want, res.body)
		}
	}
}

// TestDecisionFlow: the agent's queue, the decision, the mail in the
// outbox, the change reaching the CPAS through pull, and copies.
func TestDecisionFlow(t *testing.T) {
	f := newFixture(t)
	worker, agent, agentB := f.login("worker-a"), f.login("agent-a"), f.login("agent-b")
	sub := submission()
	receipt := worker.submit(sub)
	if receipt.Receipt.Status != api.StatusSent || receipt.Receipt.DueDate == "" {
		t.Fatalf("%+v", receipt.Receipt)
	}
	var first api.PullReply
	worker.do("GET", "/api/v1/sync/pull?schemaVersion=2", nil).decode(t, &first)
	var q api.QueueReply
	agent.do("GET", "/api/v1/queue", nil).decode(t, &q)
	if len(q.Items) != 1 || q.Items[0].RequestID != sub.ID {
		t.Fatalf("queue %+v", q)
	}
	agentB.do("GET", "/api/v1/queue", nil).decode(t, &q)
	if len(q.Items) != 0 {
		t.Fatalf("another office's queue: %+v", q)
	}
	if res := agent.decide(sub.ID, api.StatusCalculated); res.status != 200 {
		t.Fatalf("decide: %d %s", res.status, res.body)
	}
	if f.st.QueueSize() != 0 {
		t.Fatalf("queue size %d", f.st.QueueSize())
	}
	mail, err := f.st.DueMail(t.Context(), f.now().Add(time.Minute), 10)
	if err != nil || len(mail) != 1 || mail[0].RequestID != sub.ID || mail[0].To != sub.ReferenceEmail {
		t.Fatalf("outbox: %+v %v", mail, err)
	}
	var next api.PullReply
	worker.do("GET", "/api/v1/sync/pull?schemaVersion=2&cursor="+first.Cursor, nil).decode(t, &next)
	if next.Full || len(next.Requests) != 1 || next.Requests[0].Status != api.StatusCalculated {
		t.Fatalf("pull after decision: %+v", next)
	}
	modified := submission()
	modified.Kind, modified.ParentID = api.KindModification, sub.ID
	worker.submit(modified)
	all := worker.pullAll()
	if len(all) != 2 {
		t.Fatalf("%d requests", len(all))
	}
	for _, r := range all {
		if r.RootID != sub.ID {
			t.Fatalf("root of %s is %s", r.ID, r.RootID)
		}
	}
	// End-of-contract check with a derogation, once; a second needs one too.
	check := submission()
	check.Kind, check.ParentID = api.KindEndCheck, sub.ID
	check.Derogation = &api.Derogation{Justification: "long sickness during the contract, see attachments"}
	worker.submit(check)
}

// TestMetricsUseRoutePatterns: metrics are labelled by pattern, never by
// the path with its ids.
func TestMetricsUseRoutePatterns(t *testing.T) {
	f := newFixture(t)
	c := f.login("worker-a")
	sub := submission()
	c.submit(sub)
	c.do("GET", "/api/v1/requests/"+sub.ID, nil)
	res, err := http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	for _, want := range []string{`route="/api/v1/requests/{id}"`, `art60_sync_mutations_total{outcome="applied"} 1`,
		"art60_queue_size 1", "art60_http_request_duration_seconds_bucket"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, sub.ID) {
		t.Error("a request id is in the metrics")
	}
}
