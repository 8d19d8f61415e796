// Package httpapi serves art60's JSON API under /api/v1: sessions, sync
// (push and pull), requests, attachments, the ONEM queue and the admin
// routes, with authentication, CSRF protection, login throttling, audit and
// metrics. Its contract is in openapi.json, served at /api/v1/openapi.json.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Brussels on machines without a zoneinfo database

	"art60/server/admin"
	"art60/server/mail"
	"art60/server/privacy"
	"art60/server/store"
	"art60/server/store/stores"
)

// Options configure the API service.
type Options struct {
	DataDir string // store directory, created if missing
	// Store is the kind of store, stores.Badger or stores.SQLite; "" is
	// the kind DataDir holds, Badger for a new directory.
	Store     string
	KeyFile   string // encryption key (64 hex digits); $ART60_KEY wins over it
	CreateKey bool   // create KeyFile with a random key when it is missing
	Demo      bool   // create a demo CPAS, office users and admin; print their logins to DemoOut
	DemoOut   io.Writer
	BaseURL   string // e.g. https://art60.example: links in mail, the Origin the CSRF check accepts, Secure cookies when https
	Logger    *slog.Logger
	// SecureCookies sets the Secure flag on cookies (serve behind TLS). An
	// https BaseURL sets it too: the browser reaches the server over TLS
	// (perhaps through a proxy), so the cookie must never go over plain HTTP.
	SecureCookies bool
	// Mail is the SMTP server the notifications go through
	// (mail.Config.RegisterFlags declares its flags). Its BaseURL defaults
	// to BaseURL; its clock is always Now.
	Mail mail.Config
	// DevMailSink runs the development mail sink (a loopback SMTP server
	// whose mail DevMail shows) when Mail.Addr is empty. Demo does too.
	DevMailSink bool
	// Now is the one clock of the service, its store and its mail worker
	// (sessions, the session cache, the sign-in throttle, due dates,
	// decisions, audit stamps, due mail, the metrics cache); nil is the
	// wall clock. Tests set it to any date so that none depends on the day
	// it runs. Durations measured for logs and latency metrics stay on the
	// wall clock.
	Now func() time.Time
	// Retention deletes decided requests and unused uploads past their
	// time (privacy.Policy), once at start and then daily; the zero
	// Policy keeps everything (tests). serve passes its flags.
	Retention privacy.Policy
	// Space is the free disk space the store keeps (store.Space; the zero
	// value is the default reserve). Tests give a small reserve, or a
	// simulated disk.
	Space store.Space
	// IdleTimeout ends a session unused for this long (idle.go); 0 is
	// DefaultIdleTimeout. From 2 minutes to 12 hours.
	IdleTimeout time.Duration
	// Quota bounds what each CPAS may store (store.Quota); zero fields
	// leave a limit off.
	Quota store.Quota
}

// Service is the API over one store.
type Service struct {
	opt       Options
	log       *slog.Logger
	st        store.Store
	metrics   *metrics
	throttle  *throttle
	sessions  *sessionCache
	handler   http.Handler
	control   *admin.ControlServer
	zone      *time.Location
	origin    string // the origin of BaseURL (originOf), what a browser's Origin must be
	now       func() time.Time
	idle      time.Duration // idle timeout of sessions
	mailer    *mail.Worker  // nil when no SMTP server is configured
	sink      *mail.Sink    // the development sink, when it runs
	retention *retention    // nil when the policy keeps everything
	closed    sync.Once
	closeErr  error
}

