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
// (a proxy on the same machine would make every visitor look local). Any
// forwarding header counts, whichever the proxy sets: one that sends only
// X-Real-IP or X-Forwarded-Host still relays a remote visitor.
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
	if forwarded(r) {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// forwardingHeaders are the headers by which proxies tell who the client was
// or what it asked for (RFC 7239 and the de facto X- headers).
var forwardingHeaders = []string{
	"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
	"X-Forwarded-Server", "X-Forwarded-Prefix", "X-Real-IP", "X-Client-IP", "True-Client-IP",
	"CF-Connecting-IP", "X-Cluster-Client-IP", "Fastly-Client-IP", "X-Original-Forwarded-For", "Via",
}

// forwarded tells whether the request came through a proxy, by any
// forwarding header, even an empty one (its presence is the proxy's mark).
func forwarded(r *http.Request) bool {
	for _, h := range forwardingHeaders {
		if _, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			return true
		}
	}
	return false
}
