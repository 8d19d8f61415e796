//go:build js && wasm

// Command worker is art60's API on Cloudflare Workers: the same httpapi
// handler as the Go server, on the D1 store (server/store/d1) through the
// D1 binding "DB", with the store key from the Worker secret ART60_KEY
// (README, "Cloudflare Workers"). The Workers runtime of
// github.com/syumai/workers starts this program for each request, so
// main opens the store and serves that request.
package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	_ "time/tzdata" // httpapi reads Europe/Brussels; the Workers runtime has no zoneinfo

	"art60/server/httpapi"
	"art60/server/store"
	"art60/server/store/d1"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := handler(log)
	if err != nil {
		log.Error("worker start", "err", err)
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"code":"unavailable","message":"the service cannot start; see the Worker's log"}`, http.StatusServiceUnavailable)
		})
	}
	workers.Serve(h)
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
	return mux, nil
}
