// Command staticsite writes the PWA as static files for Cloudflare Workers
// static assets (README, "Cloudflare Workers"): what art60 serve's PWA
// handler (server/web) answers for every page and every file the service
// worker caches, and a _headers file with the headers it sends, the
// security headers included. The directory is emptied first.
//
//	go run ./tools/staticsite -web web -o worker/build/public
package main

import (
	"flag"
	"fmt"
	"os"

	"art60/server/web"
)

func main() {
	dir := flag.String("web", "web", "the web directory of make build (app.wasm and the static files)")
	out := flag.String("o", "worker/build/public", "the directory to write; emptied first")
	flag.Parse()
	if err := write(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "staticsite:", err)
		os.Exit(1)
	}
}

// write builds the handler as art60 serve does and writes its site. The
// Worker is always reached over HTTPS, so the headers include HSTS
// (browsers ignore it over the plain HTTP of wrangler dev).
func write(dir, out string) error {
	h, err := web.New(dir)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := h.WriteSite(out, true); err != nil {
		return err
	}
	fmt.Printf("%s: the PWA, version %s\n", out, h.Version)
	return nil
}
