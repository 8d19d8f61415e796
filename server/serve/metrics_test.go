package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGuardMetrics(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("figures")) })
	for _, tc := range []struct {
		name, token, remote, auth, forwarded string
		want                                 int
	}{
		{"local, no token", "", "127.0.0.1:5000", "", "", 200},
		{"local IPv6, no token", "", "[::1]:5000", "", "", 200},
		{"remote, no token", "", "192.0.2.7:5000", "", "", 401},
		{"local through a proxy, no token", "", "127.0.0.1:5000", "", "X-Forwarded-For", 401},
		{"local through a proxy setting only X-Real-IP", "", "127.0.0.1:5000", "", "X-Real-IP", 401},
		{"local through a proxy setting only Forwarded", "", "127.0.0.1:5000", "", "Forwarded", 401},
		{"local through a proxy setting only X-Forwarded-Host", "", "127.0.0.1:5000", "", "X-Forwarded-Host", 401},
		{"local through a proxy setting only X-Forwarded-Proto", "", "127.0.0.1:5000", "", "X-Forwarded-Proto", 401},
		{"local through a proxy setting only Via", "", "127.0.0.1:5000", "", "Via", 401},
		{"through a proxy with the token", "s3cret", "127.0.0.1:5000", "Bearer s3cret", "X-Real-IP", 200},
		{"token given", "s3cret", "192.0.2.7:5000", "Bearer s3cret", "", 200},
		{"wrong token", "s3cret", "192.0.2.7:5000", "Bearer s3cre", "", 401},
		{"token required even locally", "s3cret", "127.0.0.1:5000", "", "", 401},
	} {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = tc.remote
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if tc.forwarded != "" {
			r.Header.Set(tc.forwarded, "198.51.100.3")
		}
		w := httptest.NewRecorder()
		guardMetrics(tc.token, ok).ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
}
