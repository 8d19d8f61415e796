// Command torture kills the art60 server with SIGKILL at random moments
// while workers push, agents decide and comment and files are uploaded,
// restarts it on the same data each time, and checks that no acknowledged
// write is lost or doubled and nothing is half-written (tools/torture/harness).
// It builds nothing: `make torture` builds bin/art60 first.
//
//	go run ./tools/torture -bin bin/art60 -web web -trials 100 -max-duration 15m
//
// It exits 1 when a write was lost, doubled or inconsistent, 2 when the run
// itself could not be carried out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"art60/tools/torture/harness"
)

func main() {
	var cfg harness.Config
	flag.StringVar(&cfg.Bin, "bin", "bin/art60", "the art60 binary (make build)")
	flag.StringVar(&cfg.Web, "web", "web", "the server's -web directory")
	flag.IntVar(&cfg.Trials, "trials", 100, "how many times the server is killed with SIGKILL")
	flag.DurationVar(&cfg.MaxDuration, "max-duration", 15*time.Minute, "the run stops by itself after this")
	flag.DurationVar(&cfg.MaxUp, "max-up", 1500*time.Millisecond, "the server runs a random 5-100 % of this before each kill")
	flag.IntVar(&cfg.Workers, "workers", 4, "worker devices pushing")
	flag.IntVar(&cfg.Agents, "agents", 2, "agents deciding and commenting")
	flag.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock; printed)")
	flag.BoolVar(&cfg.KeepDir, "keep", false, "keep the data directory and server log (always kept on failure)")
	quiet := flag.Bool("q", false, "no line per trial")
	flag.Parse()
	if !*quiet {
		cfg.Log = os.Stdout
	}
	// Ctrl-C ends the run like -max-duration would, with the server killed.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	rep, err := harness.Run(ctx, cfg)
	fmt.Printf("torture: %s\n", rep)
	fmt.Printf("torture: seed %d, %s, %d cores, %s\n", rep.Seed, time.Now().Format("2006-01-02"), runtime.NumCPU(), runtime.Version())
	if cfg.KeepDir || rep.Failed() || err != nil {
		fmt.Printf("torture: store and server log kept in %s\n", rep.Dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "torture:", err)
		os.Exit(2)
	}
	if rep.Failed() {
		os.Exit(1)
	}
}
