package httpapi

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/store"
)

// sessionHash is the store key of the client's session (its cookie hashed).
func (c *client) sessionHash() string {
	c.f.t.Helper()
	u, _ := url.Parse(c.f.srv.URL + "/api/v1/session")
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == cookieName {
			return hashToken(ck.Value)
		}
	}
	c.f.t.Fatal("no session cookie")
	return ""
}

// expectStatus calls a route and fails unless it answers status (and code,
// when not "").
func (c *client) expectStatus(method, path string, body any, status int, code string) {
	c.f.t.Helper()
	res := c.do(method, path, body)
	if res.status != status || (code != "" && res.errorBody(c.f.t).Code != code) {
		c.f.t.Fatalf("%s %s as %s: %d %s, want %d %s", method, path, c.login, res.status, res.body, status, code)
	}
}

// freeze stops the fixture's clock at t0 and returns a function that moves
// it to t0 + d.
func (f *fixture) freeze() (t0 time.Time, to func(d time.Duration)) {
	t0 = f.now().Truncate(time.Second)
	f.setNow(func() time.Time { return t0 })
	return t0, func(d time.Duration) { f.setNow(func() time.Time { return t0.Add(d) }) }
}

func TestASessionUnusedForTheIdleTimeoutEnds(t *testing.T) {
	f := newFixture(t)
	t0, to := f.freeze()
	w := f.login("worker-a")
	lastUsed := func() time.Time {
		t.Helper()
		se, err := f.st.Session(context.Background(), w.sessionHash())
		if err != nil {
			t.Fatal(err)
		}
		return se.LastUsed()
	}
	to(30 * time.Second)
	w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	if got := lastUsed(); !got.Equal(t0) {
		t.Fatalf("a use 30 s after sign-in was written to the store (last use %v): at most once a minute", got)
	}
	// Used just within the timeout, and again: each use moves the deadline.
	to(DefaultIdleTimeout)
	w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	if got := lastUsed(); !got.Equal(t0.Add(DefaultIdleTimeout)) {
		t.Fatalf("last use %v, want %v", got, t0.Add(DefaultIdleTimeout))
	}
	to(2 * DefaultIdleTimeout)
	w.expectStatus("GET", "/api/v1/sync/pull?schemaVersion=2", nil, 200, "")
	to(3*DefaultIdleTimeout + time.Second)
	for range 2 { // every call with the ended session says why, not only the first
		w.expectStatus("GET", "/api/v1/sync/pull?schemaVersion=2", nil, 401, api.CodeSessionExpired)
	}
	w.signIn("worker-a")
	signedIn := 3*DefaultIdleTimeout + time.Second
	w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	// The 12-hour limit still holds for a session in constant use.
	for d := signedIn + 20*time.Minute; ; d += 20 * time.Minute {
		to(d)
		if d >= signedIn+sessionTTL {
			w.expectStatus("GET", "/api/v1/session", nil, 401, api.CodeUnauthenticated)
			break
		}
		w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	}
}

// TestBackgroundCallsDoNotKeepAnIdleSessionAlive: the app's background sync
// says how long the user has been away (api.IdleHeader); its calls do not
// count as a use, so an open tab with nobody at it ends like a closed one,
// while a user typing without server calls keeps the session.
func TestBackgroundCallsDoNotKeepAnIdleSessionAlive(t *testing.T) {
	f := newFixture(t)
	_, to := f.freeze()
	away, busy := f.login("worker-a"), f.login("worker-a")
	idleFor := func(c *client, d time.Duration) {
		t.Helper()
		res := c.do("GET", "/api/v1/sync/pull?schemaVersion=2", nil, api.IdleHeader, strconv.Itoa(int(d.Seconds())))
		if res.status != 200 {
			t.Fatalf("background pull of %s, idle %v: %d %s", c.login, d, res.status, res.body)
		}
	}
	for d := 30 * time.Second; d <= DefaultIdleTimeout; d += 30 * time.Second {
		to(d)
		idleFor(away, d)           // nobody there since the sign-in
		idleFor(busy, time.Second) // typing
	}
	to(DefaultIdleTimeout + time.Minute)
	away.expectStatus("GET", "/api/v1/sync/pull?schemaVersion=2", nil, 401, api.CodeSessionExpired)
	busy.expectStatus("GET", "/api/v1/sync/pull?schemaVersion=2", nil, 200, "")
}

