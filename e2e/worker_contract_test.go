//go:build worker

package e2e

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"art60/server/admin"
	"art60/server/contract"
	"art60/server/web/secure"
)

// The tests of this file run against the Cloudflare Worker under wrangler
// dev --local, whose URL make worker-e2e passes in ART60_WORKER_URL. They
// build only with -tags worker (make worker-e2e), so that the other runs
// neither skip them nor need Node: without the URL they fail.

// TestTheAPIContractHoldsOnTheWorker runs the black-box API suite
// (server/contract) against the Worker.
func TestTheAPIContractHoldsOnTheWorker(t *testing.T) {
	contract.Run(t, workerURL(t), admin.DemoAdmin, admin.DemoAdminPass)
}

// TestAgentValidatesOnTheWorker is TestAgentValidates on the Worker: the
// PWA from its static assets, the API on D1. The person's name is one
// make worker-e2e then looks for in the local D1 files, where it must be
// sealed. It checks no e-mail: the Worker has no development mail sink
// (/dev/mail). Then the worker's tab goes offline (network emulation) and
// every screen still opens: the service worker installed itself from the
// Worker's files and answers from its cache.
func TestAgentValidatesOnTheWorker(t *testing.T) {
	worker, _ := agentValidatesInTheBrowser(t, workerURL(t), "Vanderzwalmen", "worker-")
	worker.Run(t, "service worker in control",
		chromedp.Poll(`navigator.serviceWorker.controller !== null`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		offline(true))
	worker.everyRouteRenders(t, workerURL(t))
	worker.Screenshot(t, "worker-offline")
	worker.noCSPViolations(t)
}

// TestThePWAOnTheWorkerCarriesTheServersHeaders: the Worker's static
// assets (through the _headers file of server/web.WriteSite) and the Go
// program's answers carry the security headers of the Go server
// (server/web/secure), a request page (answered with the shell) too, and
// app.wasm comes as application/wasm, which WebAssembly.instantiateStreaming
// requires.
func TestThePWAOnTheWorkerCarriesTheServersHeaders(t *testing.T) {
	base := workerURL(t)
	for p, status := range map[string]int{"/": 200, "/requests/new": 200, "/requests/0f8fad5b-d9cb-469f-a165-70867728950e": 200,
		"/app-worker.js": 200, "/web/app.wasm": 200, "/healthz": 200, "/api/v1/sync/pull": 401} {
		res, _ := get(t, base+p, map[string]string{"Accept-Encoding": "br, gzip"})
		if res.StatusCode != status {
			t.Errorf("GET %s: %d, want %d", p, res.StatusCode, status)
		}
		for k, want := range map[string]string{"Content-Security-Policy": secure.ContentSecurityPolicy,
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
			"Strict-Transport-Security": "max-age=31536000"} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("GET %s: %s %q, want %q", p, k, got, want)
			}
		}
		if ct := res.Header.Get("Content-Type"); p == "/web/app.wasm" && ct != "application/wasm" {
			t.Errorf("app.wasm served as %q", ct)
		}
	}
}

func workerURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("ART60_WORKER_URL")
	if base == "" {
		t.Fatal("ART60_WORKER_URL is not set: make worker-e2e starts the Worker and runs this test against it")
	}
	return base
}
