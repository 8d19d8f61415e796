package e2e

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// A bare transport: Go's default client would ask for gzip itself.
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// maxBrotliWasm is the budget of the compressed browser binary (README,
// "Performance": at most 1.5 MB).
const maxBrotliWasm = 1_500_000

func TestWasmServedPrecompressed(t *testing.T) {
	srv := startServer(t)
	raw := fileSize(t, filepath.Join(srv.Web, "app.wasm"))
	for _, c := range []struct{ accept, encoding, file string }{
		{"br", "br", "app.wasm.br"},
		{"gzip, deflate, br", "br", "app.wasm.br"},
		{"gzip, deflate", "gzip", "app.wasm.gz"},
		{"br;q=0, gzip", "gzip", "app.wasm.gz"},
		{"", "", "app.wasm"},
	} {
		res, body := get(t, srv.URL+"/web/app.wasm", map[string]string{"Accept-Encoding": c.accept})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("Accept-Encoding %q: status %d", c.accept, res.StatusCode)
		}
		if got := res.Header.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.encoding)
		}
		if got := res.Header.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("Accept-Encoding %q: Content-Type %q", c.accept, got)
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, got)
		}
		if want := fileSize(t, filepath.Join(srv.Web, c.file)); int64(len(body)) != want {
			t.Errorf("Accept-Encoding %q: %d bytes, want %d (%s)", c.accept, len(body), want, c.file)
		}
	}
	if br := fileSize(t, filepath.Join(srv.Web, "app.wasm.br")); br > maxBrotliWasm {
		t.Errorf("app.wasm.br is %d bytes, budget %d", br, maxBrotliWasm)
	}
	// The loader's progress bar divides by WasmContentLength: it must be the raw size.
	_, js := get(t, srv.URL+"/app.js", nil)
	m := regexp.MustCompile(`goappWasmContentLength = "(\d+)"`).FindSubmatch(js)
	if m == nil || string(m[1]) != strconv.FormatInt(raw, 10) {
		t.Errorf("WasmContentLength in app.js = %q, want %d", m, raw)
	}
	res, _ := get(t, srv.URL+"/web/app.wasm.br", nil)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the .br file is served directly (status %d)", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := startServer(t)
	for _, path := range []string{"/", "/requests/new", "/web/app.wasm", "/app.js", "/healthz", "/nope"} {
		res, _ := get(t, srv.URL+path, nil)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP allows inline code or eval: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: missing nosniff or Referrer-Policy: %v", path, h)
		}
	}
	res, body := get(t, srv.URL+"/healthz", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"ok"`) {
		t.Errorf("/healthz: %d %s", res.StatusCode, body)
	}
}

// The ETag of every path is the build's version: the same after a restart
// (no needless re-download), different when what is served changes.
func TestETagFollowsTheBuild(t *testing.T) {
	srv := startServer(t)
	res, _ := get(t, srv.URL+"/", nil)
	etag := res.Header.Get("ETag")
	if len(etag) < 10 {
		t.Fatalf("ETag %q", etag)
	}
	if res, _ := get(t, srv.URL+"/", map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: status %d, want 304", res.StatusCode)
	}
	srv.Stop()
	srv.Start()
	if res, _ := get(t, srv.URL+"/", nil); res.Header.Get("ETag") != etag {
		t.Errorf("ETag changed across a restart: %q then %q", etag, res.Header.Get("ETag"))
	}
	srv.Stop()

	srv.Web = copyWeb(t, srv.Web, "/* rebuilt */") // a build that changes one served file
	srv.Start()
	if res, _ := get(t, srv.URL+"/", nil); res.Header.Get("ETag") == etag {
		t.Errorf("ETag %q did not change with the build", etag)
	}
}

// copyWeb copies a web directory with extra appended to the styles: what a
// new build looks like to the server.
func copyWeb(t *testing.T, dir, extra string) string {
	t.Helper()
	changed := t.TempDir()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // directories
		}
		if e.Name() == "art60.css" {
			data = append(data, []byte("\n"+extra+"\n")...)
		}
		if err := os.WriteFile(filepath.Join(changed, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return changed
}
