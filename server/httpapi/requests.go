package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// getRequest returns one request of the caller's CPAS (worker) or of a CPAS
// of the caller's office (agent); anything else is "not found", so that
// another tenant's ids cannot even be confirmed.
func (s *Service) getRequest(c *call) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.findRequest(c, id)
	if err != nil {
		return err
	}
	if err := s.auditReads(c, store.ActionRequestRead, r.CPASID, []string{r.ID}); err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, r)
	return nil
}

// findRequest reads the request an id names (one in the whole store) and
// answers "not found" unless its CPAS is one the caller may see.
func (s *Service) findRequest(c *call, id string) (*api.Request, error) {
	r, err := s.st.RequestByID(c.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	cpas, err := s.tenants(c)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(cpas, r.CPASID) {
		return nil, errNotFound
	}
	return r, nil
}

// tenants lists the CPAS whose files the caller may open.
func (s *Service) tenants(c *call) ([]string, error) {
	if c.p.user.Role == api.RoleWorker {
		return []string{c.p.user.CPASID}, nil
	}
	if c.p.user.Role != api.RoleAgent {
		return nil, nil
	}
	all, err := s.st.ListCPAS(c.r.Context())
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, cp := range all {
		if cp.OfficeID == c.p.user.OfficeID {
			ids = append(ids, cp.ID)
		}
	}
	return ids, nil
}

// queueLimit bounds one queue answer (and is its default size).
const queueLimit = 1000

// queue lists the requests of the agent's office: sent ones by due date,
// or with ?status= the decided ones, newest decision first. It holds ids,
// dates and flags only, so it is not audited; opening a request is.
func (s *Service) queue(c *call) error {
	today := s.today()
	q, none, err := queueQuery(c, today)
	if err != nil {
		return err
	}
	page := store.QueuePage{Items: []api.QueueItem{}}
	if !none {
		if page, err = s.st.Queue(c.r.Context(), q); err != nil {
			return err
		}
	}
	entries := make([]store.AuditEntry, len(page.Items))
	for i := range page.Items {
		it := &page.Items[i]
		it.Overdue = api.IsOverdue(it.Status, it.DueDate, today)
		entries[i] = c.p.audit(store.ActionQueueRead)
		entries[i].CPASID, entries[i].RequestID = it.CPASID, it.RequestID
	}
	// The queue shows whom each request is about: that is a read of the
	// person's file, audited like opening it.
	if err := s.st.AppendAudit(c.r.Context(), entries...); err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, api.QueueReply{Items: page.Items, Today: today, More: page.More})
	return nil
}

// queueQuery reads the filters: ?cpas= (enterprise number), ?status=
// (sent, calculated or invalidated), ?overdue= (true or false), ?limit=.
// none says the filters cannot match anything (decided requests are never
// overdue). A CPAS of another office is not an error: it matches nothing,
// like a CPAS that does not exist, so the answer tells nothing about it.
func queueQuery(c *call, today string) (q store.QueueQuery, none bool, err error) {
	v := c.r.URL.Query()
	q = store.QueueQuery{OfficeID: c.p.user.OfficeID, Status: api.StatusSent, Limit: queueLimit}
	var fs []api.FieldError
	add := func(path, msg string) { fs = append(fs, api.FieldError{Path: path, Message: msg}) }
	if cp := v.Get("cpas"); cp != "" {
		id, ok := api.NormalizeEnterpriseNumber(cp)
		if !ok {
			add("cpas", "must be an enterprise number (10 digits)")
		}
		q.CPASID = id
	}
	switch st := api.Status(v.Get("status")); st {
	case "":
	case api.StatusSent, api.StatusCalculated, api.StatusInvalidated:
		q.Status = st
	default:
		add("status", "must be sent, calculated or invalidated")
	}
	switch v.Get("overdue") {
	case "":
	case "true":
		q.DueBefore, none = today, q.Status != api.StatusSent
	case "false":
		q.DueFrom = today
	default:
		add("overdue", "must be true or false")
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > queueLimit {
			add("limit", "must be 1 to 1000")
		}
		q.Limit = n
	}
	if len(fs) > 0 {
		return q, false, fail(api.CodeInvalid, "bad queue filter", fs...)
	}
	return q, none, nil
}

// today is the server's date in Brussels, the one due dates are about.
func (s *Service) today() string { return s.now().In(s.zone).Format(time.DateOnly) }

// decide records ONEM's answer and queues the e-mail to the reference
// person in the same transaction, then wakes the mail worker: sending
// never delays the answer, and a crash after the commit loses no mail.
func (s *Service) decide(c *call) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in api.DecisionRequest
	if err := decodeJSON(c.w, c.r, 64<<10, &in); err != nil {
		return err
	}
	if fs := in.Check(); len(fs) > 0 {
		return fail(api.CodeInvalid, "the decision is not valid", fs...)
	}
	found, err := s.findRequest(c, id)
	if err != nil {
		return err
	}
	now := s.now().UTC().Format(time.RFC3339)
	r, err := s.st.UpdateRequest(c.r.Context(), store.Update{CPASID: found.CPASID, ID: id,
		Audit: c.p.audit(store.ActionRequestDecide),
		Change: func(r *api.Request) ([]store.Mail, *api.Error) {
			return applyDecision(r, &in, c.p.user.ID, now)
		}})
	if err := asAPIError(err); err != nil {
		return err
	}
	s.mailer.Wake()
	writeJSON(c.w, http.StatusOK, r)
	return nil
}

func applyDecision(r *api.Request, in *api.DecisionRequest, by, now string) ([]store.Mail, *api.Error) {
	d, e := in.Decide(r, by, now)
	if e != nil {
		return nil, e
	}
	r.Status, r.Decision, r.UpdatedAt = d.Outcome, d, now
	mail := store.Mail{ID: uuid.NewString(), To: r.ReferenceEmail, Template: store.TemplateDecision,
		Outcome: string(d.Outcome), Lang: r.Language(), CPASID: r.CPASID, RequestID: r.ID}
	return []store.Mail{mail}, nil
}

// asAPIError turns a refusal from a store callback into its HTTP answer.
func asAPIError(err error) error {
	var ae *api.Error
	if errors.As(err, &ae) {
		return failWith(ae)
	}
	return err
}
