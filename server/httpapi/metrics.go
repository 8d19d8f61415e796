package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"sync"
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

func newMetrics(s *Service) *metrics {
	st := s.st
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
	sent := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "art60_mail_sent_total", Help: "Mail accepted by the SMTP server since the start.",
	}, func() float64 { return float64(s.mailer.Sent()) })
	failures := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "art60_mail_send_failures_total", Help: "Failed attempts to send mail since the start (each is retried or given up).",
	}, func() float64 { return float64(s.mailer.Failures()) })
	m.reg.MustRegister(m.requests, m.latency, m.mutations, queue, sent, failures, newOfficeCollector(s),
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

// observe counts and times a call and tells the access log in front of
// the API (WithCall) its route and user. The API writes no log line of its
// own per call: the access log's is the one line a call leaves (server/README.md,
// Security).
func (s *Service) observe(rt *Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		call, ok := r.Context().Value(callKey{}).(*Call)
		if !ok {
			call = &Call{}
			r = r.WithContext(context.WithValue(r.Context(), callKey{}, call))
		}
		call.Route = rt.Pattern
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
	})
}

// Call is what the API tells the handler in front of it (the server's
// access log) about a call it served: the pattern of the route from the
// route table ("/api/v1/requests/{id}", or "unmatched"), so that the log
// names the route without the path, whose request ids and attachment
// hashes are not for logs, and the id of the signed-in user, "" for none.
type Call struct {
	Route  string
	UserID string
}

type callKey struct{}

// WithCall returns r carrying a Call that the API fills in while it
// serves r.
func WithCall(r *http.Request) (*http.Request, *Call) {
	call := new(Call)
	return r.WithContext(context.WithValue(r.Context(), callKey{}, call)), call
}

// callOf is the Call of a request being served.
func callOf(r *http.Request) *Call {
	if c, ok := r.Context().Value(callKey{}).(*Call); ok {
		return c
	}
	return &Call{}
}

// officeCollector exports the report figures per office, computed from the
// store at scrape time (so they survive restarts and agree with
// GET /api/v1/reports), at most once per officeTTL: a scrape of a large
// store reads every queue index entry.
type officeCollector struct {
	s        *Service
	mu       sync.Mutex
	at       time.Time
	cached   []prometheus.Metric
	requests *prometheus.Desc
	overdue  *prometheus.Desc
	late     *prometheus.Desc
	handling *prometheus.Desc
	median   *prometheus.Desc
	outbox   *prometheus.Desc
}

const officeTTL = 15 * time.Second

// handlingBuckets are the upper bounds of art60_handling_seconds: hours,
// then days up to a month (the deadline is about a week).
var handlingBuckets = []float64{3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400, 14 * 86400, 30 * 86400}

func newOfficeCollector(s *Service) *officeCollector {
	office := []string{"office"}
	return &officeCollector{s: s,
		requests: prometheus.NewDesc("art60_requests", "Requests per ONEM office and status (decided: all time).", []string{"office", "status"}, nil),
		overdue:  prometheus.NewDesc("art60_requests_overdue", "Sent requests past their due date (Europe/Brussels), per office.", office, nil),
		late:     prometheus.NewDesc("art60_requests_decided_late", "Requests decided after their due date, per office.", office, nil),
		handling: prometheus.NewDesc("art60_handling_seconds", "Time from receipt to decision, per office.", office, nil),
		median: prometheus.NewDesc("art60_handling_working_days_median",
			"Median handling time in working days (the count of the 5-day deadline), per office with decisions.", office, nil),
		outbox: prometheus.NewDesc("art60_mail_outbox", "Mail in the outbox: pending (to send or retry) and failed (given up).", []string{"state"}, nil),
	}
}

func (o *officeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{o.requests, o.overdue, o.late, o.handling, o.median, o.outbox} {
		ch <- d
	}
}

func (o *officeCollector) Collect(ch chan<- prometheus.Metric) {
	o.mu.Lock()
	defer o.mu.Unlock()
	// The figures are computed for the service's today (overdue, late), so
	// their age is measured on the service's clock too; a clock set back
	// (tests move it to any date) makes them stale as well.
	now := o.s.now()
	if age := now.Sub(o.at); o.cached == nil || age < 0 || age > officeTTL {
		ms, err := o.compute()
		if err != nil {
			o.s.log.Error("metrics", "err", err)
			return
		}
		o.cached, o.at = ms, now
	}
	for _, m := range o.cached {
		ch <- m
	}
}

func (o *officeCollector) compute() ([]prometheus.Metric, error) {
	ctx := context.Background()
	tallies, err := o.s.tallies(ctx, "", o.s.today(), period{})
	if err != nil {
		return nil, err
	}
	var ms []prometheus.Metric
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ms = append(ms, prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...))
	}
	for _, off := range store.Offices() {
		t := tallies[off.ID]
		if t == nil {
			t = &tally{}
		}
		gauge(o.requests, float64(t.counts.Sent), off.ID, "sent")
		gauge(o.requests, float64(t.counts.Calculated), off.ID, "calculated")
		gauge(o.requests, float64(t.counts.Invalidated), off.ID, "invalidated")
		gauge(o.overdue, float64(t.overdue), off.ID)
		gauge(o.late, float64(t.decidedLate), off.ID)
		ms = append(ms, histogram(o.handling, t.seconds, off.ID))
		if m := median(t.workDays); m != nil {
			gauge(o.median, *m, off.ID)
		}
	}
	pending, failed, err := o.s.st.MailStats(ctx)
	if err != nil {
		return nil, err
	}
	gauge(o.outbox, float64(pending), "pending")
	gauge(o.outbox, float64(failed), "failed")
	return ms, nil
}

func histogram(d *prometheus.Desc, values []float64, labels ...string) prometheus.Metric {
	buckets := make(map[float64]uint64, len(handlingBuckets))
	sum := 0.0
	for _, v := range values {
		sum += v
		for _, b := range handlingBuckets {
			if v <= b {
				buckets[b]++
			}
		}
	}
	return prometheus.MustNewConstHistogram(d, uint64(len(values)), sum, buckets, labels...)
}
