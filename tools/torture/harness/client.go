package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"time"

	"art60/app/syncer"
	"art60/server/api"

	"github.com/google/uuid"
)

// client is one signed-in user agent: its own cookie jar, the sync
// client's transport (Origin and schema header as the app sends them).
type client struct {
	h               *harness
	http            *http.Client
	login, password string
}

func newClient(h *harness, login, password string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}, login: login, password: password}
}

// errUnanswered is a call the server did not answer: refused connection,
// cut connection, timeout or 5xx. The caller retries it later, unchanged.
var errUnanswered = errors.New("unanswered")

func (c *client) do(ctx context.Context, method, path, ctype string, body []byte) (int, []byte, error) {
	tr := syncer.HTTPTransport{Client: c.http, Base: c.h.srv.base()}
	status, data, err := tr.Do(ctx, method, path, ctype, body)
	if err != nil || status >= 500 {
		return status, data, errUnanswered
	}
	if status == http.StatusUnauthorized && path != "/api/v1/session" {
		// Sessions are written before the sign-in is answered, so a
		// session that a restart forgot is a lost acknowledged write.
		c.h.problem(kindLost, "session:"+c.login, fmt.Sprintf("%s's session was refused (401) after a restart; signing in again", c.login))
		if err := c.signIn(ctx); err != nil {
			return status, data, err
		}
		return c.do(ctx, method, path, ctype, body)
	}
	return status, data, nil
}

// call sends in as JSON (when not nil) and decodes a 2xx answer into out.
func (c *client) call(ctx context.Context, method, path string, in, out any) (int, []byte, error) {
	var body []byte
	ctype := ""
	if in != nil {
		body, _ = json.Marshal(in)
		ctype = "application/json"
	}
	status, data, err := c.do(ctx, method, path, ctype, body)
	if err == nil && out != nil && status/100 == 2 {
		if jerr := json.Unmarshal(data, out); jerr != nil {
			return status, data, fmt.Errorf("%s %s: unreadable answer: %v", method, path, jerr)
		}
	}
	return status, data, err
}

func (c *client) signIn(ctx context.Context) error {
	for try := 0; ; try++ {
		status, data, err := c.call(ctx, "POST", "/api/v1/session", api.LoginRequest{Login: c.login, Password: c.password}, nil)
		if err == nil && status == http.StatusOK {
			return nil
		}
		if try == 20 || ctx.Err() != nil {
			return fmt.Errorf("sign-in as %s: %d %s %v", c.login, status, data, err)
		}
		sleep(ctx, 250*time.Millisecond) // busy (503) or throttled: the gate bounds argon2 checks
	}
}

// pullPage is one page of GET /api/v1/sync/pull from cursor.
func (c *client) pullPage(ctx context.Context, cursor string) (api.PullReply, error) {
	q := url.Values{"cursor": {cursor}, "schemaVersion": {strconv.Itoa(api.SchemaVersion)}}
	var reply api.PullReply
	status, data, err := c.call(ctx, "GET", "/api/v1/sync/pull?"+q.Encode(), nil, &reply)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("pull: %d %s", status, data)
	}
	return reply, err
}

// device is one worker's laptop: a client id, mutation ids that only grow,
// an outbox kept across errors and crashes, and a pull cursor, as the app's
// sync engine keeps them (app/syncer).
type device struct {
	c       *client
	id      string
	rng     *rand.Rand
	nextMut int64
	outbox  []*pending
	made    int // submissions created in this trial
	spread  int // ms: the longest pause between two calls
	cursor  string
	view    map[string]int64 // request id → seq, as incremental pulls built it
}

type pending struct {
	mut      int64
	sub      api.Submission
	files    map[string][]byte // sha256 → content
	uploaded bool
}

// perTrial bounds the submissions a device creates between two kills, so
// the store (and each full pull) grows linearly with the trials.
const perTrial = 4

// run works until stop is closed or the loop bound is reached.
func (d *device) run(ctx context.Context, stop <-chan struct{}) {
	for range 2000 {
		if stopped(ctx, stop) {
			return
		}
		if len(d.outbox) < 3 && d.made < perTrial {
			d.outbox = append(d.outbox, d.newPending())
			d.made++
		}
		if len(d.outbox) > 0 && !d.push(ctx) {
			pause(ctx, stop, 20+d.rng.IntN(40)) // the engine backs off; shorter here
			continue
		}
		if d.rng.IntN(3) == 0 {
			d.pull(ctx)
		}
		// Spread the trial's submissions over the server's life, so kills
		// land in the middle of pushes and uploads, not only after them.
		pause(ctx, stop, 10+d.rng.IntN(d.spread))
	}
}

