package mail

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	netmail "net/mail"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"art60/server/store"

	gomail "github.com/wneessen/go-mail"
)

// Outbox is what the worker needs of the store.
type Outbox interface {
	DueMail(ctx context.Context, now time.Time, limit int) ([]store.Mail, error)
	MarkMailSent(ctx context.Context, id string, at time.Time) error
	MarkMailRetry(ctx context.Context, id string, next time.Time, reason string) error
	MarkMailFailed(ctx context.Context, id string, at time.Time, reason string) error
}

// batch is how many due mails one pass reads.
const batch = 20

// permanentAttempts: a refusal that SMTP calls permanent (5xx, such as an
// unknown recipient) is tried this many times only, in case the "permanent"
// cause was a passing misconfiguration of the relay.
const permanentAttempts = 3

// Worker delivers the outbox. One worker runs per store (Badger locks its
// directory to one process) and it sends one mail at a time, so no mail is
// sent twice by two senders. A mail is marked sent after the SMTP server
// accepted it; if the process dies between the two, the mail is sent again
// after the restart (at-least-once). Its Message-ID stays the same across
// attempts, so the receiving side can recognise the duplicate.
type Worker struct {
	cfg  Config
	box  Outbox
	log  *slog.Logger
	wake chan struct{}
	stop context.CancelFunc
	done chan struct{}

	mu       sync.Mutex
	accepted map[string]bool // accepted by SMTP, mark not yet stored

	sent, failures atomic.Int64
}

