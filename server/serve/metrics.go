package serve

import (
	"crypto/subtle"
	"net"
	"net/http"
)

// guardMetrics lets a scraper read /metrics. The figures hold no personal
// data but tell how busy each office and CPAS is, so they are not public:
// with a token, only a request bearing it (Authorization: Bearer TOKEN);
// without one, only a client on the same machine that came through no proxy
// (a proxy on the same machine would make every visitor look local).
func guardMetrics(token string, h http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !metricsAllowed(r, token, want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need a token or a local client", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func metricsAllowed(r *http.Request, token string, want []byte) bool {
	if token != "" {
		return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) == 1
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}
