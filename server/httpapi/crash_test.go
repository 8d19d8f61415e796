package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/store"
)

// child is a server process on a data directory.
type child struct {
	cmd  *exec.Cmd
	base string
}

func buildTestServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "testserver")
	out, err := exec.Command("go", "build", "-o", bin, "art60/server/httpapi/internal/testserver").CombinedOutput()
	if err != nil {
		t.Fatalf("build test server: %v\n%s", err, out)
	}
	return bin
}

func startChild(t *testing.T, bin, dir, key string) *child {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-data", dir, "-key-file", key, "-demo")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "listening on "); ok {
			go io.Copy(io.Discard, out)
			return &child{cmd: cmd, base: addr}
		}
	}
	t.Fatal("the server did not start")
	return nil
}

// pusher is one device pushing new requests, one mutation per push.
type pusher struct {
	http     *http.Client
	base     string
	clientID string
}

type ack struct {
	clientID string
	push     api.PushRequest
	body     []byte
}

func newPusher(t *testing.T, base string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body, _ := json.Marshal(api.LoginRequest{Login: admin.DemoWorker, Password: admin.DemoPassword})
	res, err := post(c, base+"/api/v1/session", body)
	if err != nil || res.status != 200 {
		t.Fatalf("login: %v %v", err, res)
	}
	return c
}

type rawResponse struct {
	status int
	body   []byte
}

func post(c *http.Client, url string, body []byte) (rawResponse, error) {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		return rawResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return rawResponse{status: res.StatusCode, body: b}, err
}

// TestCrashKeepsAcknowledgedPushes: a server process takes concurrent
// pushes and is killed with SIGKILL in the middle; after a restart on the
// same directory every push answered 2xx is there, none twice, and
// replaying any of them gets the very answer first given.
func TestCrashKeepsAcknowledgedPushes(t *testing.T) {
	bin := buildTestServer(t)
	root := t.TempDir()
	dir, key := filepath.Join(root, "db"), filepath.Join(root, "key")
	first := startChild(t, bin, dir, key)
	httpc := newPusher(t, first.base)

	var mu sync.Mutex
	var acked, unanswered []ack
	var count atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for d := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := pusher{http: httpc, base: first.base, clientID: fmt.Sprintf("device-%d", d)}
			for m := int64(1); ; m++ {
				select {
				case <-stop:
					return
				default:
				}
				a, ok := p.pushOne(m)
				mu.Lock()
				if ok {
					acked = append(acked, a)
				} else {
					unanswered = append(unanswered, a)
				}
				mu.Unlock()
				if !ok {
					return // the server is gone
				}
				count.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(time.Minute); count.Load() < 300; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d pushes acknowledged in a minute", count.Load())
		}
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	close(stop)
	wg.Wait()
	t.Logf("%d pushes acknowledged before SIGKILL, %d in flight", len(acked), len(unanswered))

	second := startChild(t, bin, dir, key)
	verifyAfterCrash(t, second.base, acked, unanswered)
	second.cmd.Process.Signal(syscall.SIGTERM)
	if err := second.cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
}

func (p pusher) pushOne(m int64) (ack, bool) {
	sub := submission()
	push := pushOf(p.clientID, m, sub)
	body, _ := json.Marshal(push)
	res, err := post(p.http, p.base+"/api/v1/sync/push", body)
	a := ack{clientID: p.clientID, push: push, body: res.body}
	return a, err == nil && res.status == 200
}

func verifyAfterCrash(t *testing.T, base string, acked, unanswered []ack) {
	httpc := newPusher(t, base)
	for _, a := range acked {
		body, _ := json.Marshal(a.push)
		res, err := post(httpc, base+"/api/v1/sync/push", body)
		if err != nil || res.status != 200 || !bytes.Equal(res.body, a.body) {
			t.Fatalf("replay of an acknowledged push: %v %d %s, first answer %s", err, res.status, res.body, a.body)
		}
	}
	ids := snapshot(t, httpc, base)
	for _, a := range acked {
		if ids[a.push.Mutations[0].Request.ID] != 1 {
			t.Fatalf("acknowledged request %s stored %d times", a.push.Mutations[0].Request.ID, ids[a.push.Mutations[0].Request.ID])
		}
	}
	for id, n := range ids {
		if n != 1 {
			t.Fatalf("request %s stored %d times", id, n)
		}
	}
	// The pushes cut by the crash can be retried: each lands exactly once.
	for _, a := range unanswered {
		body, _ := json.Marshal(a.push)
		if res, err := post(httpc, base+"/api/v1/sync/push", body); err != nil || res.status != 200 {
			t.Fatalf("retry of an unanswered push: %v %d %s", err, res.status, res.body)
		}
	}
	ids = snapshot(t, httpc, base)
	if want := len(acked) + len(unanswered); len(ids) != want {
		t.Fatalf("%d requests after retries, want %d", len(ids), want)
	}
	submits := submitsByRequest(t, base)
	for id := range ids {
		if submits[id] != 1 {
			t.Fatalf("request %s was applied %d times", id, submits[id])
		}
	}
	if len(submits) != len(ids) {
		t.Fatalf("%d submitted requests in the audit trail, %d stored", len(submits), len(ids))
	}
}

// snapshot counts the requests of the demo CPAS by id, from a full pull.
func snapshot(t *testing.T, c *http.Client, base string) map[string]int {
	t.Helper()
	ids := map[string]int{}
	cursor := ""
	for {
		res, err := c.Get(base + "/api/v1/sync/pull?schemaVersion=2&cursor=" + cursor)
		if err != nil {
			t.Fatal(err)
		}
		var p api.PullReply
		err = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("pull: %d %v", res.StatusCode, err)
		}
		for _, r := range p.Requests {
			ids[r.ID]++
		}
		cursor = p.Cursor
		if !p.More {
			return ids
		}
	}
}

// submitsByRequest counts the submit entries of the audit trail per request:
// a request applied twice would show two.
func submitsByRequest(t *testing.T, base string) map[string]int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(api.LoginRequest{Login: admin.DemoAdmin, Password: admin.DemoAdminPass})
	if res, err := post(c, base+"/api/v1/session", body); err != nil || res.status != 200 {
		t.Fatalf("admin login: %v %v", err, res)
	}
	n := map[string]int{}
	for after := int64(0); ; {
		res, err := c.Get(fmt.Sprintf("%s/api/v1/admin/audit?limit=5000&after=%d", base, after))
		if err != nil {
			t.Fatal(err)
		}
		var page AuditReply
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			if e.Action == store.ActionRequestSubmit {
				n[e.RequestID]++
			}
		}
		if len(page.Entries) == 0 {
			return n
		}
		after = page.Next
	}
}
