package web

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// staticFiles resolves /web/ paths to themselves and serves them from dir,
// choosing a pre-compressed sibling (.br, then .gz) when the client accepts
// it: go-app itself would send the 14 MB wasm uncompressed.
type staticFiles struct {
	dir   string
	files http.Handler
}

// Resolve implements app.ResourceResolver: resources live at their own URL.
func (s *staticFiles) Resolve(location string) string { return location }

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/web/")
	if ext := path.Ext(name); ext == ".br" || ext == ".gz" {
		http.NotFound(w, r) // only served as an encoding of the original
		return
	}
	r2 := *r
	r2.URL.Path = "/" + name
	if enc, file := s.precompressed(name, r.Header.Get("Accept-Encoding")); enc != "" {
		w.Header().Set("Content-Encoding", enc)
		w.Header().Set("Vary", "Accept-Encoding")
		w.Header().Set("Content-Type", contentType(name))
		r2.URL.Path = "/" + file
	} else if _, err := os.Stat(filepath.Join(s.dir, name+".gz")); err == nil {
		w.Header().Set("Vary", "Accept-Encoding")
	}
	w.Header().Set("Content-Type", contentType(name))
	s.files.ServeHTTP(w, &r2)
}

// precompressed returns the encoding and file to serve for name, or "".
func (s *staticFiles) precompressed(name, accept string) (enc, file string) {
	for _, c := range []struct{ enc, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !accepts(accept, c.enc) {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.dir, name+c.ext)); err == nil {
			return c.enc, name + c.ext
		}
	}
	return "", ""
}

// accepts reports whether an Accept-Encoding header allows enc (q=0 refuses).
func accepts(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func contentType(name string) string {
	if strings.HasSuffix(name, ".wasm") {
		return "application/wasm"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
