package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store/d1"
)

// testAddrHeader names the client address a test request pretends to come
// from. Only the test server below reads it: the service trusts no header
// (clientAddr).
const testAddrHeader = "X-Test-Client-Addr"

// addrServer serves the fixture's API with each request's peer address
// taken from testAddrHeader, as if the connection came from there.
func addrServer(f *fixture) *httptest.Server {
	h := f.svc.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get(testAddrHeader); a != "" {
			r.RemoteAddr = net.JoinHostPort(a, "40000")
		}
		h.ServeHTTP(w, r)
	}))
	f.t.Cleanup(srv.Close)
	return srv
}

// signIn posts a sign-in from addr; the answer is checked against the
// OpenAPI document. It may run in any goroutine.
func signIn(t *testing.T, srv *httptest.Server, addr, login, pw string) (int, http.Header) {
	body, _ := json.Marshal(api.LoginRequest{Login: login, Password: pw})
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(testAddrHeader, addr)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Errorf("sign-in from %s: %v", addr, err)
		return 0, nil
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	checkOpenAPI(t, req, res, out)
	return res.StatusCode, res.Header
}

// burst sends n wrong sign-ins for login from addr at once and returns the
// count of each status.
func burst(t *testing.T, srv *httptest.Server, n int, addr, login string, done *atomic.Int64) map[int]int {
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			st, _ := signIn(t, srv, addr, login, "wrong "+strconv.Itoa(i))
			mu.Lock()
			counts[st]++
			mu.Unlock()
			if done != nil {
				done.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	return counts
}

// eachFailureLog runs a throttle test with the failures kept in memory (the
// Go server) and in the D1 store's table (the Worker; here on the D1
// store's SQLite executor, whose batches run as D1 runs them).
func eachFailureLog(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Run("in memory", func(t *testing.T) { test(t, newFixture(t)) })
	t.Run("in D1", func(t *testing.T) {
		x, err := d1.OpenSQLite(filepath.Join(t.TempDir(), "d1.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		st, err := d1.Open(context.Background(), d1.Config{Exec: x, Key: bytes.Repeat([]byte{5}, 32), Logger: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		test(t, newFixtureWith(t, func(o *setup) { o.Failures = st }))
	})
}

// TestParallelGuessesCannotPassTheThrottleTogether: 100 wrong passwords
// sent at once from one address for one account are counted before any is
// hashed, so at most the per-account-and-address limit of them are checked
// (401) and the others are refused at once (429).
func TestParallelGuessesCannotPassTheThrottleTogether(t *testing.T) {
	eachFailureLog(t, func(t *testing.T, f *fixture) {
		counts := burst(t, addrServer(f), 100, "192.0.2.10", "worker-a", nil)
		if counts[401] > maxFailsPerPair || counts[401]+counts[429] != 100 {
			t.Fatalf("statuses %v, want at most %d × 401 and the rest 429", counts, maxFailsPerPair)
		}
	})
}

// TestOwnerSignsInDuringABurstOfGuesses: while one address sends 200 wrong
// passwords for an account, its owner signs in from another address at
// once and in under a second: the lockout falls on the guessing address.
func TestOwnerSignsInDuringABurstOfGuesses(t *testing.T) {
	eachFailureLog(t, func(t *testing.T, f *fixture) {
		srv := addrServer(f)
		quiet := time.Now()
		if st, _ := signIn(t, srv, "198.51.100.8", "worker-b", password); st != 200 {
			t.Fatalf("sign-in before the burst: %d", st)
		}
		t.Logf("a sign-in without a burst: %v", time.Since(quiet))
		var done atomic.Int64
		var counts map[int]int
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			counts = burst(t, srv, 200, "192.0.2.66", "worker-a", &done)
		}()
		time.Sleep(20 * time.Millisecond) // the burst is in flight
		begun, before := time.Now(), done.Load()
		status, _ := signIn(t, srv, "198.51.100.7", "worker-a", password)
		took := time.Since(begun)
		t.Logf("owner's sign-in: %d in %v; of the burst's 200, %d were answered when it began, %d when it ended",
			status, took, before, done.Load())
		<-finished
		if status != 200 || took > time.Second {
			t.Fatalf("owner's sign-in during the burst: %d after %v", status, took)
		}
		if counts[401] > maxFailsPerPair || counts[401]+counts[429] != 200 {
			t.Fatalf("burst statuses %v", counts)
		}
	})
}

// TestAccountSlowsDownUnderGuessesFromManyAddresses: guesses from many
// addresses pass the per-address limits, so the account itself slows them:
// after the free failures each attempt waits a delay that doubles, for
// everyone; once the delay has passed its owner signs in.
func TestAccountSlowsDownUnderGuessesFromManyAddresses(t *testing.T) {
	eachFailureLog(t, func(t *testing.T, f *fixture) {
		srv := addrServer(f)
		base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		now := base
		f.setNow(func() time.Time { return now })
		for i := range freeFailsPerAccount {
			if st, _ := signIn(t, srv, "203.0.113."+strconv.Itoa(i+1), "worker-a", "wrong"); st != 401 {
				t.Fatalf("guess %d: %d", i, st)
			}
		}
		for k, want := range []int{1, 2, 4} {
			st, h := signIn(t, srv, "198.51.100.7", "worker-a", password)
			if st != 429 || h.Get("Retry-After") != strconv.Itoa(want) {
				t.Fatalf("owner after %d guesses: %d, Retry-After %q, want 429 and %d", freeFailsPerAccount+k, st, h.Get("Retry-After"), want)
			}
			now = now.Add(time.Duration(want) * time.Second)
			if st, _ := signIn(t, srv, "203.0.113.100", "worker-a", "wrong"); st != 401 {
				t.Fatalf("guess after the delay: %d", st)
			}
		}
		now = now.Add(8 * time.Second)
		if st, _ := signIn(t, srv, "198.51.100.7", "worker-a", password); st != 200 {
			t.Fatalf("owner once the delay passed: %d", st)
		}
	})
}

// TestAddressLimitCoversUnknownLogins: one address guessing unknown logins
// is stopped after the per-address limit, and IPv6 addresses of one /64
// count as one.
func TestAddressLimitCoversUnknownLogins(t *testing.T) {
	eachFailureLog(t, func(t *testing.T, f *fixture) {
		srv := addrServer(f)
		for i := range maxFailsPerAddress {
			if st, _ := signIn(t, srv, "2001:db8:1:2::"+strconv.FormatInt(int64(i+1), 16), "nobody-"+strconv.Itoa(i), "x"); st != 401 {
				t.Fatalf("guess %d: %d", i, st)
			}
		}
		if st, h := signIn(t, srv, "2001:db8:1:2:ffff::1", "nobody-else", "x"); st != 429 || h.Get("Retry-After") == "" {
			t.Fatalf("after %d guesses from one /64: %d", maxFailsPerAddress, st)
		}
		f.login("worker-a") // another address (127.0.0.1) is not concerned
	})
}

// TestHashingQueueIsBounded: with every hashing slot taken, at most
// hashQueue sign-ins wait; the others are refused at once with 503 busy and
// Retry-After, and the waiting ones go through once the slots free up.
func TestHashingQueueIsBounded(t *testing.T) {
	f := newFixture(t)
	srv := addrServer(f)
	g := f.svc.throttle.gate
	for i := range hashWorkers {
		if err := g.enter(context.Background(), "holder "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	const n = hashQueue + 20
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			st, h := signIn(t, srv, "192.0.2."+strconv.Itoa(i+1), "nobody-"+strconv.Itoa(i), "x")
			if st == 503 && h.Get("Retry-After") != "1" {
				t.Errorf("503 with Retry-After %q", h.Get("Retry-After"))
			}
			statuses <- st
		})
	}
	refused := 0
	for range n - hashQueue {
		if st := <-statuses; st != 503 {
			t.Fatalf("with the slots taken, an answer before the queue drained: %d", st)
		}
		refused++
	}
	for i := range hashWorkers {
		g.release("holder " + strconv.Itoa(i))
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != 401 {
			t.Fatalf("a queued sign-in ended with %d", st)
		}
	}
	t.Logf("%d refused at once, %d waited and were checked", refused, hashQueue)
}

// TestHashGateHonoursTheContext: a sign-in waiting for a hashing slot, or
// for its address's turn, stops waiting when its client leaves, and a full
// queue refuses at once.
func TestHashGateHonoursTheContext(t *testing.T) {
	g := newHashGate(1, 1)
	bg := context.Background()
	if err := g.enter(bg, "a"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	queued, sameAddr := make(chan error), make(chan error)
	go func() { queued <- g.enter(ctx, "b") }()
	go func() { sameAddr <- g.enter(ctx, "a") }()
	for g.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := g.enter(bg, "c"); !errors.Is(err, errHashBusy) {
		t.Fatalf("full queue: %v", err)
	}
	cancel()
	for _, ch := range []chan error{queued, sameAddr} {
		if err := <-ch; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled wait: %v", err)
		}
	}
	g.release("a")
	if err := g.enter(bg, "c"); err != nil {
		t.Fatalf("free slot: %v", err)
	}
	g.release("c")
	if g.users("a")+g.users("c") != 0 || len(g.slots) != 0 || g.waiting.Load() != 0 {
		t.Fatalf("gate not empty: %d slots, %d waiting", len(g.slots), g.waiting.Load())
	}
}

// TestOneAddressHasOneTurnAtATime: a second check from an address waits
// for the first, without taking the other worker nor a place in the queue.
func TestOneAddressHasOneTurnAtATime(t *testing.T) {
	g := newHashGate(2, 0)
	bg := context.Background()
	if err := g.enter(bg, "a"); err != nil {
		t.Fatal(err)
	}
	second := make(chan error)
	go func() { second <- g.enter(bg, "a") }()
	for g.users("a") < 2 {
		time.Sleep(time.Millisecond)
	}
	if err := g.enter(bg, "b"); err != nil {
		t.Fatalf("another address, the other worker: %v", err)
	}
	g.release("a")
	if err := <-second; err != nil {
		t.Fatalf("the address's second check: %v", err)
	}
	g.release("a")
	g.release("b")
}

// users counts the attempts of addr in the gate or waiting for its turn.
func (g *hashGate) users(addr string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if tr := g.turns[addr]; tr != nil {
		return tr.users
	}
	return 0
}
