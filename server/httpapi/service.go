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
	"os"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Brussels on machines without a zoneinfo database

	"art60/server/admin"
	"art60/server/store"
)

// Options configure the API service.
type Options struct {
	DataDir   string // Badger directory, created if missing
	KeyFile   string // encryption key (64 hex digits); $ART60_KEY wins over it
	CreateKey bool   // create KeyFile with a random key when it is missing
	Demo      bool   // create a demo CPAS, office users and admin; print their logins to DemoOut
	DemoOut   io.Writer
	BaseURL   string // e.g. http://127.0.0.1:8080, for links in mail
	Logger    *slog.Logger
	// SecureCookies sets the Secure flag on cookies (serve behind TLS).
	SecureCookies bool
}

// Service is the API over one store.
type Service struct {
	opt      Options
	log      *slog.Logger
	st       store.Store
	metrics  *metrics
	throttle *throttle
	sessions *sessionCache
	hashing  chan struct{} // bounds concurrent argon2 checks (19 MiB each)
	handler  http.Handler
	control  *admin.ControlServer
	zone     *time.Location
	now      func() time.Time
	closed   sync.Once
	closeErr error
}

// Open opens the store (creating the key if asked) and builds the service.
func Open(o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	key, created, err := store.LoadKey(o.KeyFile, o.CreateKey)
	if err != nil {
		return nil, err
	}
	if created {
		o.Logger.Warn("created a new encryption key: back it up, the data cannot be read without it", "file", o.KeyFile)
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, err
	}
	st, err := store.Open(store.Config{Dir: o.DataDir, Key: key, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	s, err := newService(o, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := s.startControl(); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

func newService(o Options, st store.Store) (*Service, error) {
	zone, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return nil, err
	}
	s := &Service{opt: o, log: o.Logger, st: st, throttle: newThrottle(), sessions: newSessionCache(), zone: zone, now: time.Now,
		hashing: make(chan struct{}, 2)}
	s.metrics = newMetrics(st)
	s.handler = s.routes()
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

// Close stops the admin socket and the timers and closes the store. It may
// be called more than once.
func (s *Service) Close() error {
	s.closed.Do(func() {
		var err error
		if s.control != nil {
			err = s.control.Close()
		}
		s.closeErr = errors.Join(err, s.st.Close())
	})
	return s.closeErr
}
