// Package harness is the crash-torture run behind `make torture`: it starts
// the real art60 binary on a throw-away store, drives workers, agents and
// uploads against it over HTTP on 127.0.0.1, kills it with SIGKILL at random
// moments, restarts it on the same data and checks after each restart that
// every acknowledged write is there exactly once and nothing is half-written.
// The logic is a package so that a Go test runs a short version in CI.
package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"art60/server/admin"
)

// Config of a run.
type Config struct {
	Bin         string        // the art60 binary (make build writes bin/art60)
	Web         string        // its -web directory
	Trials      int           // how many times the server is killed
	MaxDuration time.Duration // the whole run stops by itself after this
	MaxUp       time.Duration // the server runs a random 5–100 % of this before each kill
	Workers     int           // worker devices pushing
	Agents      int           // agents deciding and commenting
	Seed        uint64        // 0: from the clock
	Log         io.Writer     // a line per trial; nil: quiet
	KeepDir     bool          // keep the data directory and server log
}

// Report is what a run found.
type Report struct {
	Trials                                   int
	Pushes, Decisions, Comments, Attachments int // acknowledged writes by kind
	Lost, Doubled, Inconsistent              int
	Problems                                 []string // the first 50, for the log
	// Mail cannot be checked strictly (see checkMail): these are figures.
	DecisionMails, DecisionMailsSeen int
	Duration                         time.Duration
	StoppedEarly                     bool // MaxDuration came before Trials
	Dir                              string
	Seed                             uint64
}

// Acknowledged is the number of writes the server acknowledged.
func (r Report) Acknowledged() int { return r.Pushes + r.Decisions + r.Comments + r.Attachments }

// Failed says whether any write was lost, doubled or half-present.
func (r Report) Failed() bool { return r.Lost+r.Doubled+r.Inconsistent > 0 }

func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trials %d, writes acknowledged %d (pushes %d, decisions %d, comments %d, attachments %d), lost %d, doubled %d, inconsistent %d, duration %s",
		r.Trials, r.Acknowledged(), r.Pushes, r.Decisions, r.Comments, r.Attachments, r.Lost, r.Doubled, r.Inconsistent, r.Duration.Round(time.Second))
	fmt.Fprintf(&b, "\ndecision mails seen at the dev sink: %d of %d (not a pass/fail figure: the sink keeps mail in memory only)", r.DecisionMailsSeen, r.DecisionMails)
	if r.StoppedEarly {
		b.WriteString("\nstopped by -max-duration before all trials ran")
	}
	for _, p := range r.Problems {
		b.WriteString("\n  " + p)
	}
	return b.String()
}

type problemKind int

const (
	kindLost problemKind = iota
	kindDoubled
	kindInconsistent
)

// harness holds the run's state. The ledger of acknowledged writes is
// written by the actors while the server runs and read by verify while they
// are stopped; mu guards it anyway.
type harness struct {
	cfg Config
	srv *server
	rng *rand.Rand

	mu          sync.Mutex
	rep         Report
	seen        map[string]bool   // problem keys already counted: each fault counts once
	requests    map[string]bool   // acknowledged pushes, by request id
	decisions   map[string]string // acknowledged decisions: request id → remark
	comments    map[string]string // acknowledged comments: comment id → request id
	attachments map[string][]byte // acknowledged uploads: sha256 → content
	fresh       []string          // requests acknowledged since the last check (read back as the agent)
	freshFiles  []string
	mails       map[string]bool // decision mails seen at the sink, by request id
	mailIDs     map[string]bool // Message-IDs already counted

	devices []*device
	agents  []*agent
	admin   *client
	audit   auditTally
}

// Run runs the torture and returns its report; the error is for a run that
// could not be carried out (no binary, a server that does not start).
func Run(ctx context.Context, cfg Config) (Report, error) {
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxDuration)
	defer cancel()
	// Trials start only in the first 85 % of the time: the rest is for the
	// final drain and checks, so the run ends by itself within MaxDuration.
	lastStart := began.Add(cfg.MaxDuration * 85 / 100)

	h, err := newHarness(cfg)
	if err != nil {
		return Report{}, err
	}
	defer h.close()
	srv := h.srv

	if err := srv.start(); err != nil {
		return h.rep, err
	}
	if err := h.signIn(ctx); err != nil {
		return h.rep, err
	}
	for trial := 1; trial <= cfg.Trials; trial++ {
		if time.Now().After(lastStart) || ctx.Err() != nil {
			h.rep.StoppedEarly = true
			break
		}
		up := cfg.MaxUp/20 + time.Duration(h.rng.Int64N(int64(cfg.MaxUp*19/20)))
		h.work(ctx, up, true)
		h.rep.Trials++
		if err := srv.start(); err != nil {
			return h.rep, err
		}
		if err := h.verify(ctx); err != nil {
			return h.rep, fmt.Errorf("trial %d: %w", trial, err)
		}
		fmt.Fprintf(cfg.Log, "trial %d: killed after %s; %s\n", trial, up.Round(time.Millisecond), h.summary())
	}

	// Drain: no more kills; the outboxes, the decisions and comments cut by
	// the last kill go through (each must land exactly once), new work
	// stops, then everything is checked once more with the mail worker given
	// time to deliver what the crashes left pending.
	for _, d := range h.devices {
		d.made = perTrial
	}
	for range 10 {
		if h.idle() || ctx.Err() != nil {
			break
		}
		h.work(ctx, 2*time.Second, false)
	}
	if !h.idle() {
		h.problem(kindInconsistent, "drain", "writes still unacknowledged after 20 s without kills")
	}
	if err := h.verify(ctx); err != nil {
		return h.rep, fmt.Errorf("final check: %w", err)
	}
	h.checkMail(ctx)
	if err := srv.stop(); err != nil {
		h.problem(kindInconsistent, "stop", err.Error())
	}
	h.rep.Duration = time.Since(began)
	return h.rep, nil
}

