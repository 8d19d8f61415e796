// Command bench measures the figures of README "Performance" and prints
// them as one table, each beside its target: the solve of calc, the built
// server under push load (throughput, p99), a new device's pull of about
// -requests requests with decoding, the server's anonymous memory and
// bytes on disk per request after them, the brotli size of app.wasm, and
// what the browser tests log (the list of 10,000 requests, the editor).
// It builds nothing: `make bench` builds first.
//
//	go run ./tools/bench                 # make bench
//	go run ./tools/bench -smoke          # every step once and small (CI), no figure worth keeping
//
// It exits 1 when a step could not run, never because a figure is over
// its target: figures depend on the machine and its load, which the table
// states.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	bin, web string
	requests int // pushed before the pull (at least)
	clients  int
	count    int // runs of the solve benchmark
	browser  bool
	smoke    bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/art60", "the art60 binary (make build)")
	flag.StringVar(&cfg.web, "web", "web", "the server's -web directory (make build)")
	flag.IntVar(&cfg.requests, "requests", 10000, "requests pushed before a new device pulls them all")
	flag.IntVar(&cfg.clients, "clients", 20, "concurrent devices pushing")
	flag.IntVar(&cfg.count, "count", 5, "runs of BenchmarkSolve/200 (the median is kept)")
	flag.BoolVar(&cfg.browser, "browser", true, "run the browser tests that log the list and editor figures")
	flag.BoolVar(&cfg.smoke, "smoke", false, "run every step once and small, to check the tooling (CI)")
	flag.Parse()
	if cfg.smoke {
		cfg.requests, cfg.clients, cfg.count, cfg.browser = 200, 4, 1, false
	}
	t, err := measure(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Print(t)
}

// row is one line of the table.
type row struct {
	what, measured, target string
	ok                     *bool // nil: no verdict
}

type table struct {
	rows                []row
	loadBefore, loadEnd string
	started             time.Time
}

func (t table) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nart60 performance, %s, %d CPUs, load average %s before, %s at the end\n\n",
		t.started.Format("2006-01-02 15:04"), runtime.NumCPU(), t.loadBefore, t.loadEnd)
	b.WriteString("| figure | measured | target | |\n|---|---|---|---|\n")
	for _, r := range t.rows {
		verdict := ""
		if r.ok != nil {
			verdict = "over"
			if *r.ok {
				verdict = "ok"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.what, r.measured, r.target, verdict)
	}
	return b.String()
}

func verdict(ok bool) *bool { return &ok }

func measure(cfg config) (table, error) {
	t := table{loadBefore: loadAverage(), started: time.Now()}
	steps := []func(config, *table) error{solve, wasmSize, serverLoad}
	if cfg.browser {
		steps = append(steps, browserFigures)
	}
	for _, step := range steps {
		if err := step(cfg, &t); err != nil {
			return t, err
		}
	}
	t.loadEnd = loadAverage()
	return t, nil
}

// solve runs BenchmarkSolve/200 count times and keeps the median.
func solve(cfg config, t *table) error {
	args := []string{"test", "-run", "^$", "-bench", "^BenchmarkSolve/200$", "-benchmem", "-count", strconv.Itoa(cfg.count), "./calc/"}
	if cfg.smoke {
		args = append(args, "-benchtime", "1x")
	}
	out, err := run("go", args...)
	if err != nil {
		return fmt.Errorf("calc benchmark: %w\n%s", err, out)
	}
	ns := floats(regexp.MustCompile(`BenchmarkSolve/200-\d+\s+\d+\s+([\d.]+) ns/op`), out)
	if len(ns) == 0 {
		return fmt.Errorf("calc benchmark: no BenchmarkSolve/200 line in\n%s", out)
	}
	us := median(ns) / 1000
	t.rows = append(t.rows, row{fmt.Sprintf("`calc` solve, 200 periods, native (median of %d)", len(ns)),
		fmt.Sprintf("%.0f µs", us), "≤ 50 µs", verdict(us <= 50)})
	return nil
}

// wasmSize reads the size of the brotli wasm that make build wrote.
func wasmSize(cfg config, t *table) error {
	fi, err := os.Stat(filepath.Join(cfg.web, "app.wasm.br"))
	if err != nil {
		return fmt.Errorf("app.wasm.br (make build first): %w", err)
	}
	mb := float64(fi.Size()) / 1e6
	t.rows = append(t.rows, row{"`app.wasm`, brotli", fmt.Sprintf("%.2f MB", mb), "≤ 1.5 MB", verdict(mb <= 1.5)})
	return nil
}

