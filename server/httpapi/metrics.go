package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"art60/server/store"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics has its own registry, so that several services (tests) can live
// in one process. Routes are labelled by pattern, never by raw path: ids
// would explode the series and do not belong in metrics.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	mutations *prometheus.CounterVec
}

func newMetrics(st store.Store) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "art60_http_requests_total", Help: "API calls by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "art60_http_request_duration_seconds", Help: "API call latency by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method"})
	m.mutations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "art60_sync_mutations_total", Help: "Pushed mutations by outcome (applied, rejected).",
	}, []string{"outcome"})
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "art60_queue_size", Help: "Sent requests waiting for an ONEM decision.",
	}, func() float64 { return float64(st.QueueSize()) })
	m.reg.MustRegister(m.requests, m.latency, m.mutations, queue,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// statusWriter remembers the status code for metrics and logs.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe counts and times a call and logs it. The log line holds the route
// pattern, never the path or the body, so no personal data reaches logs.
func (s *Service) observe(rt *Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &callInfo{}
		r = r.WithContext(context.WithValue(r.Context(), callInfoKey{}, info))
		next.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		d := time.Since(start)
		method := rt.Method
		if method == "" {
			method = "other"
		}
		s.metrics.requests.WithLabelValues(rt.Pattern, method, strconv.Itoa(sw.code)).Inc()
		s.metrics.latency.WithLabelValues(rt.Pattern, method).Observe(d.Seconds())
		level := slog.LevelDebug
		if sw.code >= 500 {
			level = slog.LevelError
		}
		s.log.Log(r.Context(), level, "api", "method", r.Method, "route", rt.Pattern, "status", sw.code,
			"ms", d.Milliseconds(), "user", info.userID)
	})
}

// callInfo is filled in while a call is served, for its log line.
type callInfo struct{ userID string }

type callInfoKey struct{}

func infoOf(r *http.Request) *callInfo {
	if i, ok := r.Context().Value(callInfoKey{}).(*callInfo); ok {
		return i
	}
	return &callInfo{}
}
