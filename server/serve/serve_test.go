package serve

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
