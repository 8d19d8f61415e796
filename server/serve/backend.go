package serve

import (
	"io"
	"log/slog"
	"net/http"

	"art60/server/backend"
)

// openBackend opens the backend serve's configuration describes.
func openBackend(cfg Config, log *slog.Logger, stdout io.Writer) (*server, error) {
	if err := checkDemo(cfg); err != nil {
		return nil, err
	}
	b, err := backend.Open(backend.Options{
		DataDir:       cfg.DataDir,
		Store:         cfg.Store,
		KeyFile:       cfg.KeyFile,
		Key:           cfg.Key,
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
	return &server{Backend: b, metricsToken: cfg.MetricsToken}, nil
}

// server is the backend serve opened, with what serve adds to its routes.
type server struct {
	*backend.Backend
	metricsToken string
}

// Mount adds the API, the metrics and the development mail sink to the
// server's routes.
func (s *server) Mount(mux *http.ServeMux) {
	mux.Handle("/api/", s.Handler())
	mux.Handle("GET /metrics", guardMetrics(s.metricsToken, s.Metrics()))
	mux.Handle("GET /dev/", s.DevMail()) // the development mail sink (demo mode only)
}
