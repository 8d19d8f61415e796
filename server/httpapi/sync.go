package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// defaultPullPage is the most requests one pull returns unless
// Deps.PullPage says otherwise; the client pulls again while More is set.
const defaultPullPage = 200

// pullPage is the most requests one pull returns.
func (s *Service) pullPage() int {
	if s.deps.PullPage > 0 {
		return s.deps.PullPage
	}
	return defaultPullPage
}

// push applies a device's mutations in order, each exactly once.
func (s *Service) push(c *call) error {
	var in api.PushRequest
	if err := decodeJSON(c.w, c.r, maxJSONBody, &in); err != nil {
		return err
	}
	if e := api.CheckSchema(in.SchemaVersion); e != nil {
		return failWith(e)
	}
	if fs := in.Check(); len(fs) > 0 {
		return fail(api.CodeInvalid, "the push is malformed", fs...)
	}
	if err := sameUser(c, in.UserID); err != nil {
		return err
	}
	reply := api.PushReply{Results: make([]api.MutationResult, 0, len(in.Mutations))}
	for i := range in.Mutations {
		res, err := s.applyOne(c, in.ClientID, &in.Mutations[i])
		if err != nil {
			return err
		}
		reply.Results = append(reply.Results, res)
		s.metrics.mutations.WithLabelValues(res.Outcome).Inc()
		if res.Error != nil && reply.Error == nil {
			e := *res.Error
			e.Fields = api.Prefix("mutations["+strconv.Itoa(i)+"]", e.Fields)
			reply.Error = &e
		}
	}
	status := http.StatusOK
	if reply.Error != nil {
		status = statusOf(reply.Error.Code)
	}
	writeJSON(c.w, status, reply)
	return nil
}

// applyOne prepares a submission (validation and the authoritative
// calculation, outside the store's writer) and hands the state-dependent
// checks to the store, inside the transaction that records the mutation.
func (s *Service) applyOne(c *call, clientID string, m *api.Mutation) (api.MutationResult, error) {
	now := s.now().In(s.zone)
	cand, rej := s.prepare(c.p, m.Request, now)
	today := now.Format(time.DateOnly)
	return s.st.ApplyMutation(c.r.Context(), store.Mutation{
		UserID: c.p.user.ID, ClientID: clientID, MutationID: m.MutationID,
		Digest: digest(m), Audit: c.p.audit(store.ActionRequestSubmit),
		Decide: func(v store.View) (*api.Request, *api.Error) {
			if rej != nil {
				return nil, rej
			}
			return decideSubmit(v, cand, today)
		},
	})
}

// digest identifies a mutation's content, to refuse a reused mutationId.
func digest(m *api.Mutation) string {
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// pull returns the caller's CPAS requests changed since the cursor. Every
// request handed out is a read of a person's file, so it is audited first.
func (s *Service) pull(c *call) error {
	q := c.r.URL.Query()
	v, err := strconv.Atoi(q.Get("schemaVersion"))
	if err != nil {
		v = 0
	}
	if e := api.CheckSchema(v); e != nil {
		return failWith(e)
	}
	if err := sameUser(c, q.Get("userId")); err != nil {
		return err
	}
	limit := s.pullPage()
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > limit {
			return fail(api.CodeInvalid, "bad limit", api.FieldError{Path: "limit", Message: "must be 1 to " + strconv.Itoa(limit)})
		}
		limit = n
	}
	cur := parseCursor(q.Get("cursor"))
	if es, ok := s.st.(store.EncodedChanges); ok {
		return s.pullEncoded(c, es, cur, limit)
	}
	page, err := s.st.Changes(c.r.Context(), c.p.user.CPASID, cur, limit)
	if err != nil {
		return err
	}
	ids := make([]string, len(page.Requests))
	for i := range page.Requests {
		ids[i] = page.Requests[i].ID
	}
	if err := s.auditReads(c, store.ActionRequestPull, c.p.user.CPASID, ids); err != nil {
		return err
	}
	for i := range page.Requests {
		page.Requests[i] = lean(page.Requests[i])
	}
	writeJSON(c.w, http.StatusOK, api.PullReply{Cursor: formatCursor(page.Next), Full: page.Full,
		More: page.More, Requests: page.Requests})
	return nil
}

// pullEncoded is pull on a store that keeps each request's lean JSON: the
// answer is written around those bytes, the same JSON as api.PullReply
// (TestBothPullsAnswerTheSame), without decoding and encoding each request
// again.
func (s *Service) pullEncoded(c *call, es store.EncodedChanges, cur store.Cursor, limit int) error {
	page, err := es.EncodedChanges(c.r.Context(), c.p.user.CPASID, cur, limit)
	if err != nil {
		return err
	}
	ids := make([]string, len(page.Requests))
	size := 0
	for i, r := range page.Requests {
		ids[i] = r.ID
		size += len(r.JSON) + 1
	}
	if err := s.auditReads(c, store.ActionRequestPull, c.p.user.CPASID, ids); err != nil {
		return err
	}
	head, err := json.Marshal(api.PullReply{Cursor: formatCursor(page.Next), Full: page.Full, More: page.More, Requests: []api.Request{}})
	if err != nil {
		return err
	}
	head = bytes.TrimSuffix(head, []byte("[]}")) // Requests is the last field
	b := make([]byte, 0, len(head)+size+3)
	b = append(b, head...)
	b = append(b, '[')
	for i, r := range page.Requests {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r.JSON...)
	}
	b = append(b, "]}\n"...)
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(b)
	return nil
}

// lean is a request as pull sends it: what the device cannot compute. The
// explanation (steps, per-period treatment, timeline, the rule set's
// sources) is most of a stored request and calc on the device recomputes it
// from the case when the request is opened; the device's own computation
// (ClientResult) it had already. GET /api/v1/requests/{id} still sends
// everything, for a request whose figures calc no longer finds (a rules
// revision since).
func lean(r api.Request) api.Request {
	l, _ := r.Lean()
	return l
}

// auditReads records the read of each of these requests of a CPAS.
func (s *Service) auditReads(c *call, action, cpasID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	entries := make([]store.AuditEntry, len(ids))
	for i, id := range ids {
		entries[i] = c.p.audit(action)
		entries[i].CPASID, entries[i].RequestID = cpasID, id
	}
	return s.st.AppendAudit(c.r.Context(), entries...)
}

// A cursor is "<epoch>.<seq>"; anything else (empty included) asks for a
// full snapshot.
func parseCursor(s string) store.Cursor {
	epoch, seq, ok := strings.Cut(s, ".")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil {
		return store.Cursor{Seq: -1}
	}
	return store.Cursor{Epoch: epoch, Seq: n}
}

func formatCursor(c store.Cursor) string { return c.Epoch + "." + strconv.FormatInt(c.Seq, 10) }

// sameUser refuses a sync for another user's device data than the
// session's: after one colleague signs out and another signs in on the
// same browser, a sync still running for the first must not go through
// under the second's session. Clients that do not say (older ones) pass.
func sameUser(c *call, user string) error {
	if user != "" && user != c.p.user.ID {
		return fail(api.CodeWrongUser, "these device data belong to another user: sign in as that user")
	}
	return nil
}
