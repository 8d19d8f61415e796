// Command testserver serves the API alone, for tests that need a separate
// process (the crash test kills it with SIGKILL) and for the load test. It
// prints "listening on http://ADDR" once it accepts connections.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"art60/server/backend"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	data := flag.String("data", "./data/db", "data directory")
	keyFile := flag.String("key-file", "./data/key", "key file")
	demo := flag.Bool("demo", false, "seed the demo accounts")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, err := backend.Open(backend.Options{DataDir: *data, KeyFile: *keyFile, CreateKey: true,
		Demo: *demo, DemoOut: os.Stdout, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "testserver:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testserver:", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", svc.Handler())
	mux.Handle("/metrics", svc.Metrics())
	srv := &http.Server{Handler: mux}
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		<-ch
		srv.Shutdown(context.Background())
	}()
	fmt.Printf("listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "testserver:", err)
	}
	if err := svc.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "testserver:", err)
		os.Exit(1)
	}
}
