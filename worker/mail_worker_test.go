//go:build worker && !(js && wasm)

package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/contract"
	"art60/server/mail"
)

// TestTheCronTriggerSendsTheOutboxOverATCPSocket runs against the Worker
// under wrangler dev --local --test-scheduled that make worker-mail starts
// (ART60_WORKER_URL), whose SMTP server (the var ART60_SMTP_ADDR) is the
// in-repo sink this test listens with on loopback (ART60_WORKER_SMTP). A
// decision queues a mail; the 5-minute trigger sends it once through the
// Workers socket API; the daily trigger runs the retention pass without an
// error (the Worker's log, ART60_WORKER_LOG). It builds only with -tags
// worker, so that the other runs neither skip it nor need Node.
func TestTheCronTriggerSendsTheOutboxOverATCPSocket(t *testing.T) {
	base, smtpAddr, logFile := os.Getenv("ART60_WORKER_URL"), os.Getenv("ART60_WORKER_SMTP"), os.Getenv("ART60_WORKER_LOG")
	if base == "" || smtpAddr == "" || logFile == "" {
		t.Fatal("ART60_WORKER_URL, ART60_WORKER_SMTP and ART60_WORKER_LOG must be set: make worker-mail starts the Worker and runs this test against it")
	}
	sink, err := mail.StartSink(smtpAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	id := contract.Decide(t, base, admin.DemoAdmin, admin.DemoAdminPass)
	trigger(t, base, "*/5 * * * *")
	got := waitForMail(t, sink, id)
	if len(got.To) != 1 || got.To[0] != "referent@cpas.example" || !strings.Contains(got.Subject, "calculée par l'ONEM") {
		t.Errorf("the mail: to %v, subject %q", got.To, got.Subject)
	}
	trigger(t, base, "*/5 * * * *")
	trigger(t, base, "30 2 * * *")
	if n := countFor(sink, id); n != 1 {
		t.Errorf("%d copies of the decision's mail after three passes, want 1", n)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		log, _ := os.ReadFile(logFile)
		if strings.Contains(string(log), `"msg":"retention"`) {
			if strings.Contains(string(log), `"level":"ERROR"`) {
				t.Errorf("the Worker logged an error:\n%s", log)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no retention line in the Worker's log after the daily trigger:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// trigger runs a Cron Trigger through wrangler's test route.
func trigger(t *testing.T, base, cron string) {
	t.Helper()
	resp, err := http.Get(base + "/__scheduled?cron=" + url.QueryEscape(cron))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("trigger %q: %s", cron, resp.Status)
	}
}

func waitForMail(t *testing.T, sink *mail.Sink, requestID string) mail.Received {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		for _, m := range sink.Messages() {
			if strings.Contains(m.Body, requestID) {
				return m
			}
		}
		select {
		case <-sink.Changed():
		case <-deadline:
			t.Fatalf("no mail for request %s reached the SMTP listener", requestID)
		}
	}
}

func countFor(sink *mail.Sink, requestID string) int {
	n := 0
	for _, m := range sink.Messages() {
		if strings.Contains(m.Body, requestID) {
			n++
		}
	}
	return n
}
