package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"art60/app/ui"
	"art60/assets"
	"art60/server/web/secure"
)

// testWeb is a web directory as make build leaves it: the static files of
// assets/web, a stand-in app.wasm and its pre-compressed sibling.
func testWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := assets.Web.ReadDir("web")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := assets.Web.ReadFile("web/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, dir, e.Name(), b)
	}
	writeTestFile(t, dir, "app.wasm", []byte("\x00asm raw"))
	writeTestFile(t, dir, "app.wasm.br", []byte("brotli"))
	return dir
}

func writeTestFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTestSite(t *testing.T) (*Handler, string) {
	t.Helper()
	h, err := New(testWeb(t))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := h.WriteSite(out, true); err != nil {
		t.Fatal(err)
	}
	return h, out
}

func TestTheStaticSiteHoldsEveryPageAndEveryFileTheServiceWorkerCaches(t *testing.T) {
	h, out := writeTestSite(t)
	front := secure.Headers(h, true)
	sw := get(front, ServiceWorkerPath, "")
	urls, err := cachedURLs(sw.Body.String())
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{ServiceWorkerPath}, urls...)
	for p := range ui.StaticRoutes {
		if !strings.Contains(sw.Body.String(), `"`+p+`"`) {
			t.Errorf("the service worker does not cache the page %s", p)
		}
	}
	for _, p := range want {
		got, err := os.ReadFile(filepath.Join(out, fileName(p)))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if served := get(front, p, "").Body.Bytes(); !samePage(got, served) {
			t.Errorf("%s: the file (%d bytes) is not what the handler serves (%d bytes)", p, len(got), len(served))
		}
	}
	if wasm, _ := os.ReadFile(filepath.Join(out, "web", "app.wasm")); string(wasm) != "\x00asm raw" {
		t.Errorf("app.wasm is %q, want the raw file (the host compresses)", wasm)
	}
	files := 0
	filepath.WalkDir(out, func(_ string, d os.DirEntry, _ error) error {
		if !d.IsDir() && d.Name() != HeadersFile {
			files++
		}
		return nil
	})
	if files != len(want) {
		t.Errorf("%d files written, want %d (one per URL, no pre-compressed sibling)", files, len(want))
	}
}

func TestTheStaticSiteHeadersAreTheServersHeaders(t *testing.T) {
	h, out := writeTestSite(t)
	b, err := os.ReadFile(filepath.Join(out, HeadersFile))
	if err != nil {
		t.Fatal(err)
	}
	rules := parseHeaders(t, string(b))
	front := secure.Headers(h, true)
	for _, p := range []string{"/", "/login", "/requests/new", ServiceWorkerPath, "/web/app.wasm", "/web/art60.css"} {
		served := get(front, p, "").Header()
		for k, v := range hostHeadersOmitted(served) {
			got, ok := rules[p][k]
			if !ok {
				got = rules["/*"][k]
			}
			if got != v {
				t.Errorf("%s: %s is %q in %s, the server sends %q", p, k, got, HeadersFile, v)
			}
		}
	}
	for k, want := range map[string]string{"Content-Security-Policy": secure.ContentSecurityPolicy,
		"X-Frame-Options": "DENY", "Strict-Transport-Security": "max-age=31536000"} {
		if got := rules["/*"][k]; got != want {
			t.Errorf("every path (/*): %s %q, want %q", k, got, want)
		}
	}
	if got := rules["/web/app.wasm"]["Content-Type"]; got != "application/wasm" {
		t.Errorf("app.wasm: Content-Type %q", got)
	}
	for p, r := range rules {
		for k := range r {
			if hostHeaders[k] {
				t.Errorf("%s: %s is the host's to compute", p, k)
			}
		}
	}
}

// samePage compares two answers; go-app writes an element's attributes in
// map order, so a page is compared as its sorted words.
func samePage(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	words := func(x []byte) string {
		f := strings.FieldsFunc(string(x), func(r rune) bool { return r == ' ' || r == '\n' || r == '>' || r == '<' })
		sort.Strings(f)
		return strings.Join(f, " ")
	}
	return words(a) == words(b)
}

// get is one GET through h with the given Accept-Encoding.
func get(h http.Handler, p, accept string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, p, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	h.ServeHTTP(rec, req)
	return rec
}

// parseHeaders reads the _headers format: a path at the start of a line,
// then its headers indented, "Name: value".
func parseHeaders(t *testing.T, s string) map[string]map[string]string {
	t.Helper()
	rules := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if !strings.HasPrefix(line, "  ") {
			cur = map[string]string{}
			rules[line] = cur
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok || cur == nil {
			t.Fatalf("%s: bad line %q", HeadersFile, line)
		}
		cur[http.CanonicalHeaderKey(k)] = v
	}
	return rules
}
