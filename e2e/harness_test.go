// Package e2e drives the built art60 binary and PWA in real Chromium.
// `make test` builds bin/art60 and web/ first; with CI=true a missing
// browser or build is a failure, never a skip.
package e2e

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// root is the repository root (tests run in e2e/).
var root, _ = filepath.Abs("..")

// need fails in CI and skips elsewhere when a prerequisite is missing.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (CI=true: browser tests never skip)", what)
	}
	t.Skipf("%s is missing; run `make test`", what)
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// server is one art60 child process.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	Addr string
	Data string // data directory, kept across restarts
	Web  string
	args []string // more flags for serve
	out  *strings.Builder
}

// startServer runs bin/art60 serve on a free port with a fresh data
// directory, and waits for /healthz.
func startServer(t *testing.T) *server {
	t.Helper()
	return startServerWith(t)
}

// startServerWith is startServer with more flags for serve.
func startServerWith(t *testing.T, args ...string) *server {
	t.Helper()
	bin := filepath.Join(root, "bin", "art60")
	need(t, exists(bin) && exists(filepath.Join(root, "web", "app.wasm")), "bin/art60 and web/app.wasm (make build)")
	s := &server{t: t, Data: t.TempDir(), Web: filepath.Join(root, "web"), Addr: freeAddr(t), args: args}
	s.URL = "http://" + s.Addr
	s.Start()
	t.Cleanup(func() { s.Stop() })
	return s
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Start (re)starts the process on the same address and data. The process
// inherits the environment, so ART60_STORE=sqlite runs the browser tests on
// the SQLite store (make e2e-sqlite).
func (s *server) Start() {
	s.t.Helper()
	s.out = &strings.Builder{}
	s.cmd = exec.Command(filepath.Join(root, "bin", "art60"), "serve",
		"-addr", s.Addr, "-web", s.Web,
		"-data", filepath.Join(s.Data, "db"), "-key-file", filepath.Join(s.Data, "key"), "-demo")
	s.cmd.Args = append(s.cmd.Args, s.args...)
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.URL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server did not become healthy:\n%s", s.out)
}

// Kill ends the process with SIGKILL, as a crash or a power cut would.
func (s *server) Kill() {
	if s.cmd == nil || s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// Stop sends SIGTERM and waits: a graceful shutdown must exit 0.
func (s *server) Stop() {
	if s.cmd == nil || s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			s.t.Errorf("server did not exit cleanly on SIGTERM: %v\n%s", err, s.out)
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		s.t.Errorf("server ignored SIGTERM for 20s")
	}
}

// browser is one headless Chromium with its own profile, kept across server
// restarts so the service worker and IndexedDB survive like on a laptop.
type browser struct {
	ctx     context.Context
	console *consoleLog
}

type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

func (c *consoleLog) add(s string) { c.mu.Lock(); c.lines = append(c.lines, s); c.mu.Unlock() }

// Matching returns the lines containing sub.
func (c *consoleLog) Matching(sub string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, l := range c.lines {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return out
}

func chromiumPath() string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" && exists(p) {
			return p
		}
	}
	return ""
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	return newBrowserOn(t, tempProfile(t))
}

// tempProfile is a fresh Chromium profile directory, removed when the test
// ends (after the browsers on it, whose cleanups run first). Not
// t.TempDir: Chromium may still be writing its profile for a moment after
// the context ends, and TempDir fails a test that cannot remove it.
func tempProfile(t *testing.T) string {
	t.Helper()
	profile, err := os.MkdirTemp("", "art60-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return profile
}

// newBrowserOn starts Chromium on the profile directory, which may hold
// the service worker, IndexedDB and cookies of an earlier Chromium (see
// kill). Chromium gets its own process group so kill reaches every one of
// its processes and nothing else.
func newBrowserOn(t *testing.T, profile string) *browser {
	t.Helper()
	path := chromiumPath()
	need(t, path != "", "Chromium (apt-get install chromium)")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			// Pdeathsig as chromedp's default: Chromium dies with the test.
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
		}),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelB()
		cancelA()
	})
	b := &browser{ctx: ctx, console: &consoleLog{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			b.console.add(string(ev.Type) + ": " + strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			b.console.add("exception: " + ev.ExceptionDetails.Error())
		case *log.EventEntryAdded:
			b.console.add(string(ev.Entry.Level) + " [" + string(ev.Entry.Source) + "]: " + ev.Entry.Text)
		case *page.EventJavascriptDialogOpening:
			// "Leave the page?" while a device write is in flight: a test
			// that navigates answers Leave, as a hurried user would.
			if ev.Type == page.DialogTypeBeforeunload {
				b.console.add("beforeunload dialog: leave")
				go chromedp.Run(ctx, page.HandleJavaScriptDialog(true))
			}
		}
	})
	if err := chromedp.Run(ctx, log.Enable(), runtime.Enable()); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

