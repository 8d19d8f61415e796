// Package web serves the PWA: go-app's handler with a version derived from
// the build, the wasm pre-compressed, every route cached by the service
// worker; its security headers are in server/web/secure.
package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"art60/app/i18n"
	"art60/app/ui"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Handler is the PWA handler and the version it announces.
type Handler struct {
	http.Handler
	Version string
}

// New builds the PWA handler for the web directory dir (app.wasm, its .br
// and .gz, and the static files copied from assets/web by `make build`).
func New(dir string) (*Handler, error) {
	wasm, err := os.Stat(filepath.Join(dir, "app.wasm"))
	if err != nil {
		return nil, fmt.Errorf("web: %w (run `make build` first)", err)
	}
	version, err := buildVersion(dir)
	if err != nil {
		return nil, err
	}
	ui.Register()
	h := &app.Handler{
		Name:               "art60",
		ShortName:          "art60",
		Title:              "art60",
		Description:        i18n.T(i18n.Default, "app.description"),
		Lang:               string(i18n.Default),
		Author:             "art60",
		BackgroundColor:    "#f5f7fa",
		ThemeColor:         "#14427a",
		LoadingLabel:       "art60 … {progress}%",
		Icon:               app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", Maskable: "/web/icon-maskable.png", SVG: "/web/icon.svg"},
		Styles:             []string{"/web/art60.css"},
		CacheableResources: cacheable(dir),
		Resources:          &staticFiles{dir: dir, files: http.FileServer(http.Dir(dir))},
		Version:            version,
		WasmContentLength:  strconv.FormatInt(wasm.Size(), 10),
		// The default worker caches only "/" among pages and fails on
		// anything unlisted: ours answers every navigation from the cache.
		ServiceWorkerTemplate: serviceWorker,
	}
	return &Handler{Handler: h, Version: version}, nil
}

// cacheable lists every static route and every static file for the service
// worker; request pages (/requests/{id}) are answered by its navigation
// fallback. Pre-compressed siblings are encodings, not resources.
func cacheable(dir string) []string {
	var list []string
	for path := range ui.StaticRoutes {
		list = append(list, path)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			continue
		}
		list = append(list, "/web/"+name)
	}
	sort.Strings(list)
	return list
}

// buildVersion hashes the served files and the running binary: stable
// across restarts, new after any rebuild that changes what users get. It is
// go-app's ETag for every path, so it must never be a constant.
func buildVersion(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		io.WriteString(h, rel+"\x00")
		return hashFile(h, path)
	})
	if err != nil {
		return "", fmt.Errorf("web: hashing %s: %w", dir, err)
	}
	if exe, err := os.Executable(); err == nil {
		if err := hashFile(h, exe); err != nil {
			return "", fmt.Errorf("web: hashing the binary: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
