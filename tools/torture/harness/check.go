package harness

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"art60/server/api"
)

// verify runs after each restart, while no actor runs, and checks:
//
//   - every acknowledged push is in a full pull as the worker exactly once,
//     and no request appears twice;
//   - every acknowledged decision is on its request (its unique remark), and
//     every acknowledged comment is in its request's thread exactly once;
//   - every acknowledged upload downloads with its exact bytes (the ones
//     acknowledged since the last check, and a sample of older ones), and
//     the requests acknowledged since the last check read back as the agent
//     with the status the pull shows;
//   - nothing is half-present: every request has exactly one request.submit
//     entry in the audit trail (read as the admin) and every such entry its
//     request; every decided request exactly one request.decide entry and
//     every such entry a decided request;
//   - pull cursors are consistent: each device pulls from the cursor it
//     saved before the kill and must then hold every request at the
//     sequence the full pull shows (a change behind a saved cursor would be
//     missing for ever on that device).
//
// It cannot see the mail outbox (no API lists it; see checkMail).
func (h *harness) verify(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	worker := h.devices[0].c
	all, err := h.fullPull(ctx, worker)
	if err != nil {
		return err
	}
	byID := map[string]api.Request{}
	for _, r := range all {
		if _, dup := byID[r.ID]; dup {
			h.problem(kindDoubled, "pull-twice:"+r.ID, "request "+r.ID+" appears twice in a full pull")
		}
		byID[r.ID] = r
	}

	h.mu.Lock()
	// The maps themselves: the actors that write them are stopped.
	requests, decisions, comments, attachments := h.requests, h.decisions, h.comments, h.attachments
	fresh, freshFiles := h.fresh, h.freshFiles
	h.fresh, h.freshFiles = nil, nil
	h.mu.Unlock()

	for _, id := range sortedKeys(requests) {
		if _, ok := byID[id]; !ok {
			h.problem(kindLost, "request:"+id, "acknowledged request "+id+" is missing from a full pull")
		}
	}
	for _, id := range sortedKeys(decisions) {
		r, ok := byID[id]
		if ok && (r.Decision == nil || r.Decision.Remark != decisions[id]) {
			h.problem(kindLost, "decision:"+id, fmt.Sprintf("acknowledged decision on %s is not on the request (status %s)", id, r.Status))
		}
	}
	inThread := map[string]int{}
	for _, r := range all {
		for _, c := range r.Thread {
			inThread[c.ID]++
			if inThread[c.ID] == 2 {
				h.problem(kindDoubled, "comment:"+c.ID, "comment "+c.ID+" is twice in the threads")
			}
		}
	}
	for _, id := range sortedKeys(comments) {
		if inThread[id] == 0 {
			h.problem(kindLost, "comment:"+id, "acknowledged comment "+id+" on "+comments[id]+" is missing from its thread")
		}
	}

	files := append(freshFiles, h.sample(sortedKeys(attachments), 5)...)
	for _, sum := range files {
		status, data, err := worker.do(ctx, "GET", "/api/v1/attachments/"+sum, "", nil)
		if err != nil {
			return fmt.Errorf("download %s: %w", sum, err)
		}
		if status != http.StatusOK || !bytes.Equal(data, attachments[sum]) {
			h.problem(kindLost, "file:"+sum, fmt.Sprintf("acknowledged file %s answers %d with %d bytes", sum, status, len(data)))
		}
	}
	agent := h.agents[0].c
	for _, id := range append(fresh, h.sample(sortedKeys(requests), 5)...) {
		var r api.Request
		status, _, err := agent.call(ctx, "GET", "/api/v1/requests/"+id, nil, &r)
		if err != nil {
			return fmt.Errorf("read %s as the agent: %w", id, err)
		}
		if status != http.StatusOK || r.Status != byID[id].Status {
			// Keyed like a request missing from the pull: one fault, counted once.
			h.problem(kindLost, "request:"+id, fmt.Sprintf("request %s reads %d (%s) as the agent, the pull says %s", id, status, r.Status, byID[id].Status))
		}
	}

	if err := h.audit.read(ctx, h.admin); err != nil {
		return err
	}
	for _, r := range all {
		switch n := h.audit.submits[r.ID]; {
		case n == 0:
			h.problem(kindInconsistent, "no-submit:"+r.ID, "request "+r.ID+" is stored without its request.submit audit entry")
		case n > 1:
			h.problem(kindDoubled, "submits:"+r.ID, fmt.Sprintf("request %s has %d request.submit entries", r.ID, n))
		}
		decided := r.Status == api.StatusCalculated || r.Status == api.StatusInvalidated
		switch n := h.audit.decides[r.ID]; {
		case decided && n == 0:
			h.problem(kindInconsistent, "no-decide:"+r.ID, "request "+r.ID+" is decided without its request.decide audit entry")
		case n > 1:
			h.problem(kindDoubled, "decides:"+r.ID, fmt.Sprintf("request %s has %d request.decide entries", r.ID, n))
		case !decided && n > 0:
			h.problem(kindInconsistent, "undecided:"+r.ID, "request "+r.ID+" has a request.decide entry but is "+string(r.Status))
		}
	}
	for _, id := range sortedKeys(h.audit.submits) {
		if _, ok := byID[id]; !ok {
			h.problem(kindInconsistent, "orphan-submit:"+id, "a request.submit entry names "+id+", which no pull shows")
		}
	}

	for _, d := range h.devices {
		if err := d.pull(ctx); err != nil {
			return fmt.Errorf("incremental pull of %s: %w", d.id, err)
		}
		for id, r := range byID {
			if seq, ok := d.view[id]; !ok || seq != r.Seq {
				h.problem(kindInconsistent, "cursor:"+d.id+":"+id,
					fmt.Sprintf("device %s pulling from its cursor holds %s at seq %d (present %v), a full pull at %d", d.id, id, seq, ok, r.Seq))
			}
		}
		for id := range d.view {
			if _, ok := byID[id]; !ok {
				h.problem(kindInconsistent, "cursor-extra:"+d.id+":"+id, "device "+d.id+" holds "+id+", which a full pull does not show")
			}
		}
	}
	return nil
}

