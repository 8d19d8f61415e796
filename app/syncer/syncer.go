// Package syncer is the PWA's sync engine: it pushes the outbox of queued
// requests to the server, pulls the CPAS's requests back, and reports its
// state (reachable, pending, last sync, errors) to the UI. It uses net/http,
// Calls go through a Transport: fetch in the browser (net/http would add
// a megabyte to the wasm), net/http natively, so the same engine is tested
// against the real server.
package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"sync"
	"time"

	"art60/app/drafts"
	"art60/calc"
	"art60/server/api"
)

// State is what the UI shows of the sync.
type State struct {
	Reachable      bool      // the server answered the last call
	Pending        int       // mutations in the outbox
	LastSync       time.Time // last complete push and pull
	Error          string    // last failure, "" when the last sync worked
	NeedLogin      bool      // the session is missing or expired: the outbox waits
	SessionExpired bool      // the session ended after a time without use (with NeedLogin)
	UpdateRequired bool      // the server refuses this app's schema version
	Syncing        bool
}

// Timings of the loop.
const (
	idleInterval = 30 * time.Second
	minBackoff   = time.Second
	maxBackoff   = time.Minute
)

// Transport sends one HTTP request and returns the status and the whole
// body; err is a network failure (the server may not have seen the call).
type Transport interface {
	Do(ctx context.Context, method, path, contentType string, body []byte) (status int, resp []byte, err error)
}

// HTTP methods and statuses used here (without importing net/http).
const (
	methodGet    = "GET"
	methodPost   = "POST"
	methodDelete = "DELETE"

	statusOK           = 200
	statusUnauthorized = 401
)

// Engine syncs one device's store with the server.
type Engine struct {
	store   drafts.Store
	tr      Transport
	user    string // whose device data the store holds; "" before sign-in
	lang    string
	lock    func(ctx context.Context, critical func()) // one tab at a time (Web Locks in the browser)
	changed func()                                     // other tabs should reload (BroadcastChannel)

	mu      sync.Mutex
	active  bool // only a CPAS worker's device (or one not yet logged in) syncs
	state   State
	subs    []func(State)
	kick    chan struct{}
	backoff time.Duration
}

// New returns an engine syncing st through tr.
func New(st drafts.Store, tr Transport) *Engine {
	var mu sync.Mutex
	return &Engine{
		store: st, tr: tr, lang: calc.LangFR,
		lock:    func(_ context.Context, f func()) { mu.Lock(); defer mu.Unlock(); f() },
		changed: func() {},
		kick:    make(chan struct{}, 1),
		state:   State{Reachable: true},
		active:  true,
	}
}

// UseLock replaces the in-process lock around a sync, e.g. with Web Locks
// so that two tabs never push the same mutation.
func (e *Engine) UseLock(lock func(ctx context.Context, critical func())) { e.lock = lock }

// OnChange sets what to call when requests changed on this device (to
// redraw, and to tell the other tabs).
func (e *Engine) OnChange(f func()) { e.changed = f }

// SetUser names the user whose device data the engine syncs; the server
// refuses the engine's pushes and pulls under anyone else's session.
func (e *Engine) SetUser(id string) { e.user = id }

// SetLang sets the language of the explanations sent with requests.
func (e *Engine) SetLang(lang string) { e.lang = lang }

// Subscribe calls f with every new state (from the engine's goroutine).
func (e *Engine) Subscribe(f func(State)) {
	e.mu.Lock()
	e.subs = append(e.subs, f)
	s := e.state
	e.mu.Unlock()
	f(s)
}

// State returns the current state.
func (e *Engine) State() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state
}

func (e *Engine) update(f func(*State)) {
	e.mu.Lock()
	f(&e.state)
	s, subs := e.state, append([]func(State){}, e.subs...)
	e.mu.Unlock()
	for _, sub := range subs {
		sub(s)
	}
}

// Kick asks for a sync as soon as possible (send, login, back online).
func (e *Engine) Kick() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

