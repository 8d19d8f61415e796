// Package mail delivers the store's outbox over SMTP (github.com/wneessen/go-mail):
// a worker reads the due mail, sends each message, marks it sent once the
// SMTP server accepted it, and retries failures with exponential backoff.
// It also holds the texts of the messages, in four languages, and a
// development sink: a real SMTP server on loopback that keeps what it
// receives and shows it on a page.
package mail

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"
)

// TLS modes of the connection to the SMTP server.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (the default)
	TLSImplicit      = "tls"           // TLS from the first byte (SMTPS, usually port 465)
	TLSOpportunistic = "opportunistic" // STARTTLS when offered, else plain
	TLSNone          = "none"          // plain text: loopback or a trusted relay only
)

// Config says how to reach the SMTP server and how to retry.
type Config struct {
	Addr     string // host:port of the SMTP server; "" sends nothing: mail waits in the outbox
	From     string // sender, e.g. "art60 <noreply@cpas.example>"
	User     string // optional SMTP authentication
	Password string
	TLS      string // TLSStartTLS (when ""), TLSImplicit, TLSOpportunistic or TLSNone
	// BaseURL starts the link in each message: BaseURL + "/requests/{id}".
	BaseURL string

	// Timing; zero means the default.
	Poll        time.Duration // outbox read interval when nothing wakes the worker (10 s)
	RetryBase   time.Duration // delay after the first failure (30 s), doubled at each one
	RetryMax    time.Duration // longest delay between attempts (1 h)
	MaxAttempts int           // attempts before giving up on a mail (50, about two days)
	Timeout     time.Duration // one SMTP exchange (30 s)

	// Dial, when set, opens the connection to Addr in place of the
	// operating system's TCP (the Worker's socket API, worker/main.go);
	// with TLSImplicit it must return a TLS connection itself.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)

	// Now is the clock that says which mail is due and stamps attempts:
	// the service's clock (httpapi.Deps.Now), so that the outbox's
	// times agree with the decisions that queued the mail; nil is the
	// wall clock. The poll interval and the SMTP timeout are durations
	// and run on timers.
	Now func() time.Time
}

// Environment variables read by RegisterFlags.
const (
	EnvAddr     = "ART60_SMTP_ADDR"
	EnvFrom     = "ART60_SMTP_FROM"
	EnvUser     = "ART60_SMTP_USER"
	EnvPassword = "ART60_SMTP_PASSWORD" // environment only: a flag would show in ps
	EnvTLS      = "ART60_SMTP_TLS"
)

// RegisterFlags declares -smtp-addr, -smtp-from, -smtp-user and -smtp-tls
// on fs, with the environment (getenv) as defaults, and reads the password from the
// environment.
func (c *Config) RegisterFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.Addr, "smtp-addr", getenv(EnvAddr), "SMTP server host:port for notifications (env "+EnvAddr+"); empty: mail waits in the outbox (with -demo: a development sink, see /dev/mail)")
	fs.StringVar(&c.From, "smtp-from", getenv(EnvFrom), "sender address of notifications (env "+EnvFrom+")")
	fs.StringVar(&c.User, "smtp-user", getenv(EnvUser), "SMTP user, if the server wants authentication (env "+EnvUser+"; password in "+EnvPassword+")")
	fs.StringVar(&c.TLS, "smtp-tls", cmp.Or(getenv(EnvTLS), TLSStartTLS), "SMTP TLS: starttls, tls, opportunistic or none (env "+EnvTLS+")")
	c.Password = getenv(EnvPassword)
}

// Check refuses a configuration that cannot work, before the server starts.
func (c *Config) Check() error {
	if c.Addr == "" {
		return nil
	}
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || host == "" || n < 1 || n > 65535 {
		errs = append(errs, errors.New("mail: the SMTP address must be host:port"))
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		errs = append(errs, errors.New("mail: a sender address (-smtp-from) is required with an SMTP server"))
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone:
	default:
		errs = append(errs, errors.New("mail: -smtp-tls must be starttls, tls, opportunistic or none"))
	}
	if (c.User == "") != (c.Password == "") {
		errs = append(errs, errors.New("mail: SMTP authentication needs both a user and "+EnvPassword))
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, errors.New("mail: the base URL must start with http:// or https://"))
	}
	return errors.Join(errs...)
}

// withDefaults fills the timing fields left at zero and the clock.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Poll, 10*time.Second)
	def(&c.RetryBase, 30*time.Second)
	def(&c.RetryMax, time.Hour)
	def(&c.Timeout, 30*time.Second)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 50
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
