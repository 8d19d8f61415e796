package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"art60/server/api"
	"art60/server/privacy"
	"art60/server/store"
)

// SubjectQuery names the person whose data an admin route is about. The
// NISS travels in the body, never in the URL (URLs end up in logs).
type SubjectQuery struct {
	NISS string `json:"niss"`
}

// AccessesReply answers POST /api/v1/admin/subject/accesses.
type AccessesReply struct {
	Accesses []privacy.Access `json:"accesses"`
}

// subject reads and checks the body of the subject routes.
func subject(c *call) (string, error) {
	var q SubjectQuery
	if err := decodeJSON(c.w, c.r, 1<<10, &q); err != nil {
		return "", err
	}
	niss, err := privacy.NISS(q.NISS)
	if err != nil {
		return "", fail(api.CodeInvalid, "not a valid NISS or BIS number",
			api.FieldError{Path: "niss", Message: "not a valid NISS or BIS number"})
	}
	return niss, nil
}

func (s *Service) exportSubject(c *call) error {
	niss, err := subject(c)
	if err != nil {
		return err
	}
	out, err := privacy.ExportPerson(c.r.Context(), s.st, niss, c.p.audit(""))
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

func (s *Service) subjectAccesses(c *call) error {
	niss, err := subject(c)
	if err != nil {
		return err
	}
	out, err := privacy.Accesses(c.r.Context(), s.st, niss, c.p.audit(""))
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, AccessesReply{Accesses: out})
	return nil
}

// eraseSubject erases a person's requests. It answers once the values are
// off the disk too; the erasure itself is done (and answered 200) even if
// only that last step failed, which the timer then retries.
func (s *Service) eraseSubject(c *call) error {
	niss, err := subject(c)
	if err != nil {
		return err
	}
	// Not cut short by a client that gives up: half an erasure helps nobody.
	ctx := context.WithoutCancel(c.r.Context())
	n, err := privacy.ErasePerson(ctx, s.st, niss, c.p.audit(""))
	if err != nil && n.Requests == 0 {
		return err
	}
	if err != nil {
		s.log.Error("erasure: compact", "err", err)
	}
	writeJSON(c.w, http.StatusOK, n)
	return nil
}

// retention runs the retention policy once a day, from the start.
type retention struct {
	stop chan struct{}
	done sync.WaitGroup
}

// retentionEvery is how often the retention pass runs.
const retentionEvery = 24 * time.Hour

func (s *Service) startRetention() {
	p := s.deps.Retention
	if p.Decided <= 0 && p.Uploads <= 0 {
		return
	}
	s.retention = &retention{stop: make(chan struct{})}
	s.retention.done.Add(1)
	go func() {
		defer s.retention.done.Done()
		t := time.NewTicker(retentionEvery)
		defer t.Stop()
		for {
			s.retain()
			select {
			case <-s.retention.stop:
				return
			case <-t.C:
			}
		}
	}()
}

func (s *Service) retain() {
	who := store.AuditEntry{UserID: store.RetentionUser, ClientAddr: "local"}
	n, err := privacy.Retain(context.Background(), s.st, s.deps.Retention, s.now(), who)
	if err != nil && !errors.Is(err, store.ErrClosed) {
		s.log.Error("retention", "err", err)
	}
	if n.Requests+n.Files > 0 {
		s.log.Info("retention", "requestsErased", n.Requests, "filesDeleted", n.Files)
	}
}

func (s *Service) stopRetention() {
	if s.retention != nil {
		close(s.retention.stop)
		s.retention.done.Wait()
	}
}
