package httpapi

import (
	"net/http"
	"strconv"

	"art60/server/api"
	"art60/server/store"
)

// AuditReply answers GET /api/v1/admin/audit.
type AuditReply struct {
	Entries []store.AuditEntry `json:"entries"`
	Next    int64              `json:"next"` // pass as "after" for the next page
}

func (s *Service) auditTrail(c *call) error {
	q := c.r.URL.Query()
	var fs []api.FieldError
	after, err := strconv.ParseInt(q.Get("after"), 10, 64)
	if q.Get("after") != "" && (err != nil || after < 0) {
		fs = append(fs, api.FieldError{Path: "after", Message: "must be a sequence number"})
	}
	limit := 500
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 5000 {
			fs = append(fs, api.FieldError{Path: "limit", Message: "must be 1 to 5000"})
		}
	}
	reqID := q.Get("requestId")
	if reqID != "" && !api.IsUUID(reqID) {
		fs = append(fs, api.FieldError{Path: "requestId", Message: "must be a request id"})
	}
	if len(fs) > 0 {
		return fail(api.CodeInvalid, "bad query", fs...)
	}
	entries, err := s.st.Audit(c.r.Context(), after, reqID, limit)
	if err != nil {
		return err
	}
	if auditReadSeen(c.p, entries) {
		a := c.p.audit(store.ActionAuditRead)
		a.Object = reqID
		if err := s.st.AppendAudit(c.r.Context(), a); err != nil {
			return err
		}
	}
	next := after
	if len(entries) > 0 {
		next = entries[len(entries)-1].Seq
	}
	writeJSON(c.w, http.StatusOK, AuditReply{Entries: entries, Next: next})
	return nil
}