func TestTheIdleTimeoutIsConfigurable(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.IdleTimeout = 5 * time.Minute })
	_, to := f.freeze()
	w := f.login("worker-a")
	to(5 * time.Minute)
	w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	to(10*time.Minute + time.Second)
	w.expectStatus("GET", "/api/v1/session", nil, 401, api.CodeSessionExpired)

	for _, d := range []time.Duration{time.Minute, 13 * time.Hour} {
		_, err := New(Deps{Store: f.st, Log: quietLog(), IdleTimeout: d})
		if err == nil || !strings.Contains(err.Error(), "idle timeout") {
			t.Errorf("idle timeout %v: %v, want a refusal", d, err)
		}
	}
}

func TestSignOutEverywhereEndsEverySessionOfTheCaller(t *testing.T) {
	f := newFixture(t)
	f.freeze() // the session cache stays fresh: ending must not wait for it
	mine := []*client{f.login("worker-a"), f.login("worker-a"), f.login("worker-a")}
	other := f.login("worker-b")
	for _, c := range append(mine, other) {
		c.expectStatus("GET", "/api/v1/session", nil, 200, "")
	}
	res := mine[0].do("DELETE", "/api/v1/sessions", nil)
	if res.status != 204 || !strings.Contains(res.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("sign out everywhere: %d %v %s", res.status, res.header, res.body)
	}
	for i, c := range mine {
		if r := c.do("GET", "/api/v1/session", nil); r.status != 401 {
			t.Fatalf("session %d of worker-a after signing out everywhere: %d %s", i, r.status, r.body)
		}
	}
	other.expectStatus("GET", "/api/v1/session", nil, 200, "")
	u, _ := f.st.UserByLogin(context.Background(), "worker-a")
	entries, err := f.st.Audit(context.Background(), 0, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	if n := countAction(entries, store.ActionSignOutAll); n != 1 || entries[len(entries)-1].UserID != u.ID {
		t.Fatalf("audit: %d %s entries, last %+v", n, store.ActionSignOutAll, entries[len(entries)-1])
	}
}

func TestAUserChangesTheirPassword(t *testing.T) {
	f := newFixture(t)
	f.freeze()
	const next = "a much longer passphrase"
	here, elsewhere := f.login("worker-a"), f.login("worker-a")
	elsewhere.expectStatus("GET", "/api/v1/session", nil, 200, "")
	const path = "/api/v1/session/password"
	for _, bad := range []struct {
		in          api.PasswordChange
		status      int
		code, field string
	}{
		{api.PasswordChange{CurrentPassword: "not it at all", NewPassword: next}, 422, api.CodeWrongPassword, "currentPassword"},
		{api.PasswordChange{CurrentPassword: password, NewPassword: "short pw"}, 422, api.CodeInvalid, "newPassword"},
		{api.PasswordChange{CurrentPassword: password, NewPassword: strings.Repeat("é", 11)}, 422, api.CodeInvalid, "newPassword"},
		{api.PasswordChange{CurrentPassword: password, NewPassword: password}, 422, api.CodeInvalid, "newPassword"},
		{api.PasswordChange{NewPassword: next}, 422, api.CodeInvalid, "currentPassword"},
	} {
		res := here.do("POST", path, bad.in)
		e := res.errorBody(t)
		if res.status != bad.status || e.Code != bad.code || len(e.Fields) != 1 || e.Fields[0].Path != bad.field {
			t.Fatalf("%+v: %d %s, want %d %s on %s", bad.in, res.status, res.body, bad.status, bad.code, bad.field)
		}
	}
	here.expectStatus("POST", path, api.PasswordChange{CurrentPassword: password, NewPassword: next}, 204, "")
	here.expectStatus("GET", "/api/v1/session", nil, 200, "")
	elsewhere.expectStatus("GET", "/api/v1/session", nil, 401, api.CodeUnauthenticated)
	anon := f.anonymous()
	anon.expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password}, 401, api.CodeBadCredentials)
	anon.expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: next}, 200, "")

	entries, _ := f.st.Audit(context.Background(), 0, "", 10000)
	if countAction(entries, store.ActionUserPassword) != 1 || countAction(entries, store.ActionPasswordRefused) != 1 {
		t.Fatalf("audit: %d %s, %d %s", countAction(entries, store.ActionUserPassword), store.ActionUserPassword,
			countAction(entries, store.ActionPasswordRefused), store.ActionPasswordRefused)
	}
}