func newHarness(cfg Config) (*harness, error) {
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	dir, err := os.MkdirTemp("", "art60-torture-")
	if err != nil {
		return nil, err
	}
	srv, err := newServer(cfg.Bin, cfg.Web, dir)
	if err != nil {
		return nil, err
	}
	h := &harness{cfg: cfg, srv: srv, rng: rand.New(rand.NewPCG(cfg.Seed, 1)), seen: map[string]bool{},
		requests: map[string]bool{}, decisions: map[string]string{}, comments: map[string]string{},
		attachments: map[string][]byte{}, mails: map[string]bool{}, mailIDs: map[string]bool{}}
	h.rep.Dir, h.rep.Seed = dir, cfg.Seed
	return h, nil
}

// close kills the server and removes its data unless asked to keep it or
// the run failed (then the store and its log are the evidence).
func (h *harness) close() {
	h.srv.kill()
	h.srv.log.Close()
	if !h.cfg.KeepDir && !h.rep.Failed() {
		os.RemoveAll(h.rep.Dir)
	}
}

func (h *harness) signIn(ctx context.Context) error {
	for i := range h.cfg.Workers {
		d := &device{c: newClient(h, admin.DemoWorker, admin.DemoPassword), id: fmt.Sprintf("torture-%d", i),
			rng: rand.New(rand.NewPCG(h.rng.Uint64(), uint64(i))), spread: max(50, int(h.cfg.MaxUp.Milliseconds())/perTrial)}
		h.devices = append(h.devices, d)
	}
	for i := range h.cfg.Agents {
		h.agents = append(h.agents, &agent{c: newClient(h, admin.DemoAgent, admin.DemoAgentPass), index: i, of: h.cfg.Agents,
			rng: rand.New(rand.NewPCG(h.rng.Uint64(), uint64(100+i)))})
	}
	h.admin = newClient(h, admin.DemoAdmin, admin.DemoAdminPass)
	clients := []*client{h.admin}
	for _, d := range h.devices {
		clients = append(clients, d.c)
	}
	for _, a := range h.agents {
		clients = append(clients, a.c)
	}
	for _, c := range clients {
		if err := c.signIn(ctx); err != nil {
			return err
		}
	}
	return nil
}

// work runs every actor and the mail watcher for up, then kills the
// server with SIGKILL (kill) or leaves it running, and waits for the actors
// to stop. The kill comes while they are in the middle of their calls.
func (h *harness) work(ctx context.Context, up time.Duration, kill bool) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, d := range h.devices {
		if kill {
			d.made = 0
		}
		wg.Go(func() { d.run(ctx, stop) })
	}
	for _, a := range h.agents {
		wg.Go(func() { a.run(ctx, stop) })
	}
	wg.Go(func() { h.watchMail(ctx, stop) })
	sleep(ctx, up)
	if kill {
		h.srv.kill()
	}
	close(stop)
	wg.Wait()
}

// idle says whether no write waits for an answer.
func (h *harness) idle() bool {
	for _, d := range h.devices {
		if len(d.outbox) > 0 {
			return false
		}
	}
	for _, a := range h.agents {
		if a.decision != nil || a.comment != nil {
			return false
		}
	}
	return true
}

func (h *harness) problem(kind problemKind, key, msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen[key] {
		return
	}
	h.seen[key] = true
	label := [...]string{"lost", "doubled", "inconsistent"}[kind]
	switch kind {
	case kindLost:
		h.rep.Lost++
	case kindDoubled:
		h.rep.Doubled++
	default:
		h.rep.Inconsistent++
	}
	if len(h.rep.Problems) < 50 {
		h.rep.Problems = append(h.rep.Problems, fmt.Sprintf("trial %d: %s: %s", h.rep.Trials, label, msg))
	}
	fmt.Fprintf(h.cfg.Log, "PROBLEM (trial %d) %s: %s\n", h.rep.Trials, label, msg)
}

func (h *harness) ackPush(id string, files []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.requests[id] {
		h.requests[id] = true
		h.rep.Pushes++
		h.fresh = append(h.fresh, id)
	}
}

func (h *harness) ackDecision(id, remark string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.decisions[id] = remark
	h.rep.Decisions++
}

func (h *harness) ackComment(commentID, requestID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.comments[commentID]; !ok {
		h.comments[commentID] = requestID
		h.rep.Comments++
	}
}

func (h *harness) ackAttachment(sum string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.attachments[sum]; !ok {
		h.attachments[sum] = data
		h.rep.Attachments++
		h.freshFiles = append(h.freshFiles, sum)
	}
}

func (h *harness) summary() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return fmt.Sprintf("acknowledged %d (pushes %d, decisions %d, comments %d, files %d), lost %d, doubled %d, inconsistent %d",
		h.rep.Acknowledged(), h.rep.Pushes, h.rep.Decisions, h.rep.Comments, h.rep.Attachments, h.rep.Lost, h.rep.Doubled, h.rep.Inconsistent)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