// Start checks the configuration and starts delivering. With no SMTP
// address it returns a nil *Worker, whose methods do nothing: mail then
// waits in the outbox until a server is configured.
func Start(cfg Config, box Outbox, log *slog.Logger) (*Worker, error) {
	w, err := New(cfg, box, log)
	if w == nil || err != nil {
		return w, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.stop, w.done = cancel, make(chan struct{})
	go w.run(ctx)
	return w, nil
}

// New checks the configuration and makes a worker that sends only when
// told (Drain): the Cloudflare Worker's Cron Trigger drains the outbox so,
// where no goroutine outlives a request. With no SMTP address it returns a
// nil *Worker, as Start does.
func New(cfg Config, box Outbox, log *slog.Logger) (*Worker, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	if cfg.Addr == "" {
		log.Warn("no SMTP server configured: notifications wait in the outbox")
		return nil, nil
	}
	done := make(chan struct{})
	close(done) // nothing runs until Start runs it
	return &Worker{cfg: cfg.withDefaults(), box: box, log: log.With("component", "mail"),
		wake: make(chan struct{}, 1), stop: func() {}, done: done, accepted: map[string]bool{}}, nil
}

// Drain sends what is due now, once, and returns: one pass of the worker.
func (w *Worker) Drain(ctx context.Context) {
	if w != nil {
		w.drain(ctx)
	}
}

// Wake makes the worker read the outbox now (after a decision), without
// waiting: a full wake channel already means "read it".
func (w *Worker) Wake() {
	if w == nil {
		return
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Close stops the worker and waits for it. A send in progress is cut; its
// mail stays due.
func (w *Worker) Close() {
	if w == nil {
		return
	}
	w.stop()
	<-w.done
}

// Sent counts mails accepted by the SMTP server since the start.
func (w *Worker) Sent() int64 {
	if w == nil {
		return 0
	}
	return w.sent.Load()
}

// Failures counts failed attempts since the start.
func (w *Worker) Failures() int64 {
	if w == nil {
		return 0
	}
	return w.failures.Load()
}

func (w *Worker) run(ctx context.Context) {
	defer close(w.done)
	for {
		w.drain(ctx)
		t := time.NewTimer(w.cfg.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// drain sends what is due, batch after batch. It stops early when the
// server cannot be reached (the next poll tries again) and on a store
// error (so that a mail that cannot be marked is not retried in a loop).
func (w *Worker) drain(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := w.box.DueMail(ctx, w.cfg.Now(), batch)
		if err != nil {
			w.log.Error("reading the outbox", "err", err)
			return
		}
		for _, m := range due {
			down, err := w.deliver(ctx, m)
			if err != nil {
				w.log.Error("updating the outbox", "mail", m.ID, "err", err)
				return
			}
			if down || ctx.Err() != nil {
				return
			}
		}
		if len(due) < batch {
			return
		}
	}
}

// deliver makes one attempt at one mail and records its outcome. down says
// the server could not be reached at all.
func (w *Worker) deliver(ctx context.Context, m store.Mail) (down bool, err error) {
	if w.isAccepted(m.ID) {
		return false, w.markSent(ctx, m.ID) // sent before, only the mark failed
	}
	msg, err := w.message(m)
	if err != nil {
		reason := redacted(err.Error(), m.To)
		w.log.Error("mail cannot be composed", "mail", m.ID, "err", reason)
		return false, w.box.MarkMailFailed(ctx, m.ID, w.cfg.Now(), reason)
	}
	actx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	err = w.send(actx, msg)
	cancel()
	switch {
	case err == nil:
		w.sent.Add(1)
		w.setAccepted(m.ID)
		return false, w.markSent(ctx, m.ID)
	case ctx.Err() != nil:
		return true, nil // shutting down: the mail stays due
	}
	w.failures.Add(1)
	var dial *dialError
	down = errors.As(err, &dial)
	return down, w.retryOrGiveUp(ctx, m, err)
}

func (w *Worker) retryOrGiveUp(ctx context.Context, m store.Mail, err error) error {
	attempt := m.Attempts + 1
	reason := clip(redacted(err.Error(), m.To))
	var se *gomail.SendError
	permanent := errors.As(err, &se) && !se.IsTemp()
	if attempt >= w.cfg.MaxAttempts || (permanent && attempt >= permanentAttempts) {
		w.log.Error("mail given up", "mail", m.ID, "request", m.RequestID, "attempts", attempt, "err", reason)
		return w.box.MarkMailFailed(ctx, m.ID, w.cfg.Now(), reason)
	}
	next := w.cfg.Now().Add(w.backoff(attempt))
	w.log.Warn("mail not sent, will retry", "mail", m.ID, "attempt", attempt, "next", next.UTC().Format(time.RFC3339), "err", reason)
	return w.box.MarkMailRetry(ctx, m.ID, next, reason)
}

// backoff is the delay after the n-th failed attempt: RetryBase doubled
// n-1 times, at most RetryMax, give or take 20 % so that mails queued
// together do not retry together.
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.RetryBase
	for i := 1; i < n && d < w.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, w.cfg.RetryMax)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (w *Worker) markSent(ctx context.Context, id string) error {
	if err := w.box.MarkMailSent(ctx, id, w.cfg.Now()); err != nil {
		return err
	}
	w.mu.Lock()
	delete(w.accepted, id)
	w.mu.Unlock()
	return nil
}

func (w *Worker) isAccepted(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.accepted[id]
}

func (w *Worker) setAccepted(id string) {
	w.mu.Lock()
	w.accepted[id] = true
	w.mu.Unlock()
}

// message builds the MIME message of an outbox mail.
func (w *Worker) message(m store.Mail) (*gomail.Msg, error) {
	subject, body, err := Compose(m, w.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg()
	if err := msg.From(w.cfg.From); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(subject)
	msg.SetBodyString(gomail.TypeTextPlain, body)
	msg.SetMessageIDWithValue(m.ID + "@" + domainOf(w.cfg.From))
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	return msg, nil
}

func domainOf(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			return d
		}
	}
	return "art60.invalid"
}

// dialError marks a failure to reach or greet the server (connection,
// TLS, authentication), as opposed to a refusal of one message.
type dialError struct{ err error }

func (e *dialError) Error() string { return "connecting to the SMTP server: " + e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// send makes one SMTP exchange for one message. A failed QUIT after the
// server accepted the message does not undo the delivery, so it is not an
// error (DialAndSend would report it and cause a second copy).
func (w *Worker) send(ctx context.Context, msg *gomail.Msg) error {
	c, err := w.client()
	if err != nil {
		return err
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return &dialError{err}
	}
	err = c.SendWithSMTPClient(conn, msg)
	if cerr := c.CloseWithSMTPClient(conn); cerr != nil && err == nil {
		w.log.Debug("SMTP QUIT failed after delivery", "err", cerr)
	}
	return err
}

func (w *Worker) client() (*gomail.Client, error) {
	host, portText, _ := net.SplitHostPort(w.cfg.Addr)
	port, _ := strconv.Atoi(portText)
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(w.cfg.Timeout), gomail.WithHELO(helo())}
	if w.cfg.Dial != nil {
		opts = append(opts, gomail.WithDialContextFunc(w.cfg.Dial))
	}
	switch w.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if w.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(w.cfg.User), gomail.WithPassword(w.cfg.Password))
	}
	return gomail.NewClient(host, opts...)
}

func helo() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}

var addressPattern = regexp.MustCompile(`[^\s<>"'@]+@[^\s<>"']+`)

// clip keeps error texts short and without e-mail addresses (an SMTP
// refusal often quotes the recipient's): they go to logs and the store.
func clip(s string) string {
	s = addressPattern.ReplaceAllString(s, "<address>")
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// redacted hides the recipient's address in a text bound for the log and
// the outbox record: an SMTP answer or a parse error may quote it, and
// logs carry ids, never personal data ("m***@example.be").
func redacted(text, addr string) string {
	if addr == "" {
		return text
	}
	masked := "***"
	if local, domain, ok := strings.Cut(addr, "@"); ok && local != "" {
		masked = local[:1] + "***@" + domain
	}
	return strings.ReplaceAll(text, addr, masked)
}
