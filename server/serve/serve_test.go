package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/admin"
)

// TestHSTSWithHTTPSBaseURL: HSTS is sent when browsers reach the server
// over TLS, whether the server ends it (-tls) or a proxy does (an https
// base URL), and not over plain HTTP.
func TestHSTSWithHTTPSBaseURL(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{
		{Config{Addr: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080"}, false},
		{Config{Addr: "127.0.0.1:8080", BaseURL: "https://art60.example"}, true},
		{Config{Addr: "127.0.0.1:8080", BaseURL: "HTTPS://art60.example"}, true},
		{Config{Addr: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080", TLS: true}, true},
	} {
		w := httptest.NewRecorder()
		front(tc.cfg, slog.New(slog.DiscardHandler), ok).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if got := w.Header().Get("Strict-Transport-Security") != ""; got != tc.want {
			t.Errorf("addr %s, base %s, tls %v: HSTS %v, want %v", tc.cfg.Addr, tc.cfg.BaseURL, tc.cfg.TLS, got, tc.want)
		}
	}
}

// TestWarnPlainHTTP: plain HTTP on an address other machines may reach is
// logged as a warning at start; loopback or TLS is not.
func TestWarnPlainHTTP(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		warn bool
	}{
		{Config{Addr: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080"}, false},
		{Config{Addr: ":8080", BaseURL: "http://:8080"}, true},
		{Config{Addr: "0.0.0.0:8080", BaseURL: "http://art60.example"}, true},
		{Config{Addr: "0.0.0.0:8080", BaseURL: "https://art60.example"}, false},
		{Config{Addr: "0.0.0.0:8443", BaseURL: "http://art60.example", TLS: true}, false},
	} {
		var buf bytes.Buffer
		warnPlainHTTP(tc.cfg, slog.New(slog.NewJSONHandler(&buf, nil)))
		got := strings.Contains(buf.String(), `"level":"WARN"`) && strings.Contains(buf.String(), "plain HTTP")
		if got != tc.warn {
			t.Errorf("addr %s, base %s, tls %v: warned %v, want %v (%s)", tc.cfg.Addr, tc.cfg.BaseURL, tc.cfg.TLS, got, tc.warn, buf.String())
		}
	}
}

// TestAccessLogNamesRoutesNotPaths: the access log names the route that
// served a request (the API's pattern, or the server mux's), never the
// path with its request id or attachment hash.
func TestAccessLogNamesRoutesNotPaths(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "db"), KeyFile: filepath.Join(dir, "key"), BaseURL: "http://x"}
	b, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mux := http.NewServeMux()
	b.Mount(mux)
	mux.Handle("/", http.NotFoundHandler()) // the app, in serve
	var buf bytes.Buffer
	h := front(cfg, slog.New(slog.NewJSONHandler(&buf, nil)), mux)
	id, hash := "6f1c1c0e-8d3a-4c1e-9a53-2b0f1e5d7c44", strings.Repeat("ab", 32)
	for _, tc := range []struct{ path, route string }{
		{"/api/v1/requests/" + id, "/api/v1/requests/{id}"},
		{"/api/v1/attachments/" + hash + "?requestId=" + id, "/api/v1/attachments/{sha256}"},
		{"/api/v1/nothing/" + id, "unmatched"},
		{"/requests/" + id, "/"},
	} {
		buf.Reset()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tc.path, nil))
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatalf("%s: %v: %s", tc.path, err, buf.String())
		}
		if line["route"] != tc.route {
			t.Errorf("GET %s: route %v, want %s", tc.path, line["route"], tc.route)
		}
		if strings.Contains(buf.String(), id) || strings.Contains(buf.String(), hash) {
			t.Errorf("GET %s: the log line holds an id: %s", tc.path, buf.String())
		}
	}
}

// noEnv is an empty environment: a test's server reads none of the
// machine's.
func noEnv(string) string { return "" }

// envOf is the environment of name, value pairs.
func envOf(kv ...string) func(string) string {
	return func(name string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == name {
				return kv[i+1]
			}
		}
		return ""
	}
}

// TestOneAPICallIsOneAccessLogLine: a call to the API leaves exactly one
// line in the log, the access log's, even with debug lines on; it names the
// route and the signed-in user's id, never the login, a name or the body.
func TestOneAPICallIsOneAccessLogLine(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "db"), KeyFile: filepath.Join(dir, "key"), BaseURL: "http://x", Demo: true}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := openBackend(cfg, log, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mux := http.NewServeMux()
	b.Mount(mux)
	h := front(cfg, log, mux)
	body := `{"login":"` + admin.DemoWorker + `","password":"` + admin.DemoPassword + `"}`
	r := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("sign-in: %d %s", w.Code, w.Body)
	}
	r = httptest.NewRequest("GET", "/api/v1/session", nil)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	buf.Reset()
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var lines []map[string]any
	for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var line map[string]any
		if err := json.Unmarshal([]byte(raw), &line); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		if line["route"] != nil {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("%d log lines for one call, want 1:\n%s", len(lines), buf.String())
	}
	l := lines[0]
	if l["route"] != "/api/v1/session" || l["status"] != 200.0 || l["user"] == nil || l["user"] == "" {
		t.Errorf("the line %v lacks the route, the status or the user id", l)
	}
	for _, secret := range []string{admin.DemoWorker, admin.DemoPassword, "Travailleur"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the log holds %q: %s", secret, buf.String())
		}
	}
}
