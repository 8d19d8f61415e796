package mail

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"net/smtp"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"art60/server/store"
	"art60/server/store/badgerstore"

	emsmtp "github.com/emersion/go-smtp"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestComposeEveryLanguage(t *testing.T) {
	const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
	for _, lang := range []string{"fr", "nl", "de", "en", "", "xx"} {
		for _, outcome := range []string{"calculated", "invalidated"} {
			m := store.Mail{Template: store.TemplateDecision, Outcome: outcome, Lang: lang, RequestID: id}
			subject, body, err := Compose(m, "https://art60.example/")
			if err != nil {
				t.Fatal(err)
			}
			link := "https://art60.example/requests/" + id
			if !strings.Contains(subject, id) || !strings.Contains(body, "\n"+link+"\n") || strings.Contains(subject+body, "%") {
				t.Errorf("%s %s: %q\n%s", lang, outcome, subject, body)
			}
		}
	}
	for _, lang := range []string{"fr", "nl", "de", "en", "xx"} {
		m := store.Mail{Template: store.TemplateQuestion, Lang: lang, RequestID: id}
		subject, body, err := Compose(m, "https://art60.example")
		if err != nil || !strings.Contains(subject, id) || !strings.Contains(body, "\nhttps://art60.example/requests/"+id+"\n") ||
			strings.Contains(subject+body, "%") {
			t.Errorf("question %s: %v %q\n%s", lang, err, subject, body)
		}
	}
	_, body, _ := Compose(store.Mail{Template: store.TemplateDecision, Outcome: "invalidated", Lang: "xx", RequestID: "r"}, "")
	if !strings.Contains(body, "invalidée") || !strings.Contains(body, "remarques") {
		t.Errorf("unknown language is not French: %s", body)
	}
	if _, _, err := Compose(store.Mail{Template: "newsletter"}, ""); err == nil {
		t.Error("unknown template composed")
	}
	if _, _, err := Compose(store.Mail{Template: store.TemplateDecision, Outcome: "sent"}, ""); err == nil {
		t.Error("unknown outcome composed")
	}
}

func TestConfigCheck(t *testing.T) {
	ok := Config{Addr: "smtp.example:587", From: "art60 <noreply@example.org>"}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]Config{
		"no port":           {Addr: "smtp.example", From: ok.From},
		"no sender":         {Addr: ok.Addr},
		"bad TLS":           {Addr: ok.Addr, From: ok.From, TLS: "ssl3"},
		"user, no password": {Addr: ok.Addr, From: ok.From, User: "u"},
		"base URL not HTTP": {Addr: ok.Addr, From: ok.From, BaseURL: "ftp://x"},
		"port out of range": {Addr: "smtp.example:70000", From: ok.From},
	} {
		if c.Check() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if (&Config{}).Check() != nil {
		t.Error("no SMTP server is a valid configuration")
	}
}

func TestBackoff(t *testing.T) {
	w := &Worker{cfg: Config{RetryBase: time.Second, RetryMax: time.Minute}.withDefaults()}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 7: time.Minute, 40: time.Minute} {
		for range 20 {
			if d := w.backoff(n); d < want*8/10 || d > want*12/10 {
				t.Errorf("attempt %d: %v, want %v ± 20%%", n, d, want)
			}
		}
	}
}

// outbox opens a real store with n decision mails queued.
func outbox(t *testing.T, n int) *badgerstore.Badger { return outboxAt(t, n, nil) }

