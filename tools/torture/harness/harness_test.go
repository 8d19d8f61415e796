package harness

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFiveKillsLoseNoAcknowledgedWrite is the short version of `make
// torture` that CI runs: five SIGKILLs of the built binary under load, each
// followed by the full check. It needs bin/art60 and web/ from `make build`
// (make test builds them before the unit tests); without them it skips,
// except in CI, where a skip would hide that the check never ran.
func TestFiveKillsLoseNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server process five times")
	}
	bin, web := built(t)
	rep, err := Run(context.Background(), Config{Bin: bin, Web: web, Trials: 5, MaxDuration: 50 * time.Second,
		MaxUp: time.Second, Workers: 3, Agents: 2, Log: testWriter{t}})
	t.Log(rep)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("store and server log kept in %s", rep.Dir)
	}
	if rep.Trials != 5 || rep.Pushes == 0 || rep.Decisions == 0 || rep.Comments == 0 || rep.Attachments == 0 {
		t.Errorf("the run did too little to prove anything: %d trials, %d pushes, %d decisions, %d comments, %d files",
			rep.Trials, rep.Pushes, rep.Decisions, rep.Comments, rep.Attachments)
	}
}

// TestTheCheckCountsWritesThatAreNotThere: the check is not blind. A
// ledger that claims a request, a decision, a comment and a file the server
// never acknowledged gets each counted as lost, and a device whose view
// holds a request the server does not have is counted as inconsistent.
func TestTheCheckCountsWritesThatAreNotThere(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	bin, web := built(t)
	h, err := newHarness(Config{Bin: bin, Web: web, Workers: 1, Agents: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	ctx := context.Background()
	if err := h.srv.start(); err != nil {
		t.Fatal(err)
	}
	if err := h.signIn(ctx); err != nil {
		t.Fatal(err)
	}
	d := h.devices[0]
	d.outbox = append(d.outbox, d.newPending())
	if !d.push(ctx) || h.rep.Pushes != 1 {
		t.Fatalf("a push was not acknowledged: %+v", h.rep)
	}
	ghost := "00000000-0000-4000-8000-000000000001"
	h.ackPush(ghost, nil)
	h.ackDecision(h.fresh[0], "never sent")
	h.ackComment("00000000-0000-4000-8000-000000000002", ghost)
	h.ackAttachment("0000000000000000000000000000000000000000000000000000000000000003", []byte("%PDF-"))
	if err := h.verify(ctx); err != nil {
		t.Fatal(err)
	}
	if h.rep.Lost != 4 || h.rep.Doubled != 0 || h.rep.Inconsistent != 0 {
		t.Errorf("lost %d, doubled %d, inconsistent %d; want 4 lost: %v", h.rep.Lost, h.rep.Doubled, h.rep.Inconsistent, h.rep.Problems)
	}
	d.view[ghost] = 1
	if err := h.verify(ctx); err != nil {
		t.Fatal(err)
	}
	if h.rep.Inconsistent != 1 {
		t.Errorf("inconsistent %d, want 1 for the device's extra request: %v", h.rep.Inconsistent, h.rep.Problems)
	}
	h.rep = Report{} // the faults above were planted: keep close() from keeping the directory
}

// built finds bin/art60 and web/ from make build.
func built(t *testing.T) (bin, web string) {
	root, _ := filepath.Abs("../../..")
	bin, web = filepath.Join(root, "bin", "art60"), filepath.Join(root, "web")
	_, errBin := os.Stat(bin)
	_, errWeb := os.Stat(filepath.Join(web, "app.wasm")) // the server refuses to start without it
	if errBin != nil || errWeb != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("bin/art60 and web/ are needed: run make build first")
		}
		t.Skip("no bin/art60 or web/app.wasm: run make build first")
	}
	return bin, web
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}
