//go:build js && wasm

// Command worker is art60's API on Cloudflare Workers: the same httpapi
// handler as the Go server, on the D1 store (server/store/d1) through the
// D1 binding "DB", with the store key from the Worker secret ART60_KEY
// (README, "Cloudflare Workers"). One program per isolate serves all its
// requests (glue/worker.mjs).
package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	_ "time/tzdata" // httpapi reads Europe/Brussels; the Workers runtime has no zoneinfo

	"art60/server/httpapi"
	"art60/server/mail"
	"art60/server/settings"
	"art60/server/store"
	"art60/server/store/d1"
	"art60/server/web/secure"
	"art60/worker/scheduled"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/cron"
	"github.com/syumai/workers/cloudflare/sockets"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	a := &app{log: log}
	// One program serves every request and every Cron Trigger of the
	// isolate (glue/worker.mjs): it never returns.
	workers.ServeNonBlock(a)
	cron.ScheduleTaskNonBlock(a.scheduled)
	workers.Ready()
	select {}
}

// retentionCron is the daily trigger of wrangler.toml that also runs the
// retention policy; the other trigger only drains the outbox.
const retentionCron = "30 2 * * *"

// app opens the store, the mail sender and the API on the first event, and
// again on the next one if that failed (the failure answered 503 and
// logged).
type app struct {
	log  *slog.Logger
	mu   sync.Mutex
	api  http.Handler
	pass scheduled.Pass
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := a.open(); err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"unavailable","message":"the service cannot start; see the Worker's log"}}`))
		return
	}
	a.api.ServeHTTP(w, r)
}

// scheduled is a Cron Trigger's pass (worker/scheduled): mail, and
// retention in the daily one.
func (a *app) scheduled(ctx context.Context) error {
	ev, err := cron.NewEvent(ctx)
	if err != nil {
		a.log.Error("scheduled", "err", err)
		return nil
	}
	if a.open() == nil {
		a.pass.Run(ctx, ev.Cron == retentionCron)
		a.log.Info("scheduled", "cron", ev.Cron)
	}
	return nil // an error would end the program (see scheduled.Pass.Run)
}

func (a *app) open() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.api != nil {
		return nil
	}
	err := a.start()
	if err != nil {
		a.log.Error("worker start", "err", err)
	}
	return err
}

// start opens the D1 store under the secret key, the mail sender and the
// API as the Go server does (server/serve), with the settings serve takes
// from flags and environment read from the Worker's vars and secrets.
func (a *app) start() error {
	log := a.log
	set, err := settings.FromEnv(cloudflare.Getenv)
	if err != nil {
		return err
	}
	key, _, err := store.LoadKey(cloudflare.Getenv(store.KeyEnv), "", false)
	if err != nil {
		return err
	}
	x, err := d1.OpenBinding("DB")
	if err != nil {
		return err
	}
	st, err := d1.Open(context.Background(), d1.Config{Exec: x, Key: key, Logger: log, Quota: set.Quota})
	if err != nil {
		return err
	}
	baseURL := cloudflare.Getenv("ART60_BASE_URL")
	set.Mail.BaseURL, set.Mail.Dial = baseURL, dialSocket(set.Mail.TLS)
	sender, err := mail.New(set.Mail, st, log)
	if err != nil {
		return err
	}
	a.pass = scheduled.Pass{Store: st, Retention: set.Retention, Log: log}
	if sender != nil {
		a.pass.Mail = sender
	}
	// No Mailer: a decision's mail waits for the next trigger. No
	// Retention: the daily trigger runs it (no timer outlives an event).
	// The sign-in throttle counts in D1 and no session is served from an
	// isolate's cache, so that every isolate sees the same failures and
	// sign-outs (server/README.md, "Sign-in throttle").
	api, err := httpapi.New(httpapi.Deps{Store: st, Log: log, BaseURL: baseURL, IdleTimeout: set.IdleTimeout,
		Failures: st, NoSessionCache: true})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok","store":"d1"}`))
	})
	// The Go server's security headers; the Worker is reached over HTTPS,
	// so with HSTS (browsers ignore it over wrangler dev's plain HTTP).
	a.api = secure.Headers(mux, true)
	return nil
}

// dialSocket opens the SMTP connection with the Workers TCP socket API
// (cloudflare:sockets connect()); implicit TLS is the socket's own, and
// STARTTLS runs Go's crypto/tls over the plain socket. The socket lives as
// long as the SMTP exchange, not as long as the dial's context, which
// go-mail ends when the greeting is read.
func dialSocket(tlsMode string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, _, addr string) (net.Conn, error) {
		opts := &sockets.SocketOptions{SecureTransport: sockets.SecureTransportOff}
		if tlsMode == mail.TLSImplicit {
			opts.SecureTransport = sockets.SecureTransportOn
		}
		return sockets.Connect(context.WithoutCancel(ctx), addr, opts)
	}
}