// outboxAt is outbox on a store whose clock is now (nil: the wall clock).
func outboxAt(t *testing.T, n int, now func() time.Time) *badgerstore.Badger {
	t.Helper()
	st, err := badgerstore.Open(badgerstore.Config{Dir: filepath.Join(t.TempDir(), "db"), Key: bytes.Repeat([]byte{3}, 32),
		Logger: quiet(), GCInterval: -1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i := range n {
		m := store.Mail{ID: "m" + string(rune('a'+i)), To: "referent@cpas.example", Template: store.TemplateDecision,
			Outcome: "calculated", Lang: "fr", RequestID: "0f8fad5b-d9cb-469f-a165-70867728950e"}
		if err := st.EnqueueMail(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func sink(t *testing.T) *Sink {
	t.Helper()
	s, err := StartSink("127.0.0.1:0", quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func fast(addr string) Config {
	return Config{Addr: addr, From: "art60 <noreply@onem.test>", TLS: TLSNone, BaseURL: "http://x",
		Poll: 10 * time.Millisecond, RetryBase: 20 * time.Millisecond, RetryMax: 50 * time.Millisecond}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func stats(t *testing.T, st *badgerstore.Badger) (int64, int64) {
	p, f, err := st.MailStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, f
}

// TestWorkerSendsEachMailOnce: every queued mail arrives once, with a
// stable Message-ID and the auto-reply guards, and is marked sent.
func TestWorkerSendsEachMailOnce(t *testing.T) {
	st, s := outbox(t, 3), sink(t)
	w, err := Start(fast(s.Addr()), st, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	waitUntil(t, "3 mails marked sent", func() bool { p, _ := stats(t, st); return p == 0 })
	time.Sleep(100 * time.Millisecond) // more polls: nothing is sent again
	msgs := s.Messages()
	if len(msgs) != 3 || w.Sent() != 3 {
		t.Fatalf("%d messages, %d sent", len(msgs), w.Sent())
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.MessageID] = true
		if !strings.HasSuffix(m.MessageID, "@onem.test>") || !strings.Contains(m.Raw, "Auto-Submitted: auto-generated") ||
			m.From != "noreply@onem.test" || !strings.Contains(m.Subject, "calculée par l'ONEM") {
			t.Errorf("%+v", m)
		}
	}
	if len(seen) != 3 {
		t.Errorf("message ids %v", seen)
	}
}

// TestWorkerRetriesTemporaryRefusals: a 451 is retried with backoff until
// accepted; the mail arrives once.
func TestWorkerRetriesTemporaryRefusals(t *testing.T) {
	st, s := outbox(t, 1), sink(t)
	s.mu.Lock()
	s.refuse, s.refuseCode = 2, 451
	s.mu.Unlock()
	w, err := Start(fast(s.Addr()), st, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	waitUntil(t, "the mail", func() bool { return len(s.Messages()) == 1 })
	waitUntil(t, "the mark", func() bool { p, _ := stats(t, st); return p == 0 })
	if w.Failures() != 2 || len(s.Messages()) != 1 {
		t.Fatalf("%d failures, %d messages", w.Failures(), len(s.Messages()))
	}
}

// TestWorkerGivesUpOnPermanentRefusals: a 550 is tried three times, then
// the mail is kept as failed and no longer sent.
func TestWorkerGivesUpOnPermanentRefusals(t *testing.T) {
	st, s := outbox(t, 1), sink(t)
	s.mu.Lock()
	s.refuse, s.refuseCode = 100, 550
	s.mu.Unlock()
	w, err := Start(fast(s.Addr()), st, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	waitUntil(t, "the mail to be given up", func() bool { _, f := stats(t, st); return f == 1 })
	time.Sleep(100 * time.Millisecond)
	if p, _ := stats(t, st); p != 0 || w.Failures() != permanentAttempts {
		t.Fatalf("pending %d, %d failures", p, w.Failures())
	}
}

// stamps is the outbox with a record of the times the worker gives it.
type stamps struct {
	*badgerstore.Badger
	mu          sync.Mutex
	sent, retry []time.Time
}

func (s *stamps) MarkMailSent(ctx context.Context, id string, at time.Time) error {
	s.mu.Lock()
	s.sent = append(s.sent, at)
	s.mu.Unlock()
	return s.Badger.MarkMailSent(ctx, id, at)
}

func (s *stamps) MarkMailRetry(ctx context.Context, id string, next time.Time, reason string) error {
	s.mu.Lock()
	s.retry = append(s.retry, next)
	s.mu.Unlock()
	return s.Badger.MarkMailRetry(ctx, id, next, reason)
}

// TestWorkerRunsOnTheClockItIsGiven: with the store and the worker on one
// clock years away from the wall clock (the service hands its clock to
// both), a mail queued by that clock is found due, its retry is scheduled
// and found by it, and it is stamped sent by it.
func TestWorkerRunsOnTheClockItIsGiven(t *testing.T) {
	for _, start := range []time.Time{time.Date(2031, 6, 15, 8, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 8, 0, 0, 0, time.UTC)} {
		t.Run(start.Format("2006"), func(t *testing.T) {
			wall := time.Now()
			clock := func() time.Time { return start.Add(time.Since(wall)) }
			box, s := &stamps{Badger: outboxAt(t, 1, clock)}, sink(t)
			s.mu.Lock()
			s.refuse, s.refuseCode = 1, 451
			s.mu.Unlock()
			cfg := fast(s.Addr())
			cfg.Now = clock
			w, err := Start(cfg, box, quiet())
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			waitUntil(t, "the mail marked sent", func() bool { p, _ := stats(t, box.Badger); return p == 0 })
			box.mu.Lock()
			defer box.mu.Unlock()
			if len(s.Messages()) != 1 || len(box.retry) != 1 || len(box.sent) != 1 {
				t.Fatalf("%d messages, retries %v, sent %v", len(s.Messages()), box.retry, box.sent)
			}
			for _, at := range append(box.retry, box.sent...) {
				if at.Year() != start.Year() {
					t.Errorf("stamped %s, want a time in %d", at, start.Year())
				}
			}
		})
	}
}

// TestNoServerConfigured: without an address nothing runs and the mail
// waits in the outbox.
func TestNoServerConfigured(t *testing.T) {
	st := outbox(t, 1)
	w, err := Start(Config{}, st, quiet())
	if err != nil || w != nil {
		t.Fatalf("%v %v", w, err)
	}
	w.Wake()
	w.Close()
	if p, _ := stats(t, st); p != 1 {
		t.Fatalf("pending %d", p)
	}
}

// TestSinkPageEscapes: whatever a message holds is shown as text.
func TestSinkPageEscapes(t *testing.T) {
	s := sink(t)
	msg := "From: <a@b.example>\r\nTo: <c@d.example>\r\nSubject: <script>alert(1)</script>\r\n\r\n" +
		"<img src=x onerror=alert(2)> see http://x/requests/1\r\n"
	if err := smtp.SendMail(s.Addr(), nil, "a@b.example", []string{"c@d.example"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/dev/mail", nil))
	page := rec.Body.String()
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img") || !strings.Contains(page, "&lt;script&gt;") ||
		!strings.Contains(page, `<a href="http://x/requests/1">`) {
		t.Fatalf("page:\n%s", page)
	}
	if _, err := StartSink("0.0.0.0:0", quiet()); err == nil {
		t.Error("the sink listens beyond loopback")
	}
}

var _ emsmtp.Session = (*sinkSession)(nil)

// TestNoDowngrade: STARTTLS required (the default) against a server that
// does not offer it sends nothing in clear text, and so does a login
// against a server without AUTH; the attempt is a failure to retry.
func TestNoDowngrade(t *testing.T) {
	for name, cfg := range map[string]func(c *Config){
		"STARTTLS required": func(c *Config) { c.TLS = TLSStartTLS },
		"login required":    func(c *Config) { c.User, c.Password = "art60", "secret" },
	} {
		t.Run(name, func(t *testing.T) {
			st, s := outbox(t, 1), sink(t)
			c := fast(s.Addr())
			cfg(&c)
			w, err := Start(c, st, quiet())
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			waitUntil(t, "a failed attempt", func() bool { return w.Failures() >= 1 })
			if n := len(s.Messages()); n != 0 {
				t.Fatalf("%d messages went through", n)
			}
		})
	}
}

func TestClipHidesAddresses(t *testing.T) {
	got := clip(`550 5.1.1 <jean.dupont@cpas.example>: Recipient address rejected`)
	if strings.Contains(got, "jean") || !strings.Contains(got, "<<address>>") {
		t.Fatalf("%q", got)
	}
}

// TestLogsNeverCarryTheRecipient: an error that quotes the address is
// logged and kept with the address masked.
func TestLogsNeverCarryTheRecipient(t *testing.T) {
	got := redacted(`550 5.1.1 <marie.dupont@cpas.example>: recipient rejected (marie.dupont@cpas.example)`, "marie.dupont@cpas.example")
	if strings.Contains(got, "marie.dupont") || !strings.Contains(got, "m***@cpas.example") {
		t.Errorf("redacted: %q", got)
	}
	if redacted("no address here", "") != "no address here" {
		t.Error("an empty address changed the text")
	}
}

// A worker made by New sends only when drained (the Worker's Cron
// Trigger), once per due mail, through the dial function it is given (the
// Worker's socket API); a second pass finds nothing due.
func TestOneDrainSendsWhatIsDueThroughTheDialItIsGiven(t *testing.T) {
	st, s := outbox(t, 3), sink(t)
	cfg := fast(s.Addr())
	var dials atomic.Int64
	cfg.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	w, err := New(cfg, st, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	time.Sleep(50 * time.Millisecond) // five polls of a started worker: nothing may go out undrained
	if len(s.Messages()) != 0 {
		t.Fatal("a worker made by New sent without being drained")
	}
	w.Drain(t.Context())
	if p, _ := stats(t, st); p != 0 || len(s.Messages()) != 3 || dials.Load() != 3 {
		t.Fatalf("after one pass: %d pending, %d received, %d dials", p, len(s.Messages()), dials.Load())
	}
	w.Drain(t.Context())
	if len(s.Messages()) != 3 {
		t.Fatalf("a second pass sent again: %d received", len(s.Messages()))
	}
}
