// Package serve is the `art60 serve` command: configuration from flags and
// environment, the wiring of the key, the store, mail, the admin control
// socket and the demo data under the API (Open), the HTTP server with its
// routes, structured logs, and a graceful shutdown on SIGTERM. It is the one
// place of the server that reads the environment, through the getenv its
// caller (main) passes.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"art60/server/settings"
	"art60/server/store"
	"art60/server/web"
	"art60/server/web/secure"
)

// Config is everything `art60 serve` can be told.
type Config struct {
	Addr    string // listen address
	WebDir  string // app.wasm and static files
	DataDir string // the store
	Store   string // badger or sqlite; "" is what DataDir holds, Badger for a new one
	KeyFile string // the store's encryption key
	Key     string // the key in hex from $ART60_KEY; it wins over KeyFile
	Demo    bool   // create demo accounts on first start
	// DemoPublic allows Demo on an address other than loopback (see
	// checkDemo): the demo passwords are public and /dev/mail has no sign-in.
	DemoPublic bool
	BaseURL    string // public URL, for links in e-mails
	TLS        bool   // served behind TLS (Secure cookies, HSTS)
	// MetricsToken, when set, is the bearer token /metrics asks for;
	// without it /metrics answers local clients only.
	MetricsToken string
	// Settings are mail, retention, the idle timeout and the quota: the
	// flags serve shares with the Worker (server/settings).
	settings.Settings
	// Now is the server's one clock, handed to the API, its store and its
	// mail worker (httpapi.Deps.Now); nil is the wall clock. It is not
	// a flag: only a program embedding the server (a test) sets it.
	Now func() time.Time
}

// Run parses args and the environment (getenv, os.Getenv in main) and
// serves until SIGINT or SIGTERM. It returns the exit code.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, getenv, stderr)
	if err != nil {
		return 2
	}
	limitMemory(getenv)
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, log, stdout); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

func parse(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string { return envOr(getenv, name, def) }
	c := Config{Key: getenv(store.KeyEnv)}
	fs.StringVar(&c.Addr, "addr", env("ART60_ADDR", "127.0.0.1:8080"), "listen address (env ART60_ADDR)")
	fs.StringVar(&c.WebDir, "web", env("ART60_WEB", "web"), "directory of app.wasm and static files (env ART60_WEB)")
	fs.StringVar(&c.DataDir, "data", env("ART60_DATA", "data/db"), "store directory (env ART60_DATA)")
	fs.StringVar(&c.Store, "store", env("ART60_STORE", ""), "badger or sqlite (env ART60_STORE); empty: the kind the data directory holds, badger for a new one")
	fs.StringVar(&c.KeyFile, "key-file", env("ART60_KEY_FILE", "data/key"), "store encryption key file (env ART60_KEY_FILE; ART60_KEY overrides)")
	fs.BoolVar(&c.Demo, "demo", getenv("ART60_DEMO") == "true", "create demo accounts on first start (env ART60_DEMO=true)")
	fs.BoolVar(&c.DemoPublic, "demo-public", getenv("ART60_DEMO_PUBLIC") == "true", "allow -demo on a non-loopback address: demo passwords and /dev/mail open to the network (env ART60_DEMO_PUBLIC=true)")
	fs.StringVar(&c.BaseURL, "base-url", env("ART60_BASE_URL", ""), "public URL for links (env ART60_BASE_URL; default http://ADDR)")
	fs.BoolVar(&c.TLS, "tls", getenv("ART60_TLS") == "true", "served behind TLS: Secure cookies and HSTS, implied by an https -base-url (env ART60_TLS=true)")
	fs.StringVar(&c.MetricsToken, "metrics-token", getenv("ART60_METRICS_TOKEN"), "bearer token for /metrics; without it only local clients may read it (env ART60_METRICS_TOKEN)")
	finish := c.Settings.Register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := finish(); err != nil {
		fmt.Fprintln(stderr, err)
		return c, err
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	return c, nil
}

// checkDemo refuses demo mode on an address other machines can reach,
// unless forced: the demo accounts have fixed passwords printed in the
// README, and the development mail sink's page /dev/mail shows every
// notification without sign-in (server/README.md, Mail).
func checkDemo(cfg Config) error {
	if !cfg.Demo || cfg.DemoPublic || isLoopback(cfg.Addr) {
		return nil
	}
	return fmt.Errorf("start refused: -demo on %q, an address other machines may reach, would expose the demo accounts "+
		"(public passwords) and /dev/mail (no sign-in); listen on loopback (-addr 127.0.0.1:8080) "+
		"or add -demo-public (ART60_DEMO_PUBLIC=true) to expose them on purpose", cfg.Addr)
}

// isLoopback tells whether a listen address accepts connections from this
// machine only. An empty host (":8080") listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func serve(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error {
	pwa, err := web.New(cfg.WebDir)
	if err != nil {
		return err
	}
	api, err := openBackend(cfg, log, stdout)
	if err != nil {
		return err
	}
	defer api.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health(pwa.Version))
	api.Mount(mux)
	mux.Handle("/", pwa)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           front(cfg, log, mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	warnPlainHTTP(cfg, log)
	log.Info("art60 serving", "addr", ln.Addr().String(), "version", pwa.Version, "web", cfg.WebDir)
	fmt.Fprintf(stdout, "art60 is ready at http://%s\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// secureTransport tells whether browsers reach the server over TLS: -tls,
// or an https base URL (TLS ended by a proxy in front). Then cookies are
// Secure and responses carry HSTS.
func secureTransport(cfg Config) bool {
	u, err := url.Parse(cfg.BaseURL)
	return cfg.TLS || (err == nil && strings.EqualFold(u.Scheme, "https"))
}

// front wraps the routes with the security headers and the access log.
func front(cfg Config, log *slog.Logger, mux http.Handler) http.Handler {
	return secure.Headers(accessLog(log, mux), secureTransport(cfg))
}

// warnPlainHTTP warns, loudly, when other machines may reach the server over
// plain HTTP: passwords and session cookies would cross the network in clear.
func warnPlainHTTP(cfg Config, log *slog.Logger) {
	if isLoopback(cfg.Addr) || secureTransport(cfg) {
		return
	}
	log.Warn("INSECURE: serving plain HTTP on a non-loopback address; passwords and session cookies cross the network "+
		"in clear. Put a TLS proxy in front and set -base-url https://... (or -tls), or listen on 127.0.0.1",
		"addr", cfg.Addr, "base_url", cfg.BaseURL)
}

func health(version string) http.HandlerFunc {
	body, _ := json.Marshal(map[string]string{"status": "ok", "version": version})
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	}
}
