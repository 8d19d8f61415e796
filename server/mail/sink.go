package mail

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"log"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the sink accepted.
type Received struct {
	At        time.Time `json:"at"`
	From      string    `json:"from"` // envelope sender
	To        []string  `json:"to"`   // envelope recipients
	Subject   string    `json:"subject"`
	MessageID string    `json:"messageId"`
	Body      string    `json:"body"` // decoded text
	Links     []string  `json:"links"`
	Raw       string    `json:"raw"` // the message as received
}

// sinkKeep is how many messages the sink remembers (the newest).
const sinkKeep = 200

// Sink is a development SMTP server on loopback: it accepts every message
// (real SMTP, through github.com/emersion/go-smtp), keeps the latest ones
// in memory and shows them on a page. `make run` uses it when no SMTP
// server is configured; tests use it as the real listener.
type Sink struct {
	srv *smtp.Server
	ln  net.Listener

	mu      sync.Mutex
	msgs    []Received
	changed chan struct{} // closed and replaced at each new message
	// Tests: refuse this many messages with refuseCode (4xx: try again
	// later, 5xx: permanent).
	refuse, refuseCode int
}

// StartSink listens on addr, which must be a loopback address ("127.0.0.1:0"
// picks a free port): the sink must never receive mail from the network.
func StartSink(addr string, logger *slog.Logger) (*Sink, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("mail: the development sink listens on loopback only")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Sink{ln: ln, changed: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.MaxRecipients = 10
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	if logger == nil {
		logger = slog.Default()
	}
	s.srv.ErrorLog = log.New(slogWriter{logger}, "", 0)
	go s.srv.Serve(ln)
	return s, nil
}

// Addr is the sink's host:port.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Close stops listening and ends open sessions.
func (s *Sink) Close() error {
	err := s.srv.Close()
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Messages returns the kept messages, oldest first.
func (s *Sink) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// Changed returns a channel closed at the next message: tests wait on it.
func (s *Sink) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

func (s *Sink) add(r Received) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse > 0 {
		s.refuse--
		return &smtp.SMTPError{Code: s.refuseCode, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "refused for a test"}
	}
	s.msgs = append(s.msgs, r)
	if len(s.msgs) > sinkKeep {
		s.msgs = s.msgs[len(s.msgs)-sinkKeep:]
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// sinkSession is one SMTP transaction.
type sinkSession struct {
	sink *Sink
	from string
	to   []string
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := parse(raw)
	rec.At, rec.From, rec.To = time.Now(), ss.from, ss.to
	return ss.sink.add(rec)
}

func (ss *sinkSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *sinkSession) Logout() error { return nil }

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// parse reads the headers and the text of a single-part message (what
// the worker sends); anything else is shown raw.
func parse(raw []byte) Received {
	rec := Received{Raw: string(raw)}
	m, err := netmail.ReadMessage(strings.NewReader(rec.Raw))
	if err != nil {
		rec.Body = rec.Raw
		return rec
	}
	var dec mime.WordDecoder
	rec.Subject, err = dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		rec.Subject = m.Header.Get("Subject")
	}
	rec.MessageID = m.Header.Get("Message-Id")
	var body io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		b = []byte(rec.Raw)
	}
	rec.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	rec.Links = linkPattern.FindAllString(rec.Body, -1)
	return rec
}

// Handler serves the kept messages: GET /dev/mail as a page, GET
// /dev/mail.json (or ?format=json) as JSON, newest first. Everything on the
// page goes through html/template, so a message cannot inject markup.
func (s *Sink) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msgs := s.Messages()
		for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasSuffix(r.URL.Path, ".json") || r.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"messages": msgs})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := sinkPage.Execute(w, msgs); err != nil {
			http.Error(w, "page error", http.StatusInternalServerError)
		}
	})
}

var sinkPage = template.Must(template.New("sink").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>art60: development mail</title></head>
<body><main>
<h1>Development mail sink</h1>
<p>Mail sent by this server in demo mode (newest first, at most 200, lost at restart). JSON: <a href="/dev/mail.json">/dev/mail.json</a>.</p>
{{if not .}}<p id="no-mail">No mail yet.</p>{{end}}
{{range .}}<article class="mail">
<h2>{{.Subject}}</h2>
<dl><dt>To</dt><dd>{{range $i, $t := .To}}{{if $i}}, {{end}}{{$t}}{{end}}</dd>
<dt>From</dt><dd>{{.From}}</dd><dt>Received</dt><dd>{{.At.Format "2006-01-02 15:04:05"}}</dd>
<dt>Message-ID</dt><dd>{{.MessageID}}</dd></dl>
<pre>{{.Body}}</pre>
{{range .Links}}<p><a href="{{.}}">{{.}}</a></p>{{end}}
</article>{{end}}
</main></body></html>
`))

// slogWriter routes go-smtp's error log to slog.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn(strings.TrimSpace(string(p)), "component", "mail-sink")
	return len(p), nil
}
