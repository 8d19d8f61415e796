// Package httpapi serves art60's JSON API under /api/v1: sessions, sync
// (push and pull), requests, attachments, the ONEM queue and the admin
// routes, with authentication, CSRF protection, login throttling, audit and
// metrics. Its contract is in openapi.json, served at /api/v1/openapi.json.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Brussels on machines without a zoneinfo database

	"art60/server/privacy"
	"art60/server/store"
)

// Deps is what the API is built on. The program that serves it (the serve
// command, a test) opens the key, the store, the mail worker and the rest,
// hands them over here, and closes them after the Service.
type Deps struct {
	Store store.Store
	// Mailer is woken when a decision queues a notification and counted in
	// the metrics; nil when no mail goes out (the outbox keeps it).
	Mailer Mailer
	// Now is the one clock of the service (sessions, the session cache,
	// the sign-in throttle, due dates, decisions, audit stamps, the metrics
	// cache); it must be the store's and the mail worker's too. nil is the
	// wall clock. Tests set it to any date so that none depends on the day
	// it runs. Durations measured for logs and latency metrics stay on the
	// wall clock.
	Now     func() time.Time
	Log     *slog.Logger
	BaseURL string // e.g. https://art60.example: invitation links, the Origin the CSRF check accepts, Secure cookies when https
	// SecureCookies sets the Secure flag on cookies (serve behind TLS). An
	// https BaseURL sets it too: the browser reaches the server over TLS
	// (perhaps through a proxy), so the cookie must never go over plain HTTP.
	SecureCookies bool
	// IdleTimeout ends a session unused for this long (idle.go); 0 is
	// DefaultIdleTimeout. From 2 minutes to 12 hours.
	IdleTimeout time.Duration
	// Retention deletes decided requests and unused uploads past their
	// time (privacy.Policy), once at start and then daily; the zero
	// Policy keeps everything (tests).
	Retention privacy.Policy
	// PullPage is the most requests one pull returns (0: 200). Each page
	// is one audit commit and one round trip, so a store that sends its
	// requests as stored (store.EncodedChanges) serves larger ones well:
	// art60 serve uses 1000, and a Worker keeps 200 within its CPU time
	// per call.
	PullPage int
	// Failures keeps the sign-in throttle's counts (throttle.go); nil
	// keeps them in this process's memory, right for one server. The
	// Worker, whose isolates each run a Service, passes its D1 store's.
	Failures FailureLog
	// NoSessionCache reads every request's session and user from the
	// store. The cache (sessioncache.go) is per process: where several
	// processes serve one store (the Worker's isolates), a sign-out or a
	// disabled account in one would leave the session open in the others
	// for the cache's 2 seconds.
	NoSessionCache bool
}

// Mailer is the mail worker as the API sees it (mail.Worker).
type Mailer interface {
	Wake()           // a mail was queued: send what is due now
	Sent() int64     // mails delivered since the start
	Failures() int64 // delivery attempts that failed since the start
}

// noMail is the Mailer when no mail goes out.
type noMail struct{}

func (noMail) Wake()           {}
func (noMail) Sent() int64     { return 0 }
func (noMail) Failures() int64 { return 0 }

// Service is the API over one store.
type Service struct {
	deps      Deps
	log       *slog.Logger
	st        store.Store
	metrics   *metrics
	throttle  *throttle
	sessions  *sessionCache
	handler   http.Handler
	zone      *time.Location
	origin    string // the origin of BaseURL (originOf), what a browser's Origin must be
	now       func() time.Time
	idle      time.Duration // idle timeout of sessions
	mailer    Mailer
	retention *retention // nil when the policy keeps everything
	closed    sync.Once
}

// New builds the service on its dependencies and starts the retention
// timer. It owns none of them: Close stops the timer only.
func New(d Deps) (*Service, error) {
	if d.Store == nil {
		return nil, fmt.Errorf("httpapi: no store")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Mailer == nil {
		d.Mailer = noMail{}
	}
	zone, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(urlScheme(d.BaseURL), "https") {
		d.SecureCookies = true
	}
	idle, err := idleTimeout(d.IdleTimeout)
	if err != nil {
		return nil, err
	}
	s := &Service{deps: d, log: d.Log, st: d.Store, throttle: newThrottle(d.Failures, d.Log), sessions: newSessionCache(sessionTTLOf(d)), zone: zone, now: d.Now,
		idle: idle, origin: originOf(d.BaseURL), mailer: d.Mailer}
	s.metrics = newMetrics(s)
	compress, err := compressJSON()
	if err != nil {
		return nil, err
	}
	s.handler = compress(s.routes())
	s.startRetention()
	return s, nil
}

// urlScheme is the scheme of a URL, "" when it does not parse.
func urlScheme(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme
}

// Handler serves /api/v1/...; mount it at "/api/".
func (s *Service) Handler() http.Handler { return s.handler }

// Metrics serves the Prometheus metrics.
func (s *Service) Metrics() http.Handler { return s.metrics.handler() }

// Close stops the retention timer. The store and the mail worker are the
// caller's to close, after this. It may be called more than once.
func (s *Service) Close() error {
	s.closed.Do(s.stopRetention)
	return nil
}
