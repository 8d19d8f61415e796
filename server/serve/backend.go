package serve

import (
	"io"
	"log/slog"
	"net/http"
)

// backend is the API side of the server (store, accounts, sync). It is
// opened before the listener so a bad key or a locked store stops the start.
type backend interface {
	Mount(mux *http.ServeMux)
	Close() error
}

// noBackend serves the PWA alone, until the API lands.
type noBackend struct{}

func (noBackend) Mount(*http.ServeMux) {}
func (noBackend) Close() error         { return nil }

func openBackend(cfg Config, log *slog.Logger, stdout io.Writer) (backend, error) {
	return noBackend{}, nil
}
