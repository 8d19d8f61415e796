package serve

import (
	"io"
	"log/slog"
	"net/http"

	"art60/server/httpapi"
)

// backend is the API side of the server (store, accounts, sync). It is
// opened before the listener so a bad key or a locked store stops the start.
type backend struct {
	svc          *httpapi.Service
	metricsToken string
}

func openBackend(cfg Config, log *slog.Logger, stdout io.Writer) (*backend, error) {
	if err := checkDemo(cfg); err != nil {
		return nil, err
	}
	svc, err := httpapi.Open(httpapi.Options{
		DataDir:       cfg.DataDir,
		Store:         cfg.Store,
		KeyFile:       cfg.KeyFile,
		CreateKey:     true,
		Demo:          cfg.Demo,
		DemoOut:       stdout,
		BaseURL:       cfg.BaseURL,
		Retention:     cfg.Retention,
		Logger:        log,
		SecureCookies: secureTransport(cfg),
		Mail:          cfg.Mail,
		Now:           cfg.Now,
		IdleTimeout:   cfg.IdleTimeout,
		Quota:         cfg.Quota,
	})
	if err != nil {
		return nil, err
	}
	return &backend{svc: svc, metricsToken: cfg.MetricsToken}, nil
}

// Mount adds the API and the metrics to the server's routes.
func (b *backend) Mount(mux *http.ServeMux) {
	mux.Handle("/api/", b.svc.Handler())
	mux.Handle("GET /metrics", guardMetrics(b.metricsToken, b.svc.Metrics()))
	mux.Handle("GET /dev/", b.svc.DevMail()) // the development mail sink (demo mode only)
}

func (b *backend) Close() error { return b.svc.Close() }