// fullPull pulls every page from an empty cursor.
func (h *harness) fullPull(ctx context.Context, c *client) ([]api.Request, error) {
	var all []api.Request
	cursor := ""
	for range 1000 {
		reply, err := c.pullPage(ctx, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, reply.Requests...)
		cursor = reply.Cursor
		if !reply.More {
			return all, nil
		}
	}
	return nil, fmt.Errorf("full pull: more than 1000 pages")
}

// sample picks up to n of keys at random.
func (h *harness) sample(keys []string, n int) []string {
	if len(keys) <= n {
		return keys
	}
	out := make([]string, 0, n)
	for _, i := range h.rng.Perm(len(keys))[:n] {
		out = append(out, keys[i])
	}
	return out
}

// auditTally counts the audit trail's submit and decide entries per
// request. The trail is append-only and an entry read was committed, so it
// is read once, from where the last check stopped.
type auditTally struct {
	after   int64
	submits map[string]int
	decides map[string]int
}

type auditPage struct {
	Entries []struct {
		Seq       int64  `json:"seq"`
		Action    string `json:"action"`
		RequestID string `json:"requestId"`
	} `json:"entries"`
	Next int64 `json:"next"`
}

func (t *auditTally) read(ctx context.Context, c *client) error {
	if t.submits == nil {
		t.submits, t.decides = map[string]int{}, map[string]int{}
	}
	for range 100000 {
		var page auditPage
		status, body, err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/admin/audit?limit=5000&after=%d", t.after), nil, &page)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("audit trail: %d %s %v", status, body, err)
		}
		for _, e := range page.Entries {
			switch e.Action {
			case "request.submit":
				t.submits[e.RequestID]++
			case "request.decide":
				t.decides[e.RequestID]++
			}
		}
		// A page of nothing but our own audit.read entries is not recorded
		// again (server README, Audit trail), so paging ends.
		if len(page.Entries) == 0 || page.Next <= t.after {
			return nil
		}
		t.after = page.Next
	}
	return fmt.Errorf("audit trail: too many pages")
}

var uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// watchMail polls the development sink while the server runs and notes
// the decision mails it delivered, by request id.
func (h *harness) watchMail(ctx context.Context, stop <-chan struct{}) {
	c := h.admin
	for range 100000 {
		if stopped(ctx, stop) {
			return
		}
		h.readMail(ctx, c)
		pause(ctx, stop, 50)
	}
}

func (h *harness) readMail(ctx context.Context, c *client) {
	var box struct {
		Messages []struct {
			Subject   string `json:"subject"`
			MessageID string `json:"messageId"`
		} `json:"messages"`
	}
	if status, _, err := c.call(ctx, "GET", "/dev/mail.json", nil, &box); err != nil || status != http.StatusOK {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range box.Messages {
		if h.mailIDs[m.MessageID] || strings.Contains(m.Subject, "question") {
			continue
		}
		h.mailIDs[m.MessageID] = true
		if id := uuidRe.FindString(m.Subject); id != "" {
			h.mails[id] = true
		}
	}
}

// checkMail gives the mail worker up to 15 s to deliver what the crashes
// left in the outbox, then counts the acknowledged decisions whose mail was
// seen. This is a figure, not a check: the sink keeps its mail in memory,
// so a mail delivered and marked sent in the last 50 ms before a kill is
// gone unseen, and no API lists the outbox to tell that case from a mail
// never queued. (A decision and its mail are one transaction in the store;
// the server's own tests, TestDecisionSucceedsWhileSMTPIsDown and the
// server/mail tests, check the outbox directly.)
func (h *harness) checkMail(ctx context.Context) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		h.readMail(ctx, h.admin)
		h.mu.Lock()
		seen := 0
		for id := range h.decisions {
			if h.mails[id] {
				seen++
			}
		}
		h.rep.DecisionMails, h.rep.DecisionMailsSeen = len(h.decisions), seen
		h.mu.Unlock()
		if seen == len(h.decisions) || time.Now().After(deadline) || ctx.Err() != nil {
			return
		}
		sleep(ctx, 500*time.Millisecond)
	}
}
