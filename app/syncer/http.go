//go:build !(js && wasm)

package syncer

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"art60/server/api"
)

// HTTPTransport is the native Transport (tests, tools): net/http against
// Base, with the Origin a browser would send.
type HTTPTransport struct {
	Client *http.Client
	Base   string // e.g. http://127.0.0.1:8080
	// Idle, when set, is the time since the user's last input, sent with
	// every call (api.IdleHeader).
	Idle func() time.Duration
}

// Do implements Transport.
func (t HTTPTransport) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.Base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", t.Base)
	req.Header.Set(SchemaHeader, strconv.Itoa(api.SchemaVersion))
	if t.Idle != nil {
		req.Header.Set(api.IdleHeader, idleSeconds(t.Idle()))
	}
	res, err := t.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	return res.StatusCode, data, err
}
