package serve

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/api"
)

// TestServeHandsItsClockToTheAPI: the clock in serve's Config is the one the
// API and its store run on, so a session opened while that clock reads
// 2031 expires in 2031, whatever the wall clock says.
func TestServeHandsItsClockToTheAPI(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2031, 6, 15, 10, 0, 0, 0, time.UTC)
	cfg := Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "db"), KeyFile: filepath.Join(dir, "key"), Demo: true,
		BaseURL: "http://x", Now: func() time.Time { return at }}
	b, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mux := http.NewServeMux()
	b.Mount(mux)
	body := `{"login":"` + admin.DemoWorker + `","password":"` + admin.DemoPassword + `"}`
	r := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	var info api.SessionInfo
	if err := json.Unmarshal(w.Body.Bytes(), &info); w.Code != 200 || err != nil {
		t.Fatalf("sign-in: %d %s", w.Code, w.Body)
	}
	if !strings.HasPrefix(info.ExpiresAt, "2031-06-") {
		t.Errorf("session expires at %s, want a date in June 2031 (the configured clock)", info.ExpiresAt)
	}
}

// TestDemoOnlyOnLoopback: demo mode (public passwords, /dev/mail without
// sign-in) starts on a loopback address, and on any other only with
// DemoPublic; the refusal says what to do.
func TestDemoOnlyOnLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:0", false, true},
		{"[::1]:0", false, true},
		{"localhost:0", false, true},
		{":0", false, false},
		{"0.0.0.0:0", false, false},
		{"192.0.2.7:0", false, false},
		{"0.0.0.0:0", true, true},
	} {
		dir := t.TempDir()
		cfg := Config{Addr: tc.addr, DemoPublic: tc.public, DataDir: filepath.Join(dir, "db"),
			KeyFile: filepath.Join(dir, "key"), Demo: true, BaseURL: "http://x"}
		b, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
		if err == nil {
			b.Close()
		}
		if tc.ok && err != nil {
			t.Errorf("%s (public %v): %v", tc.addr, tc.public, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "-demo-public")) {
			t.Errorf("%s: err %v, want a refusal naming -demo-public", tc.addr, err)
		}
	}
}