// Send queues a draft for ONEM and kicks the loop. The draft must be
// complete; the server checks it again.
func (e *Engine) Send(ctx context.Context, d drafts.Draft) error {
	if !d.Editable() {
		return errAlreadyQueued
	}
	sub, err := Submission(d, e.lang)
	if err != nil {
		return err
	}
	d.Rejection = nil
	if _, err := e.store.Queue(ctx, d, sub); errors.Is(err, drafts.ErrQueued) {
		return errAlreadyQueued
	} else if err != nil {
		return err
	}
	e.refreshPending(ctx)
	e.changed()
	e.Kick()
	return nil
}

// Submission builds what the server receives from a draft.
func Submission(d drafts.Draft, lang string) (api.Submission, error) {
	caseJSON, err := json.Marshal(d.Case)
	if err != nil {
		return api.Submission{}, err
	}
	sub := api.Submission{ID: d.ID, ParentID: d.ParentID, Kind: d.Kind, Case: caseJSON, LastName: d.LastName, FirstName: d.FirstName,
		ReferenceEmail: d.ReferenceEmail, Comments: d.Comments, Lang: lang}
	if res, err := calc.Solve(&d.Case, lang); err == nil {
		sub.ClientResult = res
	}
	for _, a := range d.Attachments {
		sub.Attachments = append(sub.Attachments, a.SHA256)
		sub.Files = append(sub.Files, api.File{SHA256: a.SHA256, Name: a.Name, Type: a.Type, Size: a.Size})
	}
	if d.Derogation != "" {
		sub.Derogation = &api.Derogation{Justification: d.Derogation}
	}
	return sub, nil
}

