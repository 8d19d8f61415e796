package serve

import (
	"log/slog"
	"net/http"
	"time"

	"art60/server/httpapi"
)

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// accessLog logs one line per request, the only line a request leaves:
// method, route, status, size, time, and for an API call the id of the
// signed-in user (an opaque id, never the login or a name); a status of
// 500 and above is logged as an error. The route is the pattern that served
// the request (the API's route table, e.g. /api/v1/requests/{id}, else the
// server mux's pattern, e.g. "/" for the app), never the path: paths hold
// request ids and attachment hashes, which link a log line to a person's
// file, and the app's own paths hold them too (/requests/{id}). Neither the
// query nor the body is logged (DESIGN.md).
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		r, call := httpapi.WithCall(r)
		next.ServeHTTP(rec, r)
		route := call.Route
		if route == "" {
			route = r.Pattern // set by the server mux when it is next
		}
		if route == "" {
			route = "unmatched"
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
		}
		if call.UserID != "" {
			attrs = append(attrs, slog.String("user", call.UserID))
		}
		log.LogAttrs(r.Context(), level, "http", attrs...)
	})
}
