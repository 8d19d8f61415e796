package httpapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"art60/calc"
	"art60/server/api"
	"art60/server/store"
)

// prepare validates a submission and computes the authoritative result. It
// returns the request to store, or the reason to reject (paths relative to
// the mutation). It reads no stored state: decideSubmit does that.
func (s *Service) prepare(p *principal, sub *api.Submission, now time.Time) (*api.Request, *api.Error) {
	fs := api.Prefix("request", sub.Check())
	lang := sub.Language()
	var cs *calc.Case
	if len(sub.Case) > 0 {
		var err error
		cs, err = calc.Parse(sub.Case, lang)
		if e := caseError(err); e != nil {
			fs = append(fs, e.Fields...)
		}
	}
	if len(fs) > 0 {
		return nil, api.Invalid("the request is not valid", fs...)
	}
	res, unreachable, err := solve(cs, lang)
	if e := caseError(err); e != nil {
		return nil, e
	}
	canonical, err := json.Marshal(cs)
	if err != nil {
		return nil, &api.Error{Code: api.CodeInternal, Message: "internal error"}
	}
	r := &api.Request{Submission: *sub, CPASID: p.user.CPASID, Status: api.StatusSent, CreatedBy: p.user.ID,
		ReceivedAt: now.Format(time.RFC3339), DueDate: calc.DueDate(now).Format(time.DateOnly),
		Result: res, Unreachable: unreachable, UpdatedAt: now.Format(time.RFC3339)}
	r.Case = canonical
	r.Differences = differences(sub.ClientResult, res)
	r.ResultDiffers = len(r.Differences) > 0
	return r, nil
}

// solve runs the engine. An unreachable case is still a request ONEM must
// look at, so it is stored with the engine's explanation instead of a result.
func solve(cs *calc.Case, lang string) (*calc.Result, *calc.UnreachableError, error) {
	res, err := calc.Solve(cs, lang)
	var un *calc.UnreachableError
	if errors.As(err, &un) {
		return nil, un, nil
	}
	return res, nil, err
}

// caseError maps the engine's errors: a validation error keeps its paths,
// under request.case.
func caseError(err error) *api.Error {
	if err == nil {
		return nil
	}
	var ve *calc.ValidationError
	if errors.As(err, &ve) {
		return api.Invalid("the case is not valid", api.Prefix("request.case", ve.Fields)...)
	}
	return &api.Error{Code: api.CodeInternal, Message: "the calculation failed"}
}

// differences names the result fields where the client's calculation and
// the server's disagree (the explanation text is not compared: it is in
// the user's language and may be worded differently by another version).
func differences(client, server *calc.Result) []string {
	if client == nil {
		return nil
	}
	if server == nil {
		return []string{"result"}
	}
	var d []string
	check := func(name string, same bool) {
		if !same {
			d = append(d, name)
		}
	}
	check("ruleSet", client.RuleSet.ID == server.RuleSet.ID)
	check("alreadyAdmissible", client.AlreadyAdmissible == server.AlreadyAdmissible)
	check("requiredDays", client.RequiredDays == server.RequiredDays)
	check("referenceMonths", client.ReferenceMonths == server.ReferenceMonths)
	check("windowCredit", client.WindowCredit == server.WindowCredit)
	check("contractEnd", eqPtr(client.ContractEnd, server.ContractEnd))
	check("claimDate", client.ClaimDate == server.ClaimDate)
	return d
}

func eqPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// decideSubmit makes the checks that depend on stored state, inside the
// mutation's transaction: a sent request cannot be sent again or edited,
// a copy needs an answered parent of the same CPAS, the end-of-contract
// check has its window and its limit, attachments must be uploaded.
func decideSubmit(v store.View, r *api.Request, today string) (*api.Request, *api.Error) {
	if _, err := v.Request(r.CPASID, r.ID); err == nil {
		return nil, &api.Error{Code: api.CodeAlreadySent, Message: "this request was already sent; a sent request cannot be edited",
			Fields: []api.FieldError{{Path: "request.id", Message: "already sent"}}}
	} else if errors.Is(err, store.ErrErased) {
		// A device that still had it queued must not bring an erased
		// person's data back under the same id.
		return nil, &api.Error{Code: api.CodeRequestErased, Message: "this request was erased; its id cannot be used again",
			Fields: []api.FieldError{{Path: "request.id", Message: "erased"}}}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, internal()
	}
	r.RootID = r.ID
	if r.Kind.IsCopy() {
		if e := checkParent(v, r, today); e != nil {
			return nil, e
		}
	}
	for i, sha := range r.Attachments {
		ok, err := v.HasAttachment(r.CPASID, sha)
		if err != nil {
			return nil, internal()
		}
		if !ok {
			return nil, &api.Error{Code: api.CodeAttachmentNotFound, Message: "an attachment was not uploaded",
				Fields: []api.FieldError{{Path: "request.attachments[" + strconv.Itoa(i) + "]", Message: "not uploaded"}}}
		}
	}
	return r, nil
}

func checkParent(v store.View, r *api.Request, today string) *api.Error {
	parent, err := v.Request(r.CPASID, r.ParentID)
	if errors.Is(err, store.ErrNotFound) {
		return &api.Error{Code: api.CodeParentNotFound, Message: "the request to copy does not exist",
			Fields: []api.FieldError{{Path: "request.parentId", Message: "unknown request"}}}
	}
	if err != nil {
		return internal()
	}
	if !api.CanCopy(parent.Status) {
		return &api.Error{Code: api.CodeForbiddenTransition,
			Message: "a request can be copied only once ONEM has answered it",
			Fields:  []api.FieldError{{Path: "request.parentId", Message: "parent is " + string(parent.Status)}}}
	}
	r.RootID = parent.RootID
	if r.Kind != api.KindEndCheck {
		return nil
	}
	n, err := v.EndChecks(r.CPASID, r.RootID)
	if err != nil {
		return internal()
	}
	if e := api.EndCheckAllowed(parent.ContractEnd(), today, n, r.Derogation); e != nil {
		e.Fields = api.Prefix("request", e.Fields)
		return e
	}
	return nil
}

func internal() *api.Error { return &api.Error{Code: api.CodeInternal, Message: "internal error"} }
