package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/backend"

	"github.com/google/uuid"
)

type config struct {
	clients  int
	duration time.Duration
	url      string
	dataDir  string
	store    string // badger or sqlite (stores.Badger, stores.SQLite)
	minRate  float64
	maxP99   time.Duration
	pull     bool // then time a new device's full pull
	requests int  // stop after this many pushes in all (0: only the duration bounds the run)
	// child runs the server in a child process: the generator's CPU and
	// garbage stay out of the server's process, but two Go runtimes share
	// the two cores, which measured no better.
	child bool
}

// report is what a run measured.
type report struct {
	clients   int
	store     string
	elapsed   time.Duration
	pushes    int
	failures  int
	latencies []time.Duration // sorted
	firstErr  string
	loadavg   string // of the machine before the run: other work skews the figures
	pulled    *pullReport
}

func (r report) rate() float64 { return float64(r.pushes) / r.elapsed.Seconds() }

func (r report) pct(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(float64(len(r.latencies))*p))]
}

func (r report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "push load test: %s store, %d clients, %s, %d CPUs, synced writes, load average before: %s\n",
		r.store, r.clients, r.elapsed.Round(time.Millisecond), runtime.NumCPU(), r.loadavg)
	fmt.Fprintf(&b, "  pushes applied  %d (%d failed)\n", r.pushes, r.failures)
	fmt.Fprintf(&b, "  throughput      %.0f pushes/s\n", r.rate())
	fmt.Fprintf(&b, "  latency         p50 %s  p90 %s  p99 %s  max %s\n", ms(r.pct(.5)), ms(r.pct(.9)), ms(r.pct(.99)), ms(r.pct(1)))
	if r.firstErr != "" {
		fmt.Fprintf(&b, "  first failure   %s\n", r.firstErr)
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func (r report) meets(cfg config) bool {
	return r.failures == 0 && (cfg.minRate == 0 || r.rate() >= cfg.minRate) && (cfg.maxP99 == 0 || r.pct(.99) <= cfg.maxP99)
}

func run(cfg config) (report, error) {
	if cfg.clients < 1 || cfg.duration <= 0 {
		return report{}, errors.New("need -clients ≥ 1 and a positive -duration")
	}
	base := cfg.url
	if base == "" {
		start := startServer
		if cfg.child {
			start = startChild
		}
		stop, url, err := start(cfg.dataDir, cfg.store)
		if err != nil {
			return report{}, err
		}
		defer stop()
		base = url
	}
	hc, err := signIn(base, cfg.clients)
	if err != nil {
		return report{}, err
	}
	load := loadAverage()
	rep := push(hc, base, cfg)
	rep.loadavg, rep.store = load, cfg.store
	if cfg.url != "" {
		rep.store = "remote"
	}
	if cfg.pull {
		p, err := pullAll(hc, base)
		if err != nil {
			return rep, err
		}
		rep.pulled = &p
	}
	return rep, nil
}

// dataDir is dir, or a new temporary directory that cleanup removes.
func dataDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "art60-loadtest-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// startChild runs this program again with -serve and waits for its address.
// The child learns the kind of store from ART60_STORE, as art60 serve does.
func startChild(dir, kind string) (func(), string, error) {
	dir, cleanup, err := dataDir(dir)
	if err != nil {
		return nil, "", err
	}
	self, err := os.Executable()
	if err != nil {
		cleanup()
		return nil, "", err
	}
	cmd := exec.Command(self, "-serve", dir)
	cmd.Env = append(os.Environ(), "ART60_STORE="+kind)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		cleanup()
		return nil, "", err
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		cleanup()
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on "); ok && err == nil {
		return stop, addr, nil
	}
	stop()
	return nil, "", fmt.Errorf("the server did not start: %q %v", line, err)
}

// serveChild is the child process: it serves until interrupted.
func serveChild(dir string) error {
	stop, url, err := startServer(dir, os.Getenv("ART60_STORE"))
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", url)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	<-ch
	stop()
	return nil
}