// Run syncs at start, on Kick, and every idleInterval, backing off
// exponentially while the server is unreachable. It returns with ctx.
func (e *Engine) Run(ctx context.Context) {
	for {
		wait := idleInterval
		if err := e.SyncOnce(ctx); err != nil && e.shouldRetry() {
			e.backoff = min(max(2*e.backoff, minBackoff), maxBackoff)
			wait = e.backoff
		} else {
			e.backoff = 0
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-e.kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

func (e *Engine) shouldRetry() bool {
	s := e.State()
	return !s.NeedLogin && !s.UpdateRequired
}

// SetActive turns the sync on or off: an ONEM agent's or an
// administrator's session has no outbox and no CPAS to pull.
func (e *Engine) SetActive(on bool) {
	e.mu.Lock()
	e.active = on
	e.mu.Unlock()
	if on {
		e.Kick()
		return
	}
	e.update(func(s *State) { s.Error, s.NeedLogin = "", false })
}

// SyncOnce pushes the outbox then pulls, holding the cross-tab lock so two
// tabs never send the same mutation.
func (e *Engine) SyncOnce(ctx context.Context) error {
	e.mu.Lock()
	active := e.active
	e.mu.Unlock()
	if !active {
		return nil
	}
	var err error
	e.update(func(s *State) { s.Syncing = true })
	// The count first: the footer must say what waits even while another
	// tab holds the sync lock or the push hangs.
	e.refreshPending(ctx)
	e.lock(ctx, func() {
		if err = e.push(ctx); err == nil {
			err = e.pull(ctx)
		}
	})
	e.refreshPending(ctx)
	e.update(func(s *State) {
		s.Syncing = false
		if err == nil {
			s.LastSync, s.Error, s.NeedLogin, s.SessionExpired, s.UpdateRequired = time.Now(), "", false, false, false
		} else {
			s.Error = errorID(err)
		}
	})
	return err
}

// errorID is the message id the footer shows for a failed sync: the
// engine's own errors are ids already, and a device with no space left
// says so rather than in the browser's words.
func errorID(err error) string {
	if errors.Is(err, drafts.ErrDeviceFull) {
		return drafts.ErrDeviceFull.Error()
	}
	return err.Error()
}

func (e *Engine) refreshPending(ctx context.Context) {
	if ps, err := e.store.Pending(ctx); err == nil {
		e.update(func(s *State) { s.Pending = len(ps) })
	}
}

// The engine's failures. Their texts are message ids of the UI catalogue
// ("sync.err.…"), so the footer shows them in the user's language.
var (
	errUnreachable   = errors.New("sync.err.unreachable") // network failure: the call may not have arrived
	errLogin         = errors.New("sync.err.login")
	errServer        = errors.New("sync.err.server") // 5xx: retried
	errUnreadable    = errors.New("sync.err.unreadable")
	errMissingFile   = errors.New("sync.err.attachment")
	errAlreadyQueued = errors.New("sync.err.queued")
	errRefused       = errors.New("sync.err.refused")
	errUpdate        = errors.New("sync.err.update")
	// errQuota is the server's refusal of a file or a request over the
	// CPAS's storage quota: the message of the API's code, since the
	// outbox waits until an administrator raises the quota.
	errQuota = errors.New("error." + api.CodeQuotaExceeded)
)

// call sends one request and reads the whole answer.
func (e *Engine) call(ctx context.Context, method, path string, body []byte, contentType string) (int, []byte, error) {
	status, data, err := e.tr.Do(ctx, method, path, contentType, body)
	if err != nil {
		e.update(func(s *State) { s.Reachable = false })
		return 0, nil, errUnreachable
	}
	e.update(func(s *State) { s.Reachable = true })
	return status, data, e.checkStatus(status, data)
}

// SchemaHeader carries the app's schema version on every call.
const SchemaHeader = "X-Art60-Schema"

// checkStatus turns the answers that stop every call into state.
func (e *Engine) checkStatus(status int, data []byte) error {
	var env struct {
		Error *api.Error `json:"error"`
	}
	json.Unmarshal(data, &env)
	switch {
	case status == statusUnauthorized:
		expired := env.Error != nil && env.Error.Code == api.CodeSessionExpired
		e.update(func(s *State) { s.NeedLogin, s.SessionExpired = true, s.SessionExpired || expired })
		return errLogin
	case env.Error != nil && env.Error.Code == api.CodeQuotaExceeded:
		return errQuota
	case env.Error != nil && env.Error.Code == api.CodeUpdateRequired:
		e.update(func(s *State) { s.UpdateRequired = true })
		return errUpdate
	case status >= 500:
		return errServer
	}
	return nil
}

// clientID is this device's id for the server's idempotency records.
func (e *Engine) clientID(ctx context.Context) (string, error) {
	id, err := e.store.Meta(ctx, "clientId")
	if err != nil || id != "" {
		return id, err
	}
	id = drafts.NewID()
	return id, e.store.SetMeta(ctx, "clientId", id)
}

func (e *Engine) push(ctx context.Context) error {
	pending, err := e.store.Pending(ctx)
	if err != nil || len(pending) == 0 {
		return err
	}
	if len(pending) > api.MaxMutations {
		pending = pending[:api.MaxMutations]
	}
	if err := e.uploadAttachments(ctx, pending); err != nil {
		return err
	}
	clientID, err := e.clientID(ctx)
	if err != nil {
		return err
	}
	body := api.PushRequest{ClientID: clientID, SchemaVersion: api.SchemaVersion, UserID: e.user}
	for _, p := range pending {
		sub := p.Submission
		body.Mutations = append(body.Mutations, api.Mutation{MutationID: p.MutationID, Op: api.OpSubmit, Request: &sub})
	}
	data, _ := json.Marshal(body)
	status, resp, err := e.call(ctx, methodPost, "/api/v1/sync/push", data, "application/json")
	if err != nil {
		return err
	}
	var reply api.PushReply
	if err := json.Unmarshal(resp, &reply); err != nil || (len(reply.Results) == 0 && status >= 400) {
		return errRefused
	}
	for _, r := range reply.Results {
		if err := e.settle(ctx, r); err != nil {
			return err
		}
	}
	e.changed()
	return nil
}

// settle records the server's answer to one mutation on its draft.
func (e *Engine) settle(ctx context.Context, r api.MutationResult) error {
	pending, err := e.store.Pending(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if p.MutationID != r.MutationID {
			continue
		}
		d, err := e.store.Get(ctx, p.RequestID)
		if err != nil {
			return err
		}
		d.Outbox = 0
		if r.Outcome == api.OutcomeApplied && r.Receipt != nil {
			d.Status, d.Rejection = r.Receipt.Status, nil
			if d.Remote == nil {
				d.Remote = &api.Request{Submission: p.Submission}
			}
			d.Remote.Status, d.Remote.ReceivedAt, d.Remote.DueDate = r.Receipt.Status, r.Receipt.ReceivedAt, r.Receipt.DueDate
		} else {
			d.Status, d.Rejection = api.StatusDraft, r.Error
		}
		return e.store.Done(ctx, p.MutationID, d)
	}
	return nil
}

// uploadAttachments sends the files of the pending requests (content
// addressed: sending one twice stores it once).
func (e *Engine) uploadAttachments(ctx context.Context, pending []drafts.Pending) error {
	for _, p := range pending {
		for _, sum := range p.Submission.Attachments {
			data, err := e.store.GetBlob(ctx, sum)
			if err != nil {
				return errMissingFile
			}
			if _, _, err := e.call(ctx, methodPost, "/api/v1/attachments", data, "application/octet-stream"); err != nil {
				return err
			}
		}
	}
	return nil
}

// pull brings the requests of the CPAS changed since the saved cursor.
func (e *Engine) pull(ctx context.Context) error {
	cursor, err := e.store.Meta(ctx, "cursor")
	if err != nil {
		return err
	}
	for {
		q := url.Values{"cursor": {cursor}, "schemaVersion": {strconv.Itoa(api.SchemaVersion)}}
		if e.user != "" {
			q.Set("userId", e.user)
		}
		status, resp, err := e.call(ctx, methodGet, "/api/v1/sync/pull?"+q.Encode(), nil, "")
		if err != nil {
			return err
		}
		var reply api.PullReply
		if status != statusOK || json.Unmarshal(resp, &reply) != nil {
			return errUnreadable
		}
		changed := false
		for i := range reply.Requests {
			c, err := e.merge(ctx, reply.Requests[i])
			if err != nil {
				return err
			}
			changed = changed || c
		}
		if err := e.store.SetMeta(ctx, "cursor", reply.Cursor); err != nil {
			return err
		}
		cursor = reply.Cursor
		if changed {
			e.changed()
		}
		if !reply.More {
			return nil
		}
	}
}

// forget removes the local copy of a request the server erased (a
// person's erasure or the end of its retention, README "Personal data"),
// with the bytes of its files that no other draft on the device uses.
func (e *Engine) forget(ctx context.Context, d drafts.Draft, err error) (bool, error) {
	if errors.Is(err, drafts.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	others, err := e.store.List(ctx)
	if err != nil {
		return false, err
	}
	used := map[string]bool{}
	for _, o := range others {
		for _, a := range o.Attachments {
			used[a.SHA256] = used[a.SHA256] || o.ID != d.ID
		}
	}
	for _, a := range d.Attachments {
		if !used[a.SHA256] {
			if err := e.store.DeleteBlob(ctx, a.SHA256); err != nil {
				return false, err
			}
		}
	}
	return true, e.store.Delete(ctx, d.ID)
}

// merge stores the server's view of one request on its local copy, or
// creates the copy (a request sent from another device of the CPAS).
func (e *Engine) merge(ctx context.Context, r api.Request) (bool, error) {
	d, err := e.store.Get(ctx, r.ID)
	if r.Status == api.StatusErased {
		return e.forget(ctx, d, err)
	}
	if errors.Is(err, drafts.ErrNotFound) {
		d = drafts.Draft{ID: r.ID, Kind: r.Kind, ParentID: r.ParentID, ReferenceEmail: r.ReferenceEmail, Comments: r.Comments,
			LastName: r.LastName, FirstName: r.FirstName}
		json.Unmarshal(r.Case, &d.Case)
	} else if err != nil {
		return false, err
	}
	if d.Remote != nil && d.Remote.Seq == r.Seq && d.Remote.Status == r.Status {
		return false, nil
	}
	if d.LastName == "" && d.FirstName == "" { // a copy made before names travelled
		d.LastName, d.FirstName = r.LastName, r.FirstName
	}
	rc := r
	d.Remote, d.Status, d.UpdatedAt = &rc, r.Status, r.UpdatedAt
	if r.Result != nil {
		d.Result = &drafts.ResultDigest{ClaimDate: r.Result.ClaimDate}
		if end := r.ContractEnd(); end != "" {
			d.Result.ContractEnd = end
		}
	}
	return true, e.store.Put(ctx, d)
}
