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
	"net/http"
	"os"
	"sync"
	_ "time/tzdata" // httpapi reads Europe/Brussels; the Workers runtime has no zoneinfo

	"art60/server/httpapi"
	"art60/server/store"
	"art60/server/store/d1"
	"art60/server/web/secure"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	a := &app{log: log}
	// One program serves every request of the isolate (glue/worker.mjs):
	// it never returns.
	workers.ServeNonBlock(a)
	workers.Ready()
	select {}
}

// app opens the store and the API on the first request, and again on the
// next one if that failed (the failure answered 503 and logged).
type app struct {
	log *slog.Logger
	mu  sync.Mutex
	api http.Handler
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	if a.api == nil {
		h, err := handler(a.log)
		if err != nil {
			a.mu.Unlock()
			a.log.Error("worker start", "err", err)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":{"code":"unavailable","message":"the service cannot start; see the Worker's log"}}`))
			return
		}
		a.api = h
	}
	a.mu.Unlock()
	a.api.ServeHTTP(w, r)
}

// handler opens the D1 store under the secret key and mounts the API as
// the Go server does (server/serve).
func handler(log *slog.Logger) (http.Handler, error) {
	key, _, err := store.LoadKey(cloudflare.Getenv(store.KeyEnv), "", false)
	if err != nil {
		return nil, err
	}
	x, err := d1.OpenBinding("DB")
	if err != nil {
		return nil, err
	}
	st, err := d1.Open(context.Background(), d1.Config{Exec: x, Key: key, Logger: log})
	if err != nil {
		return nil, err
	}
	api, err := httpapi.New(httpapi.Deps{Store: st, Log: log, BaseURL: cloudflare.Getenv("ART60_BASE_URL")})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok","store":"d1"}`))
	})
	// The Go server's security headers; the Worker is reached over HTTPS,
	// so with HSTS (browsers ignore it over wrangler dev's plain HTTP).
	return secure.Headers(mux, true), nil
}
