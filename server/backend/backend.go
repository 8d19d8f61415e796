// Package backend opens what the API runs on, in one place: the key, the
// store, the demo data, the mail worker, the development mail sink and the
// admin control socket, and builds the API (httpapi.New) on them. The serve
// command opens it from its flags and environment; tests that need a whole
// server (the app's sync engine, the load test) open it with their own
// Options. Nothing here reads the environment.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"art60/server/admin"
	"art60/server/httpapi"
	"art60/server/mail"
	"art60/server/privacy"
	"art60/server/store"
	"art60/server/store/stores"
)

// Options say how to open the backend: the key, the store, mail, the admin
// control socket, the demo data and the API on them. The program (serve, a
// test embedding the server) fills them; nothing here reads the environment.
type Options struct {
	DataDir string // store directory, created if missing
	// Store is the kind of store, stores.Badger or stores.SQLite; "" is
	// the kind DataDir holds, Badger for a new directory.
	Store   string
	KeyFile string // encryption key (64 hex digits)
	// Key is the key in hex given by the environment ($ART60_KEY, read by
	// the command); it wins over KeyFile.
	Key       string
	CreateKey bool // create KeyFile with a random key when it is missing
	Demo      bool // create a demo CPAS, office users and admin; print their logins to DemoOut
	DemoOut   io.Writer
	BaseURL   string // e.g. https://art60.example: links in mail, the Origin the CSRF check accepts
	Logger    *slog.Logger
	// SecureCookies sets the Secure flag on cookies (httpapi.Deps).
	SecureCookies bool
	// Mail is the SMTP server the notifications go through
	// (mail.Config.RegisterFlags declares its flags). Its BaseURL defaults
	// to BaseURL; its clock is always Now.
	Mail mail.Config
	// DevMailSink runs the development mail sink (a loopback SMTP server
	// whose mail /dev/mail shows) when Mail.Addr is empty. Demo does too.
	DevMailSink bool
	// Now is the one clock of the API, its store and its mail worker
	// (httpapi.Deps.Now); nil is the wall clock.
	Now func() time.Time
	// Retention, IdleTimeout: httpapi.Deps.
	Retention   privacy.Policy
	IdleTimeout time.Duration
	// Space is the free disk space the store keeps (store.Space; the zero
	// value is the default reserve).
	Space store.Space
	// Quota bounds what each CPAS may store (store.Quota); zero fields
	// leave a limit off.
	Quota store.Quota
}

// Backend is the API side of the server and what it runs on: the store,
// the mail worker, the development mail sink and the admin control socket.
// Open opens them in order and Close closes them in reverse.
type Backend struct {
	api     *httpapi.Service
	st      store.Store
	mailer  *mail.Worker         // nil when no SMTP server is configured
	sink    *mail.Sink           // the development sink, when it runs
	control *admin.ControlServer // nil when the socket could not be opened
	log     *slog.Logger
}