// validCase is a complete RULES.md §7 case the engine solves.
const validCase = `{"person":{"niss":"85073003328","birthDate":"1985-07-30"},` +
	`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},"periods":[],` +
	`"lastBenefitDate":null,"previousAdmissionDate":null,"options":{"claimDays":"mon-sat","conventionCountries":[]}}`

func (d *device) newPending() *pending {
	d.nextMut++
	p := &pending{mut: d.nextMut, files: map[string][]byte{}}
	p.sub = api.Submission{ID: uuid.NewString(), Kind: api.KindInitial, Case: json.RawMessage(validCase),
		ReferenceEmail: "referent@cpas.example", LastName: "Torture", FirstName: fmt.Sprintf("%s-%d", d.id, d.nextMut), Lang: "en"}
	// Half the requests carry a file, each unique so each upload is its own
	// acknowledged write.
	if d.rng.IntN(2) == 0 {
		name, typ, data := "scan.pdf", "application/pdf", uniquePDF(d.id, d.nextMut)
		if d.rng.IntN(2) == 0 {
			name, typ, data = "photo.png", "image/png", uniquePNG(d.rng)
		}
		sum := sha256Hex(data)
		p.files[sum] = data
		p.sub.Attachments = []string{sum}
		p.sub.Files = []api.File{{SHA256: sum, Name: name, Type: typ, Size: int64(len(data))}}
	}
	return p
}

// push uploads the outbox's files, then pushes its first mutations, as
// syncer.Engine.push does. It reports whether the server answered.
func (d *device) push(ctx context.Context) bool {
	batch := d.outbox[:min(len(d.outbox), 5)]
	for _, p := range batch {
		if p.uploaded {
			continue
		}
		for sum, data := range p.files {
			status, body, err := d.c.do(ctx, "POST", "/api/v1/attachments", "application/octet-stream", data)
			if err != nil {
				return false
			}
			if status != http.StatusCreated {
				d.c.h.problem(kindInconsistent, "upload:"+sum, fmt.Sprintf("upload refused: %d %s", status, body))
				continue
			}
			d.c.h.ackAttachment(sum, data)
		}
		p.uploaded = true
	}
	req := api.PushRequest{ClientID: d.id, SchemaVersion: api.SchemaVersion}
	for _, p := range batch {
		req.Mutations = append(req.Mutations, api.Mutation{MutationID: p.mut, Op: api.OpSubmit, Request: &p.sub})
	}
	var reply api.PushReply
	status, body, err := d.c.call(ctx, "POST", "/api/v1/sync/push", req, nil)
	if err != nil {
		return false
	}
	if json.Unmarshal(body, &reply) != nil || len(reply.Results) == 0 {
		// Nothing to settle: drop the batch so the problem is counted once.
		d.c.h.problem(kindInconsistent, fmt.Sprintf("push:%s:%d", d.id, batch[0].mut), fmt.Sprintf("push answered %d %s", status, body))
		d.outbox = d.outbox[len(batch):]
		return true
	}
	for _, r := range reply.Results {
		for i, p := range d.outbox {
			if p.mut != r.MutationID {
				continue
			}
			if r.Outcome == api.OutcomeApplied {
				d.c.h.ackPush(p.sub.ID, p.sub.Attachments)
			} else {
				// A valid submission retried under its own mutation id is
				// never refused: already_sent or stale_mutation would mean
				// the request was kept without its idempotency record.
				d.c.h.problem(kindInconsistent, "push:"+p.sub.ID, fmt.Sprintf("mutation %s/%d rejected: %+v", d.id, p.mut, r.Error))
			}
			d.outbox = append(d.outbox[:i], d.outbox[i+1:]...)
			break
		}
	}
	return true
}