// kill ends this Chromium as a crash or the task manager would: SIGKILL
// to every process of its group (browser, renderers, network and storage
// services), so nothing is flushed or closed on the way out. It returns
// once none of them runs.
func (b *browser) kill(t *testing.T) {
	t.Helper()
	pgid := b.pgid(t)
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill Chromium: %v", err)
	}
	waitGone(t, pgid)
}

// close quits this Chromium as a person does (Browser.close: the profile
// is written out) and returns once none of its processes runs.
func (b *browser) close(t *testing.T) {
	t.Helper()
	pgid := b.pgid(t)
	if err := chromedp.Cancel(b.ctx); err != nil {
		t.Fatalf("close Chromium: %v", err)
	}
	waitGone(t, pgid)
}

// pgid is the process group of this Chromium (newBrowserOn gives it its own).
func (b *browser) pgid(t *testing.T) int {
	t.Helper()
	c := chromedp.FromContext(b.ctx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		t.Fatal("Chromium: no process")
	}
	return c.Browser.Process().Pid
}

// waitGone waits until no process of the group runs: a new Chromium on the
// same profile would otherwise hand its work to the old one.
func waitGone(t *testing.T, pgid int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); groupAlive(pgid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Chromium: a process of its group still runs after 20 s")
		}
	}
}

// groupAlive says whether a process of the group runs (a zombie, dead
// but not yet reaped, does not).
func groupAlive(pgid int) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
		fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
		if len(fields) > 2 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" {
			return true
		}
	}
	return false
}

// newTab opens a second tab in the same browser (same profile, same
// service worker and IndexedDB). Its first Run must use the tab's own
// context: chromedp closes a tab when the context that created it ends.
func (b *browser) newTab(t *testing.T) *browser {
	t.Helper()
	tab, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Run(tab, runtime.Enable()); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return &browser{ctx: tab, console: b.console}
}

// Run runs actions with a time limit, failing the test with the console on error.
func (b *browser) Run(t *testing.T, what string, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v\n%s\nbrowser console:\n%s", what, err, b.failureShot(t), strings.Join(b.console.Matching(""), "\n"))
	}
}

// failureShot saves what the page showed when a step failed, as
// e2e/artifacts/failed-<test>.png, and says where the page was: a step
// that times out on a loaded machine is otherwise hard to tell from a bug.
func (b *browser) failureShot(t *testing.T) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	var png []byte
	var where string
	if err := chromedp.Run(ctx, chromedp.Location(&where), chromedp.FullScreenshot(&png, 80)); err != nil {
		return "no screenshot of the failure: " + err.Error()
	}
	name := "failed-" + strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()) + ".png"
	path := filepath.Join(root, "e2e", "artifacts", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err.Error()
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return err.Error()
	}
	return "the page was at " + where + "; screenshot: " + path
}

// Open navigates to url and waits until the wasm app has started.
func (b *browser) Open(t *testing.T, url string) {
	t.Helper()
	b.Run(t, "open "+url, chromedp.Navigate(url), waitReady())
}

// waitReady waits for the marker only the running wasm sets.
func waitReady() chromedp.Action {
	return chromedp.WaitVisible(`html[data-art60="ready"] main`, chromedp.ByQuery)
}

// Eval evaluates JavaScript (awaiting promises) into out.
func Eval(expr string, out any) chromedp.Action {
	return chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})
}

// Screenshot saves a full-page PNG under e2e/artifacts, kept as a test artifact.
func (b *browser) Screenshot(t *testing.T, name string) string {
	t.Helper()
	var png []byte
	b.Run(t, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	dir := filepath.Join(root, "e2e", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// noCSPViolations fails the test if the console reported any.
func (b *browser) noCSPViolations(t *testing.T) {
	t.Helper()
	if v := b.console.Matching("Content Security Policy"); len(v) > 0 {
		t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
	}
}

// atDate makes every page this tab opens next live on day iso (10:00 UTC,
// the clock running on from there): Go's time in wasm reads Date, so the
// app's today is that day while the server keeps its own clock.
func (b *browser) atDate(t *testing.T, iso string) {
	t.Helper()
	script := `(() => {
		const shift = new Date("` + iso + `T10:00:00Z").getTime() - Date.now();
		const Real = Date;
		class Shifted extends Real {
			constructor(...args) { if (args.length === 0) { super(Real.now() + shift); } else { super(...args); } }
			static now() { return Real.now() + shift; }
		}
		globalThis.Date = Shifted;
	})();`
	b.Run(t, "live on "+iso, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(script).Do(ctx)
		return err
	}))
}