// serverLoad starts the built server on a new store, pushes at least
// cfg.requests requests with server/loadtest, has a new device pull them
// all, then reads the server's anonymous memory and the store's size.
func serverLoad(cfg config, t *table) error {
	dir, err := os.MkdirTemp("", "art60-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	loadtest := filepath.Join(dir, "loadtest")
	if out, err := run("go", "build", "-o", loadtest, "./server/loadtest"); err != nil {
		return fmt.Errorf("build loadtest: %w\n%s", err, out)
	}
	srv, base, err := startServer(cfg, dir)
	if err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	push := func(d time.Duration, pull bool) (string, error) {
		args := []string{"-url", base, "-clients", strconv.Itoa(cfg.clients), "-duration", d.String()}
		if pull {
			args = append(args, "-pull")
		}
		out, err := run(loadtest, args...)
		if err != nil {
			return out, fmt.Errorf("loadtest %v: %w\n%s", args, err, out)
		}
		return out, nil
	}
	first := 3 * time.Second
	if cfg.smoke {
		first = 200 * time.Millisecond
	}
	out, err := push(first, false)
	if err != nil {
		return err
	}
	rate, p99 := firstFloat(`throughput\s+([\d.]+) pushes/s`, out), firstFloat(`p99 ([\d.]+)ms`, out)
	pushed := int(firstFloat(`pushes applied\s+(\d+)`, out))
	if rate < 0 || p99 < 0 || pushed < 0 {
		return fmt.Errorf("loadtest printed no throughput, p99 or pushes applied:\n%s", out)
	}
	for pushed < cfg.requests {
		more := time.Duration(float64(cfg.requests-pushed)/max(rate, 100)*float64(time.Second)) + 100*time.Millisecond
		o, err := push(min(more, 10*time.Second), false)
		if err != nil {
			return err
		}
		applied := int(firstFloat(`pushes applied\s+(\d+)`, o))
		if applied <= 0 {
			return fmt.Errorf("loadtest applied no push:\n%s", o)
		}
		pushed += applied
	}
	out, err = push(50*time.Millisecond, true)
	if err != nil {
		return err
	}
	n, pullMs, wire, ok := pullLine(out)
	if !ok {
		return fmt.Errorf("no pull line in\n%s", out)
	}
	per10k := 10000 / float64(max(n, 1))
	rss, err := rssAnon(srv.Process.Pid)
	if err != nil {
		return err
	}
	disk, err := diskUsage(filepath.Join(dir, "db"))
	if err != nil {
		return err
	}
	t.rows = append(t.rows,
		row{fmt.Sprintf("push throughput, %d clients on loopback, synced writes", cfg.clients), fmt.Sprintf("%.0f pushes/s", rate), "≥ 1,000 pushes/s", verdict(rate >= 1000)},
		row{"push latency p99", fmt.Sprintf("%.1f ms", p99), "≤ 50 ms", verdict(p99 <= 50)},
		row{fmt.Sprintf("new device's pull, server and decoding in Go (%d requests, scaled to 10,000)", n),
			fmt.Sprintf("%.0f ms (%.0f ms measured)", pullMs*per10k, pullMs), "≤ 300 ms", verdict(pullMs*per10k <= 300)},
		row{"the same pull, bytes on the wire (zstd; the load tool's requests are near copies, so they compress better than real ones)",
			fmt.Sprintf("%.2f MB per 10,000", wire*per10k), "≤ 10 MB", verdict(wire*per10k <= 10)},
		row{fmt.Sprintf("server `RssAnon` after %d requests and the pull (target for 100,000)", n), fmt.Sprintf("%.0f MB", float64(rss)/1e6), "≤ 100 MB", verdict(rss <= 100e6)},
		row{fmt.Sprintf("store on disk per request (%d requests, blocks used)", n), fmt.Sprintf("%.1f KB", float64(disk)/float64(max(n, 1))/1e3), "≤ 3 KB", verdict(float64(disk)/float64(max(n, 1)) <= 3e3)},
	)
	return nil
}

// pullLine reads loadtest's pull report: requests, milliseconds, MB on
// the wire.
func pullLine(out string) (n int, ms, wire float64, ok bool) {
	m := regexp.MustCompile(`pull of everything by a new device: (\d+) requests in \d+ pages, ([\d.]+)(ms|s|µs) .*?([\d.]+) MB on the wire`).FindStringSubmatch(out)
	if m == nil {
		return 0, 0, 0, false
	}
	n, _ = strconv.Atoi(m[1])
	ms, _ = strconv.ParseFloat(m[2], 64)
	switch m[3] {
	case "s":
		ms *= 1000
	case "µs":
		ms /= 1000
	}
	wire, _ = strconv.ParseFloat(m[4], 64)
	return n, ms, wire, true
}

// startServer runs the built binary with the demo accounts on a free
// loopback port over a new store in dir and waits for /healthz.
func startServer(cfg config, dir string) (*exec.Cmd, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(cfg.bin, "serve", "-addr", addr, "-demo", "-web", cfg.web,
		"-data", filepath.Join(dir, "db"), "-key-file", filepath.Join(dir, "key"))
	cmd.Env = append(os.Environ(), "ART60_QUOTA_REQUESTS=0")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s (make build first): %w", cfg.bin, err)
	}
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd, base, nil
			}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, "", fmt.Errorf("the server did not answer /healthz within 30 s:\n%s", logs.String())
}