// startServer serves the API on a loopback port over a new store.
func startServer(dir, kind string) (func(), string, error) {
	dir, cleanup, err := dataDir(dir)
	if err != nil {
		return nil, "", err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})) // the new key is expected
	svc, err := backend.Open(backend.Options{DataDir: filepath.Join(dir, "db"), Store: kind, KeyFile: filepath.Join(dir, "key"),
		CreateKey: true, Demo: true, DemoOut: io.Discard, Logger: log})
	if err != nil {
		cleanup()
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		svc.Close()
		cleanup()
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", svc.Handler())
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return func() { srv.Close(); svc.Close(); cleanup() }, "http://" + ln.Addr().String(), nil
}

// signIn opens one session of the demo worker that every device shares.
func signIn(base string, clients int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	body, _ := json.Marshal(api.LoginRequest{Login: admin.DemoWorker, Password: admin.DemoPassword})
	status, res, err := post(hc, base+"/api/v1/session", body)
	if err != nil {
		return nil, err
	}
	if status != 200 {
		return nil, fmt.Errorf("sign-in: %d %s", status, res)
	}
	return hc, nil
}

func post(hc *http.Client, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// push runs the devices until the deadline and gathers their latencies.
func push(hc *http.Client, base string, cfg config) report {
	var mu sync.Mutex
	rep := report{clients: cfg.clients}
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var sent atomic.Int64
	more := func() bool {
		return time.Now().Before(deadline) && (cfg.requests == 0 || sent.Add(1) <= int64(cfg.requests))
	}
	var wg sync.WaitGroup
	for d := range cfg.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat, fails, firstErr := device(hc, base, fmt.Sprintf("load-%d-%s", d, uuid.NewString()[:8]), more)
			mu.Lock()
			rep.latencies = append(rep.latencies, lat...)
			rep.failures += fails
			if rep.firstErr == "" {
				rep.firstErr = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	rep.elapsed = time.Since(start)
	rep.pushes = len(rep.latencies)
	slices.Sort(rep.latencies)
	return rep
}

// device pushes one new request at a time, as a PWA flushing its outbox,
// while more says so.
func device(hc *http.Client, base, clientID string, more func() bool) ([]time.Duration, int, string) {
	var lat []time.Duration
	fails, firstErr := 0, ""
	for m := int64(1); more(); m++ {
		body := pushBody(clientID, m)
		t0 := time.Now()
		status, res, err := post(hc, base+"/api/v1/sync/push", body)
		d := time.Since(t0)
		if err == nil && status == 200 && bytes.Contains(res, []byte(`"outcome":"applied"`)) {
			lat = append(lat, d)
			continue
		}
		fails++
		if firstErr == "" {
			firstErr = fmt.Sprintf("%d %v %s", status, err, res)
		}
	}
	return lat, fails, firstErr
}

// pushBody is a realistic small request: example V2 of RULES.md (one past
// job before the contract), with a NISS.
func pushBody(clientID string, mutationID int64) []byte {
	sub := api.Submission{ID: uuid.NewString(), Kind: api.KindInitial, ReferenceEmail: "referent@cpas.example",
		Case: json.RawMessage(`{"person":{"niss":"98060100132","birthDate":"1998-06-01"},` +
			`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},` +
			`"periods":[{"kind":"work","from":"2023-01-02","to":"2023-06-30","daysPerWeek":5,"q":38,"s":38,"country":"BE"}],` +
			`"options":{"claimDays":"mon-sat"}}`)}
	b, _ := json.Marshal(api.PushRequest{ClientID: clientID, SchemaVersion: api.SchemaVersion,
		Mutations: []api.Mutation{{MutationID: mutationID, Op: api.OpSubmit, Request: &sub}}})
	return b
}

// loadAverage is the 1-minute load average, or "?" off Linux.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
