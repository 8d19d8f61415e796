// Command loadtest measures push throughput and latency on loopback: it
// starts the API on a fresh encrypted store (SyncWrites on, as in
// production; -store badger or sqlite) in this process, or with -child in a child process (this
// program again, with -serve), unless -url names a running server; it signs
// in the demo
// worker, and runs N concurrent devices that each push new requests, one
// mutation per push, for a fixed time.
//
//	go run ./server/loadtest -clients 50 -duration 10s
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"art60/server/store/stores"
)

func main() {
	var cfg config
	flag.IntVar(&cfg.clients, "clients", 50, "concurrent devices")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long to push")
	flag.StringVar(&cfg.url, "url", "", "base URL of a running server with the demo accounts (default: start one)")
	flag.BoolVar(&cfg.child, "child", false, "run the server in a child process instead of this one")
	serveDir := flag.String("serve", "", "internal: serve the API on a fresh store in this directory (the child process)")
	flag.StringVar(&cfg.store, "store", stores.Badger, "the store of the in-process server: badger or sqlite")
	flag.StringVar(&cfg.dataDir, "data", "", "data directory of the in-process server (default: a temporary one, removed after)")
	flag.Float64Var(&cfg.minRate, "min-rate", 0, "exit 1 if fewer pushes per second than this")
	flag.DurationVar(&cfg.maxP99, "max-p99", 0, "exit 1 if the 99th percentile latency is above this")
	flag.IntVar(&cfg.requests, "requests", 0, "stop after this many pushes in all (0: push for -duration)")
	flag.BoolVar(&cfg.pull, "pull", false, "after pushing, time a new device's full pull of everything pushed")
	profile := flag.String("cpuprofile", "", "write a CPU profile (client and server) to this file")
	heap := flag.String("memprofile", "", "write a heap profile (client and server) to this file at the end")
	flag.Parse()
	if *serveDir != "" {
		if err := serveChild(*serveDir); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest server:", err)
			os.Exit(1)
		}
		return
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	rep, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	if *heap != "" {
		if err := writeHeap(*heap); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
	}
	fmt.Print(rep)
	if rep.pulled != nil {
		fmt.Print(*rep.pulled)
	}
	if !rep.meets(cfg) {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// writeHeap writes a heap profile of the live objects.
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	return errors.Join(pprof.WriteHeapProfile(f), f.Close())
}