// browserLog is what browserFigures reads in the browser tests' log: the
// lines their t.Logf print.
var browserLog = []struct {
	what, re, target string
	limit            float64
}{
	{"list of 10,000 requests in IndexedDB: shown after a click on Requests", `list shown in ([\d.]+) ms`, "≤ 1,000 ms", 1000},
	{"the same list filtered by name", `filter by name in ([\d.]+) ms`, "≤ 50 ms", 50},
	{"editor, input to result, p95, V2 case", `\.go:\d+: input-to-result latency over \d+ edits: p50 [\d.]+ ms, p95 ([\d.]+) ms`, "≤ 16 ms", 16},
	{"editor, input to result, p95, 150 rows", `150 rows: input-to-result latency over \d+ edits: p50 [\d.]+ ms, p95 ([\d.]+) ms`, "≤ 33 ms", 33},
}

// browserFigures runs the browser tests that log the list, editor and
// start figures, and reads them from their log.
func browserFigures(cfg config, t *table) error {
	out, err := run("go", "test", "-count=1", "-timeout", "10m", "-v", "-run",
		"^(TestTenThousandRequestsListAtOnce|TestEditorV2|TestEditorManyRows|TestStartTime)$", "./e2e/")
	if err != nil {
		return fmt.Errorf("browser tests: %w\n%s", err, out)
	}
	add := func(what, re, target string, limit float64) {
		v := firstFloat(re, out)
		if v < 0 {
			t.rows = append(t.rows, row{what, "not in the log", target, nil})
			return
		}
		t.rows = append(t.rows, row{what, fmt.Sprintf("%.0f ms", v), target, verdict(v <= limit)})
	}
	for _, f := range browserLog {
		add(f.what, f.re, f.target, f.limit)
	}
	t.rows = append(t.rows, startRow(out))
	return nil
}

// startLine is what e2e/TestStartTime logs: medians of 5, in ms.
const startLine = `start: first load cold ([\d.]+) ms, reload from the service worker ([\d.]+) ms`

// startRow is the row of the app's start, read from TestStartTime's log.
func startRow(out string) row {
	const what, target = "first load cold / reload from the service worker (median of 5)", "≤ 0.6 s / ≤ 0.2 s"
	m := regexp.MustCompile(startLine).FindStringSubmatch(out)
	if m == nil {
		return row{what, "not in the log", target, nil}
	}
	cold, _ := strconv.ParseFloat(m[1], 64)
	warm, _ := strconv.ParseFloat(m[2], 64)
	return row{what, fmt.Sprintf("%.2f s / %.2f s", cold/1000, warm/1000), target, verdict(cold <= 600 && warm <= 200)}
}

// run runs a command and returns its combined output.
func run(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

// floats returns the first group of every match of re in s.
func floats(re *regexp.Regexp, s string) []float64 {
	var out []float64
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		if v, err := strconv.ParseFloat(m[1], 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// firstFloat is the first group of the first match of re in s, −1 without one.
func firstFloat(re, s string) float64 {
	if v := floats(regexp.MustCompile(re), s); len(v) > 0 {
		return v[0]
	}
	return -1
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// rssAnon reads a process's anonymous resident memory in bytes.
func rssAnon(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			return n * 1024, err
		}
	}
	return 0, errors.New("no RssAnon in /proc/PID/status")
}

// diskUsage is the bytes of disk blocks the files under dir use (Badger
// preallocates its value log sparsely: the apparent size says little).
func diskUsage(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var st syscall.Stat_t
		if err := syscall.Stat(path, &st); err != nil {
			return err
		}
		total += st.Blocks * 512
		return nil
	})
	return total, err
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
