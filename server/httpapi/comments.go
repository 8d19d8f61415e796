package httpapi

import (
	"net/http"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// listComments returns a request's thread. The worker of the request's
// CPAS and the agents of its office may read it; it is a read of the
// person's file, so it is audited.
func (s *Service) listComments(c *call) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.findRequest(c, id)
	if err != nil {
		return err
	}
	a := c.p.audit(store.ActionCommentRead)
	a.CPASID, a.RequestID = r.CPASID, r.ID
	if err := s.st.AppendAudit(c.r.Context(), a); err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, thread(r))
	return nil
}

// addComment appends a comment and answers the whole thread: 201, or 200
// when the comment's id was already posted (a retry). The request changes
// with it, so the CPAS gets the thread through pull.
func (s *Service) addComment(c *call) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in api.CommentRequest
	if err := decodeJSON(c.w, c.r, 16<<10, &in); err != nil {
		return err
	}
	if fs := in.Check(); len(fs) > 0 {
		return fail(api.CodeInvalid, "the comment is not valid", fs...)
	}
	found, err := s.findRequest(c, id)
	if err != nil {
		return err
	}
	if in.ID == "" {
		in.ID = uuid.NewString()
	}
	now := s.now().UTC().Format(time.RFC3339)
	replay := false
	r, err := s.st.UpdateRequest(c.r.Context(), store.Update{CPASID: found.CPASID, ID: id,
		Audit: c.p.audit(store.ActionCommentAdd),
		Change: func(r *api.Request) ([]store.Mail, *api.Error) {
			var e *api.Error
			if replay, e = appendComment(r, &in, c.p, now); e != nil {
				return nil, e
			}
			return questionMail(r, c.p), nil
		}})
	if err := asAPIError(err); err != nil {
		return err
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	writeJSON(c.w, status, thread(r))
	return nil
}

// questionMail tells the request's reference person that ONEM wrote in the
// comments: an agent's comment is a question the CPAS must answer there
// (seed 004). It goes through the outbox in the comment's transaction, so a
// comment is never without its mail, nor mailed twice.
func questionMail(r *api.Request, p *principal) []store.Mail {
	if p.user.Role != api.RoleAgent || r.ReferenceEmail == "" {
		return nil
	}
	return []store.Mail{{ID: uuid.NewString(), To: r.ReferenceEmail, Template: store.TemplateQuestion,
		Lang: r.Language(), CPASID: r.CPASID, RequestID: r.ID}}
}

// appendComment adds the comment to the request, or recognises a retry of
// one already there (replay, nothing written).
func appendComment(r *api.Request, in *api.CommentRequest, p *principal, now string) (replay bool, e *api.Error) {
	text := strings.TrimSpace(in.Text)
	for _, cm := range r.Thread {
		if cm.ID != in.ID {
			continue
		}
		if cm.AuthorID == p.user.ID && cm.Text == text {
			return true, store.Unchanged
		}
		return false, &api.Error{Code: api.CodeMutationReused, Message: "this comment id was already used for another comment",
			Fields: []api.FieldError{{Path: "id", Message: "already used"}}}
	}
	if len(r.Thread) >= api.MaxThread {
		return false, api.Invalid("this request has reached the limit of comments",
			api.FieldError{Path: "text", Message: "at most 200 comments per request"})
	}
	r.Thread = append(r.Thread, api.Comment{ID: in.ID, AuthorID: p.user.ID, AuthorRole: p.user.Role,
		AuthorName: p.user.DisplayName, Text: text, At: now})
	r.UpdatedAt = now
	return false, nil
}

func thread(r *api.Request) api.CommentsReply {
	out := api.CommentsReply{RequestID: r.ID, Comments: r.Thread}
	if out.Comments == nil {
		out.Comments = []api.Comment{}
	}
	return out
}