// pull brings the view up to date from the saved cursor, saving the cursor
// after each page as the app does.
func (d *device) pull(ctx context.Context) error {
	for page := range 1000 {
		reply, err := d.c.pullPage(ctx, d.cursor)
		if err != nil {
			return err
		}
		if d.view == nil || (reply.Full && page == 0) {
			d.view = map[string]int64{} // a snapshot follows: replace what we hold
		}
		for _, r := range reply.Requests {
			d.view[r.ID] = r.Seq
		}
		d.cursor = reply.Cursor
		if !reply.More {
			return nil
		}
	}
	return errors.New("pull: more than 1000 pages")
}

// agent is an ONEM agent deciding and commenting. Agents share the demo
// agent's account, so each takes only its share of the requests: a 409
// already_decided then means this agent's own earlier attempt went
// through.
type agent struct {
	c        *client
	index    int
	of       int
	rng      *rand.Rand
	decision *decisionTry
	comment  *commentTry
}

type decisionTry struct {
	id    string
	body  api.DecisionRequest
	tried bool // an attempt went unanswered
}

type commentTry struct {
	id   string
	body api.CommentRequest
}

func (a *agent) run(ctx context.Context, stop <-chan struct{}) {
	for range 2000 {
		if stopped(ctx, stop) {
			return
		}
		if a.decision == nil && a.comment == nil {
			a.pick(ctx)
		}
		if a.decision != nil {
			a.decide(ctx)
		} else if a.comment != nil {
			a.post(ctx)
		}
		pause(ctx, stop, 20+a.rng.IntN(60))
	}
}

func (a *agent) pick(ctx context.Context) {
	var q api.QueueReply
	status, _, err := a.c.call(ctx, "GET", "/api/v1/queue?status=sent&limit=20", nil, &q)
	if err != nil || status != http.StatusOK {
		return
	}
	var mine []string
	for _, it := range q.Items {
		if int(it.RequestID[0])%a.of == a.index {
			mine = append(mine, it.RequestID)
		}
	}
	if len(mine) == 0 {
		return
	}
	id := mine[a.rng.IntN(len(mine))]
	token := uuid.NewString()
	switch a.rng.IntN(3) {
	case 0:
		a.decision = &decisionTry{id: id, body: api.DecisionRequest{Outcome: api.StatusCalculated, Remark: "ok " + token}}
	case 1:
		a.decision = &decisionTry{id: id, body: api.DecisionRequest{Outcome: api.StatusInvalidated, Remark: "no " + token}}
	default:
		a.comment = &commentTry{id: id, body: api.CommentRequest{ID: token, Text: "question " + token}}
	}
}

func (a *agent) decide(ctx context.Context) {
	d := a.decision
	var reply api.Request
	status, body, err := a.c.call(ctx, "POST", "/api/v1/requests/"+d.id+"/decision", d.body, &reply)
	if err != nil {
		d.tried = true
		return
	}
	a.decision = nil
	var env struct{ Error *api.Error }
	json.Unmarshal(body, &env)
	switch {
	case status == http.StatusOK:
		a.c.h.ackDecision(d.id, d.body.Remark)
	case d.tried && env.Error != nil && env.Error.Code == api.CodeAlreadyDecided:
		// The cut attempt was applied: unacknowledged, yet whole (the
		// checks after each restart look at it like any decision).
	default:
		a.c.h.problem(kindInconsistent, "decide:"+d.id, fmt.Sprintf("decision on %s answered %d %s", d.id, status, body))
	}
}

func (a *agent) post(ctx context.Context) {
	cm := a.comment
	status, body, err := a.c.call(ctx, "POST", "/api/v1/requests/"+cm.id+"/comments", cm.body, nil)
	if err != nil {
		return
	}
	a.comment = nil
	if status == http.StatusCreated || status == http.StatusOK {
		a.c.h.ackComment(cm.body.ID, cm.id)
		return
	}
	a.c.h.problem(kindInconsistent, "comment:"+cm.body.ID, fmt.Sprintf("comment on %s answered %d %s", cm.id, status, body))
}

func uniquePDF(dev string, mut int64) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n%% torture %s %d %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", dev, mut, uuid.NewString())
}

func uniquePNG(rng *rand.Rand) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	img.Set(0, 0, color.RGBA{A: 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// stopped says whether the trial or the whole run is over.
func stopped(ctx context.Context, stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

func pause(ctx context.Context, stop <-chan struct{}, ms int) {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
	case <-ctx.Done():
	}
}

func sleep(ctx context.Context, d time.Duration) {
	pause(ctx, nil, int(d/time.Millisecond))
}