// Open opens the key (creating it if asked), the store, the demo data, the
// mail worker and the control socket, and builds the API on them.
func Open(o Options) (*Backend, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := o.Mail.Check(); err != nil {
		return nil, err
	}
	st, err := openStore(o)
	if err != nil {
		return nil, err
	}
	b := &Backend{st: st, log: o.Logger}
	if err := b.start(o); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// openStore loads the key and opens the store of o.DataDir.
func openStore(o Options) (store.Store, error) {
	key, created, err := store.KeyFor(o.DataDir, o.Key, o.KeyFile, o.CreateKey)
	if err != nil {
		return nil, err
	}
	if created {
		o.Logger.Warn("created a new encryption key: back it up, the data cannot be read without it", "file", o.KeyFile)
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, err
	}
	return stores.Open(stores.Config{Kind: o.Store, Dir: o.DataDir, Key: key, Logger: o.Logger, Now: o.Now, Space: o.Space, Quota: o.Quota})
}

// start seeds the demo data, starts mail and the control socket, and builds
// the API.
func (b *Backend) start(o Options) error {
	if o.Demo {
		out := o.DemoOut
		if out == nil {
			out = io.Discard
		}
		if err := admin.SeedDemo(context.Background(), b.st, out); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := b.startMail(o); err != nil {
		return err
	}
	b.startControl(o.DataDir)
	api, err := httpapi.New(httpapi.Deps{Store: b.st, Mailer: b.mailer, Now: o.Now, Log: o.Logger, BaseURL: o.BaseURL,
		SecureCookies: o.SecureCookies, IdleTimeout: o.IdleTimeout, Retention: o.Retention, PullPage: PullPage})
	b.api = api
	return err
}

// PullPage is the page of a pull on the server's own stores (httpapi.Deps):
// a new device of a CPAS of 10,000 requests syncs in 10 pages, each one
// audit commit (measured with BenchmarkPull10000: 0.8 s instead of 1.4 s
// with pages of 200, on the loaded 2-core machine).
const PullPage = 1000

// startMail starts the mail worker on the configured SMTP server, or on
// the development sink in demo mode when none is configured.
func (b *Backend) startMail(o Options) error {
	cfg := o.Mail
	if cfg.BaseURL == "" {
		cfg.BaseURL = o.BaseURL
	}
	// The decision that queues a mail is stamped by the API's clock; the
	// worker reads what is due by the same one, or a mail queued under
	// another clock would wait (or go) at the wrong time.
	cfg.Now = o.Now
	if cfg.Addr == "" && (o.Demo || o.DevMailSink) {
		sink, err := mail.StartSink("127.0.0.1:0", b.log)
		if err != nil {
			return err
		}
		b.sink = sink
		cfg.Addr, cfg.TLS, cfg.User, cfg.Password = sink.Addr(), mail.TLSNone, "", ""
		if cfg.From == "" {
			cfg.From = "art60 <noreply@art60.localhost>"
		}
		b.log.Info("development mail sink: notifications are kept in memory", "smtp", sink.Addr(), "page", "/dev/mail")
		if o.DemoOut != nil {
			fmt.Fprintf(o.DemoOut, "  development mail (no SMTP server configured): %s/dev/mail\n", strings.TrimRight(o.BaseURL, "/"))
		}
	}
	w, err := mail.Start(cfg, b.st, b.log)
	b.mailer = w
	return err
}

// startControl lets the admin commands reach the running server's store
// through a unix socket next to the data directory (the store is locked
// while the server runs). Without it the server still serves.
func (b *Backend) startControl(dataDir string) {
	c, err := admin.ListenControl(admin.SocketPath(dataDir), b.st, b.log)
	if err != nil {
		b.log.Warn("admin socket unavailable: admin commands need the server stopped", "err", err)
		return
	}
	b.control = c
}

// Handler serves /api/v1/...; mount it at "/api/".
func (b *Backend) Handler() http.Handler { return b.api.Handler() }

// Metrics serves the API's Prometheus metrics.
func (b *Backend) Metrics() http.Handler { return b.api.Metrics() }

// DevMail serves the development mail sink (mount it at "GET /dev/"): the
// page /dev/mail and /dev/mail.json. Without the sink it answers 404.
func (b *Backend) DevMail() http.Handler {
	if b.sink == nil {
		return http.NotFoundHandler()
	}
	return b.sink.Handler()
}

// DevMailAddr is the development sink's SMTP address, "" when it does not run.
func (b *Backend) DevMailAddr() string {
	if b.sink == nil {
		return ""
	}
	return b.sink.Addr()
}

// Close stops the API's timers, the mail worker, the development sink and
// the control socket, then closes the store.
func (b *Backend) Close() error {
	var errs []error
	if b.api != nil {
		errs = append(errs, b.api.Close())
	}
	b.mailer.Close()
	if b.sink != nil {
		errs = append(errs, b.sink.Close())
	}
	if b.control != nil {
		errs = append(errs, b.control.Close())
	}
	return errors.Join(append(errs, b.st.Close())...)
}