// Open opens the store (creating the key if asked) and builds the service.
func Open(o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := o.Mail.Check(); err != nil {
		return nil, err
	}
	key, created, err := store.KeyFor(o.DataDir, o.KeyFile, o.CreateKey)
	if err != nil {
		return nil, err
	}
	if created {
		o.Logger.Warn("created a new encryption key: back it up, the data cannot be read without it", "file", o.KeyFile)
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, err
	}
	st, err := stores.Open(stores.Config{Kind: o.Store, Dir: o.DataDir, Key: key, Logger: o.Logger, Now: o.Now, Space: o.Space, Quota: o.Quota})
	if err != nil {
		return nil, err
	}
	s, err := newService(o, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := s.startMail(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startControl(); err != nil {
		s.Close()
		return nil, err
	}
	s.startRetention()
	return s, nil
}

// startMail starts the mail worker on the configured SMTP server, or on
// the development sink in demo mode when none is configured.
func (s *Service) startMail() error {
	cfg := s.opt.Mail
	if cfg.BaseURL == "" {
		cfg.BaseURL = s.opt.BaseURL
	}
	// The decision that queues a mail is stamped by the service's clock;
	// the worker reads what is due by the same one, or a mail queued under
	// another clock would wait (or go) at the wrong time.
	cfg.Now = s.now
	if cfg.Addr == "" && (s.opt.Demo || s.opt.DevMailSink) {
		sink, err := mail.StartSink("127.0.0.1:0", s.log)
		if err != nil {
			return err
		}
		s.sink = sink
		cfg.Addr, cfg.TLS, cfg.User, cfg.Password = sink.Addr(), mail.TLSNone, "", ""
		if cfg.From == "" {
			cfg.From = "art60 <noreply@art60.localhost>"
		}
		s.log.Info("development mail sink: notifications are kept in memory", "smtp", sink.Addr(), "page", "/dev/mail")
		if s.opt.DemoOut != nil {
			fmt.Fprintf(s.opt.DemoOut, "  development mail (no SMTP server configured): %s/dev/mail\n", strings.TrimRight(s.opt.BaseURL, "/"))
		}
	}
	w, err := mail.Start(cfg, s.st, s.log)
	s.mailer = w
	return err
}

func newService(o Options, st store.Store) (*Service, error) {
	zone, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(urlScheme(o.BaseURL), "https") {
		o.SecureCookies = true
	}
	idle, err := idleTimeout(o)
	if err != nil {
		return nil, err
	}
	s := &Service{opt: o, log: o.Logger, st: st, throttle: newThrottle(), sessions: newSessionCache(), zone: zone, now: o.Now,
		idle: idle, origin: originOf(o.BaseURL)}
	s.metrics = newMetrics(s)
	compress, err := compressJSON()
	if err != nil {
		return nil, err
	}
	s.handler = compress(s.routes())
	if o.Demo {
		out := o.DemoOut
		if out == nil {
			out = io.Discard
		}
		if err := admin.SeedDemo(context.Background(), st, out); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
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

// startControl lets the admin commands reach the running server's store
// through a unix socket next to the data directory (the store is locked
// while the server runs).
func (s *Service) startControl() error {
	c, err := admin.ListenControl(admin.SocketPath(s.opt.DataDir), s.st, s.log)
	if err != nil {
		s.log.Warn("admin socket unavailable: admin commands need the server stopped", "err", err)
		return nil
	}
	s.control = c
	return nil
}

// Handler serves /api/v1/...; mount it at "/api/".
func (s *Service) Handler() http.Handler { return s.handler }

// Metrics serves the Prometheus metrics.
func (s *Service) Metrics() http.Handler { return s.metrics.handler() }

// DevMail serves the development mail sink (mount it at "GET /dev/"): the
// page /dev/mail and /dev/mail.json. Without the sink it answers 404.
func (s *Service) DevMail() http.Handler {
	if s.sink == nil {
		return http.NotFoundHandler()
	}
	return s.sink.Handler()
}

// DevMailAddr is the development sink's SMTP address, "" when it does not run.
func (s *Service) DevMailAddr() string {
	if s.sink == nil {
		return ""
	}
	return s.sink.Addr()
}

// Close stops the mail worker, the development sink, the admin socket and
// the timers and closes the store. It may be called more than once.
func (s *Service) Close() error {
	s.closed.Do(func() {
		var errs []error
		s.stopRetention()
		s.mailer.Close()
		if s.sink != nil {
			errs = append(errs, s.sink.Close())
		}
		if s.control != nil {
			errs = append(errs, s.control.Close())
		}
		s.closeErr = errors.Join(append(errs, s.st.Close())...)
	})
	return s.closeErr
}
