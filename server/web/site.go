package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"art60/server/web/secure"
)

// ServiceWorkerPath is where go-app serves the service worker.
const ServiceWorkerPath = "/app-worker.js"

// HeadersFile is the file of per-path response headers that Cloudflare
// Workers static assets read from the assets directory (README,
// "Cloudflare Workers").
const HeadersFile = "_headers"

// hostHeaders are the headers a static host computes for each file itself
// (length, validators, encodings): they are not copied into HeadersFile.
var hostHeaders = map[string]bool{
	"Accept-Ranges": true, "Content-Encoding": true, "Content-Length": true,
	"Date": true, "Etag": true, "Last-Modified": true, "Vary": true,
}

// WriteSite writes, under out, what this handler serves to a browser, so
// that a host serving plain files serves the PWA as art60 serve does:
// the service worker and every URL it caches (every page of
// ui.StaticRoutes, go-app's scripts, manifest and styles, app.wasm, the
// icons and styles of /web/), each fetched from the handler behind the
// security headers, and HeadersFile with the headers of each response.
// Request pages (/requests/{id}, /queue/{id}) have no file: the host
// answers them with the "/" shell, as the service worker does offline, and
// the wasm routes on the client. app.wasm is written uncompressed: the host
// compresses it.
func (h *Handler) WriteSite(out string, tls bool) error {
	front := secure.Headers(h, tls)
	sw, err := fetch(front, ServiceWorkerPath)
	if err != nil {
		return err
	}
	urls, err := cachedURLs(sw.Body.String())
	if err != nil {
		return err
	}
	headers := map[string]http.Header{ServiceWorkerPath: sw.Header()}
	if err := writeFile(out, ServiceWorkerPath, sw.Body.Bytes()); err != nil {
		return err
	}
	for _, u := range urls {
		res, err := fetch(front, u)
		if err != nil {
			return err
		}
		if err := writeFile(out, u, res.Body.Bytes()); err != nil {
			return err
		}
		headers[u] = res.Header()
	}
	return os.WriteFile(filepath.Join(out, HeadersFile), []byte(headersFile(headers)), 0o644)
}

// fetch is one GET of path through the handler, without Accept-Encoding so
// that files come raw; anything but 200 is an error.
func fetch(h http.Handler, p string) (*httptest.ResponseRecorder, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("web: writing the site: GET %s answered %d", p, rec.Code)
	}
	return rec, nil
}

// cachedURLs reads the list of URLs the service worker caches at install
// (resourcesToCache in the template of worker.go, which go-app fills): the
// files the PWA needs, offline included.
func cachedURLs(worker string) ([]string, error) {
	const marker = "const resourcesToCache = "
	_, rest, ok := strings.Cut(worker, marker)
	list, _, ok2 := strings.Cut(rest, ";\n")
	var urls []string
	if !ok || !ok2 || json.Unmarshal([]byte(list), &urls) != nil || len(urls) == 0 {
		return nil, fmt.Errorf("web: writing the site: no %q list in the service worker", marker)
	}
	sort.Strings(urls)
	return urls, nil
}

// fileName is where the host looks for URL path p: "/" is index.html, and
// a page without extension is its path with ".html" (Workers static assets
// serve /requests/new from requests/new.html).
func fileName(p string) string {
	switch {
	case p == "/":
		return "index.html"
	case path.Ext(p) == "":
		return strings.TrimPrefix(p, "/") + ".html"
	}
	return strings.TrimPrefix(p, "/")
}

func writeFile(out, p string, body []byte) error {
	name := filepath.Join(out, filepath.FromSlash(fileName(p)))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("web: writing the site: %w", err)
	}
	if err := os.WriteFile(name, body, 0o644); err != nil {
		return fmt.Errorf("web: writing the site: %w", err)
	}
	return nil
}

// headersFile writes the headers of every response in the _headers format:
// those all responses share under "/*" (so the "/" shell the host sends
// for a request page carries them too), then each path's own.
func headersFile(byPath map[string]http.Header) string {
	var common map[string]string
	for _, h := range byPath {
		m := hostHeadersOmitted(h)
		if common == nil {
			common = m
			continue
		}
		for k, v := range common {
			if m[k] != v {
				delete(common, k)
			}
		}
	}
	var b strings.Builder
	block(&b, "/*", common)
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		own := map[string]string{}
		for k, v := range hostHeadersOmitted(byPath[p]) {
			if _, shared := common[k]; !shared {
				own[k] = v
			}
		}
		block(&b, p, own)
	}
	return b.String()
}

// hostHeadersOmitted is h without the headers the host computes, each as
// one line's value.
func hostHeadersOmitted(h http.Header) map[string]string {
	m := map[string]string{}
	for k, v := range h {
		if !hostHeaders[k] {
			m[k] = strings.Join(v, ", ")
		}
	}
	return m
}

func block(b *strings.Builder, p string, headers map[string]string) {
	if len(headers) == 0 {
		return
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(b, "%s\n", p)
	for _, k := range keys {
		fmt.Fprintf(b, "  %s: %s\n", k, headers[k])
	}
}