func TestWrongCurrentPasswordsAreThrottledLikeSignIns(t *testing.T) {
	f := newFixture(t)
	f.freeze()
	w := f.login("worker-a")
	wrong := api.PasswordChange{CurrentPassword: "not it at all", NewPassword: "a much longer passphrase"}
	for range maxFailsPerPair {
		w.expectStatus("POST", "/api/v1/session/password", wrong, 422, api.CodeWrongPassword)
	}
	w.expectStatus("POST", "/api/v1/session/password", wrong, 429, api.CodeThrottled)
	// The same counter as the sign-in page's: guessing by either way adds up.
	f.anonymous().expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password}, 429, api.CodeThrottled)
}

// cli runs an art60 command against the fixture's running server (through
// its control socket) and returns its exit code and output.
func (f *fixture) cli(cmd string, args ...string) (int, string) {
	var out, errOut bytes.Buffer
	code := admin.Run(cmd, append(args, "-data", f.dir, "-key-file", f.keyFile), noEnv, &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestAnAdministratorResetsAPassword(t *testing.T) {
	f := newFixture(t)
	_, to := f.freeze()
	w := f.login("worker-a")
	w.expectStatus("GET", "/api/v1/session", nil, 200, "")
	if code, out := f.cli("admin", "user", "reset-password", "-login", "worker-a", "-password", "short"); code != 2 || !strings.Contains(out, "at least 12 characters") {
		t.Fatalf("short password: exit %d: %s", code, out)
	}
	code, out := f.cli("admin", "user", "reset-password", "-login", "Worker-A")
	_, generated, ok := strings.Cut(out, "password: ")
	if code != 0 || !ok {
		t.Fatalf("reset: exit %d: %s", code, out)
	}
	generated, _, _ = strings.Cut(generated, "\n")
	to(sessionCacheTTL) // the server's session cache may hold the session that long
	w.expectStatus("GET", "/api/v1/session", nil, 401, api.CodeUnauthenticated)
	anon := f.anonymous()
	anon.expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password}, 401, api.CodeBadCredentials)
	anon.expectStatus("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: generated}, 200, "")

	u, _ := f.st.UserByLogin(context.Background(), "worker-a")
	entries, _ := f.st.Audit(context.Background(), 0, "", 10000)
	var reset []store.AuditEntry
	for _, e := range entries {
		if e.Action == store.ActionUserPassword {
			reset = append(reset, e)
		}
	}
	if len(reset) != 1 || reset[0].UserID != store.CommandUser || reset[0].Object != u.ID || reset[0].Detail != "reset" {
		t.Fatalf("audit of the reset: %+v", reset)
	}
}

func TestADisabledUserIsEnabledAgain(t *testing.T) {
	f := newFixture(t)
	anon := f.anonymous()
	in := api.LoginRequest{Login: "worker-a", Password: password}
	if code, out := f.cli("admin", "user", "disable", "-login", "worker-a"); code != 0 {
		t.Fatalf("disable: %d %s", code, out)
	}
	anon.expectStatus("POST", "/api/v1/session", in, 401, api.CodeBadCredentials)
	if code, out := f.cli("admin", "user", "enable", "-login", "worker-a"); code != 0 || !strings.Contains(out, "enabled worker-a") {
		t.Fatalf("enable: %d %s", code, out)
	}
	anon.expectStatus("POST", "/api/v1/session", in, 200, "")
	if code, out := f.cli("admin", "user", "enable", "-login", "nobody"); code != 2 {
		t.Fatalf("enable an unknown login: %d %s", code, out)
	}
	entries, _ := f.st.Audit(context.Background(), 0, "", 10000)
	if countAction(entries, store.ActionUserEnable) != 1 {
		t.Fatalf("no %s in the audit trail", store.ActionUserEnable)
	}
}
