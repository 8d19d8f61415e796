package httpapi

import (
	"errors"
	"net/http"
	"strings"
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
	if err := s.auditReads(c, store.ActionRequestRead, []api.Request{*r}); err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, r)
	return nil
}

func (s *Service) findRequest(c *call, id string) (*api.Request, error) {
	cpas, err := s.tenants(c)
	if err != nil {
		return nil, err
	}
	for _, cp := range cpas {
		r, err := s.st.Request(c.r.Context(), cp, id)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, errNotFound
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

// queue lists the sent requests of the agent's office, by due date. It
// holds ids and dates only, so it is not audited; opening one is.
func (s *Service) queue(c *call) error {
	items, err := s.st.Queue(c.r.Context(), c.p.user.OfficeID, 1000)
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, api.QueueReply{Items: items})
	return nil
}

// decide records ONEM's answer and queues the e-mail to the reference
// person in the same transaction. (The full review screen is issue 6.)
func (s *Service) decide(c *call) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in api.DecisionRequest
	if err := decodeJSON(c.w, c.r, 64<<10, &in); err != nil {
		return err
	}
	if fs := checkDecision(in); len(fs) > 0 {
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
			return applyDecision(r, in, c.p.user.ID, now)
		}})
	var ae *api.Error
	if errors.As(err, &ae) {
		return failWith(ae)
	}
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, r)
	return nil
}

func checkDecision(in api.DecisionRequest) []api.FieldError {
	var fs []api.FieldError
	if in.Outcome != api.StatusCalculated && in.Outcome != api.StatusInvalidated {
		fs = append(fs, api.FieldError{Path: "outcome", Message: "must be calculated or invalidated"})
	}
	if in.Outcome == api.StatusInvalidated && strings.TrimSpace(in.Remark) == "" {
		fs = append(fs, api.FieldError{Path: "remark", Message: "say why the request is invalidated"})
	}
	if len(in.Remark) > api.MaxComments {
		fs = append(fs, api.FieldError{Path: "remark", Message: "is too long"})
	}
	if in.ContractEnd != nil {
		if _, err := time.Parse(time.DateOnly, *in.ContractEnd); err != nil {
			fs = append(fs, api.FieldError{Path: "contractEnd", Message: "must be a date YYYY-MM-DD"})
		}
	}
	return fs
}

func applyDecision(r *api.Request, in api.DecisionRequest, by, now string) ([]store.Mail, *api.Error) {
	if !api.CanTransition(r.Status, in.Outcome) {
		return nil, &api.Error{Code: api.CodeForbiddenTransition, Message: "this request is not waiting for a decision",
			Fields: []api.FieldError{{Path: "outcome", Message: "request is " + string(r.Status)}}}
	}
	r.Status = in.Outcome
	r.Decision = &api.Decision{Outcome: in.Outcome, Remark: in.Remark, ContractEnd: in.ContractEnd, DecidedAt: now, DecidedBy: by}
	r.UpdatedAt = now
	mail := store.Mail{ID: uuid.NewString(), To: r.ReferenceEmail, Template: "decision", Lang: r.Language(),
		CPASID: r.CPASID, RequestID: r.ID}
	return []store.Mail{mail}, nil
}
