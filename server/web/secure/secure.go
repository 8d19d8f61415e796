// Package secure holds the security headers every answer of art60 carries,
// from the Go server (server/serve) and from the Worker (worker/main.go,
// and its static assets through the _headers file of server/web.WriteSite).
// It imports nothing of the app, so the Worker links it without the UI.
package secure

import "net/http"

// ContentSecurityPolicy lets the wasm run and nothing more: no inline
// script or style, no other origin. 'wasm-unsafe-eval' is what
// WebAssembly.instantiateStreaming needs; it does not allow JS eval.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; " +
	"worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Headers adds the headers every response carries; tls adds HSTS.
func Headers(next http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
