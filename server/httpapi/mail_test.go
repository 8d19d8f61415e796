package httpapi

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/mail"

	"github.com/google/uuid"
)

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func startSink(t *testing.T, addr string) *mail.Sink {
	t.Helper()
	sink, err := mail.StartSink(addr, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// fastMail points the service at an SMTP address with short delays.
func fastMail(addr string) func(o *setup) {
	return func(o *setup) {
		o.BaseURL = "http://art60.test:8080"
		o.mail = &mail.Config{Addr: addr, From: "art60 <noreply@onem.test>", TLS: mail.TLSNone,
			Poll: 20 * time.Millisecond, RetryBase: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond}
	}
}

// TestDecisionMailReachesLoopbackSMTP: validating sends the reference
// person a mail with the link to the request and nothing personal.
func TestDecisionMailReachesLoopbackSMTP(t *testing.T) {
	sink := startSink(t, "127.0.0.1:0")
	f := newFixtureWith(t, fastMail(sink.Addr()))
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	sub.Lang = "nl"
	worker.submit(sub)
	decideOK(t, agent, sub.ID, api.DecisionRequest{Outcome: api.StatusCalculated, ContractEnd: ptr("2025-02-03"),
		Remark: "Jean Dupont was ziek"})
	waitFor(t, "the mail", 10*time.Second, func() bool { return len(sink.Messages()) == 1 })
	m := sink.Messages()[0]
	link := "http://art60.test:8080/requests/" + sub.ID
	if len(m.To) != 1 || m.To[0] != sub.ReferenceEmail || len(m.Links) != 1 || m.Links[0] != link ||
		!strings.Contains(m.Subject, sub.ID) || !strings.Contains(m.Subject, "berekend door de RVA") {
		t.Fatalf("mail %+v", m)
	}
	if leak := contains([]byte(m.Raw), nissA, "Jean", "Dupont", "Test worker", "2025-02-03"); leak != "" {
		t.Fatalf("the mail holds %q:\n%s", leak, m.Raw)
	}
	waitFor(t, "the outbox to be marked", 5*time.Second, func() bool {
		pending, _, _ := f.st.MailStats(t.Context())
		return pending == 0
	})
	if !strings.Contains(scrape(t, f), "art60_mail_sent_total 1\n") {
		t.Error("metrics: art60_mail_sent_total is not 1")
	}
}

// TestQuestionMail: an agent's comment tells the reference person, with the
// link and without the comment's text (it may name the person); the CPAS's
// own answers and a retried question send nothing.
func TestQuestionMail(t *testing.T) {
	sink := startSink(t, "127.0.0.1:0")
	f := newFixtureWith(t, fastMail(sink.Addr()))
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	worker.submit(sub)
	path := "/api/v1/requests/" + sub.ID + "/comments"
	question := api.CommentRequest{ID: uuid.NewString(), Text: "Jean Dupont a-t-il travaillé en 2023 ?"}
	for range 2 { // the second is a retry of the same comment
		if res := agent.do("POST", path, question); res.status != 201 && res.status != 200 {
			t.Fatalf("agent posts: %d %s", res.status, res.body)
		}
	}
	if res := worker.do("POST", path, api.CommentRequest{ID: uuid.NewString(), Text: "Oui, chez Interim SA."}); res.status != 201 {
		t.Fatalf("worker answers: %d %s", res.status, res.body)
	}
	waitFor(t, "the mail", 10*time.Second, func() bool { return len(sink.Messages()) == 1 })
	time.Sleep(300 * time.Millisecond) // several polls: nothing more may come
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d mails, want 1 (one question; the retry and the answer send nothing)", n)
	}
	m := sink.Messages()[0]
	if len(m.To) != 1 || m.To[0] != sub.ReferenceEmail || len(m.Links) != 1 ||
		m.Links[0] != "http://art60.test:8080/requests/"+sub.ID || !strings.Contains(m.Subject, "question de l'ONEM") {
		t.Fatalf("mail %+v", m)
	}
	if leak := contains([]byte(m.Raw), nissA, "Jean", "Dupont", "2023", "Interim"); leak != "" {
		t.Fatalf("the mail holds %q:\n%s", leak, m.Raw)
	}
}

// TestDecisionSucceedsWhileSMTPIsDown: with the SMTP server down the
// decision answers at once; the mail goes out once the server is back,
// exactly once.
func TestDecisionSucceedsWhileSMTPIsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	f := newFixtureWith(t, fastMail(addr))
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	worker.submit(sub)
	start := time.Now()
	decideOK(t, agent, sub.ID, api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "pièces manquantes"})
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the decision took %v with SMTP down", d)
	}
	if got := pulled(t, worker, sub.ID); got.Status != api.StatusInvalidated {
		t.Fatalf("status %s", got.Status)
	}
	waitFor(t, "failed attempts", 10*time.Second, func() bool { return f.mailer.Failures() >= 2 })

	sink := startSink(t, addr)
	waitFor(t, "the mail after the server came back", 10*time.Second, func() bool { return len(sink.Messages()) >= 1 })
	time.Sleep(300 * time.Millisecond) // several polls and retry delays: nothing more may come
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d mails, want exactly 1", n)
	}
	if !strings.Contains(sink.Messages()[0].Subject, "invalidée par l'ONEM") {
		t.Fatalf("subject %q", sink.Messages()[0].Subject)
	}
	waitFor(t, "the outbox to be marked", 5*time.Second, func() bool {
		pending, failed, _ := f.st.MailStats(t.Context())
		return pending == 0 && failed == 0
	})
}

// TestDevMailSink: without an SMTP server, the development sink receives
// the mail over SMTP and shows it at /dev/mail (escaped) and
// /dev/mail.json.
func TestDevMailSink(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.sink = true; o.BaseURL = "http://127.0.0.1:8080" })
	worker, agent := f.login("worker-a"), f.login("agent-a")
	sub := submission()
	worker.submit(sub)
	decideOK(t, agent, sub.ID, api.DecisionRequest{Outcome: api.StatusCalculated})
	link := "http://127.0.0.1:8080/requests/" + sub.ID
	var page string
	waitFor(t, "the mail on /dev/mail.json", 10*time.Second, func() bool {
		page = get(t, f.srv.URL+"/dev/mail.json")
		return strings.Contains(page, link)
	})
	html := get(t, f.srv.URL+"/dev/mail")
	if !strings.Contains(html, `<a href="`+link+`">`) || !strings.Contains(html, "calculée par l&#39;ONEM") {
		t.Fatalf("page:\n%s", html)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
