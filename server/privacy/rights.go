package privacy

import (
	"context"
	"errors"
	"fmt"
	"math"

	"art60/server/api"
	"art60/server/store"
)

// Export is everything art60 holds about one person (GDPR art. 15): each
// request with its comments and decision, its files, and the audit trail
// of who did what with it.
type Export struct {
	ExportedAt string            `json:"exportedAt"`
	Requests   []ExportedRequest `json:"requests"`
}

// ExportedRequest is one request of an Export.
type ExportedRequest struct {
	Request api.Request        `json:"request"`
	Files   []ExportedFile     `json:"files"`
	Audit   []store.AuditEntry `json:"audit"`
}

// ExportedFile is an attachment with its bytes (base64 in JSON).
type ExportedFile struct {
	SHA256      string `json:"sha256"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Data        []byte `json:"data"`
}

// ExportPerson gathers an Export for the person with this NISS. The export
// is recorded first (subject.export, one entry per request): an export
// that fails after the entry is a read that may have happened.
func ExportPerson(ctx context.Context, st store.Store, niss string, who store.AuditEntry) (Export, error) {
	reqs, err := Requests(ctx, st, niss)
	if err != nil {
		return Export{}, err
	}
	if err := record(ctx, st, who, store.ActionSubjectExport, reqs); err != nil {
		return Export{}, err
	}
	out := Export{ExportedAt: stamp(st), Requests: make([]ExportedRequest, 0, len(reqs))}
	for _, r := range reqs {
		e, err := exportRequest(ctx, st, r)
		if err != nil {
			return Export{}, err
		}
		out.Requests = append(out.Requests, e)
	}
	return out, nil
}

func exportRequest(ctx context.Context, st store.Store, r api.Request) (ExportedRequest, error) {
	e := ExportedRequest{Request: r, Files: []ExportedFile{}}
	names := map[string]string{}
	for _, f := range r.Files {
		names[f.SHA256] = f.Name
	}
	for _, sha := range r.Attachments {
		a, data, err := st.Attachment(ctx, r.CPASID, sha)
		if err != nil {
			return e, fmt.Errorf("privacy: export a file of request %s: %w", r.ID, err)
		}
		e.Files = append(e.Files, ExportedFile{SHA256: sha, Name: names[sha], ContentType: a.ContentType, Size: a.Size, Data: data})
	}
	var err error
	e.Audit, err = st.Audit(ctx, 0, r.ID, math.MaxInt32)
	if err != nil {
		return e, fmt.Errorf("privacy: export the audit trail of request %s: %w", r.ID, err)
	}
	return e, nil
}

// Access is one line of "who opened this person's files": an audit entry
// about one of their requests, with the account that made it.
type Access struct {
	store.AuditEntry
	Login       string `json:"login,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	OfficeID    string `json:"officeId,omitempty"`
}

// Accesses lists, oldest first per request, every audit entry about the
// person's requests (reads, sends, decisions, comments, downloads,
// exports) with the account behind each, for the data protection officer:
// the files themselves are not read. The look is recorded
// (subject.readers, one entry per request).
func Accesses(ctx context.Context, st store.Store, niss string, who store.AuditEntry) ([]Access, error) {
	reqs, err := Requests(ctx, st, niss)
	if err != nil {
		return nil, err
	}
	if err := record(ctx, st, who, store.ActionSubjectReaders, reqs); err != nil {
		return nil, err
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("privacy: read the accounts: %w", err)
	}
	byID := map[string]store.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	out := []Access{}
	for _, r := range reqs {
		entries, err := st.Audit(ctx, 0, r.ID, math.MaxInt32)
		if err != nil {
			return nil, fmt.Errorf("privacy: read the audit trail of request %s: %w", r.ID, err)
		}
		for _, e := range entries {
			u := byID[e.UserID]
			out = append(out, Access{AuditEntry: e, Login: u.Login, DisplayName: u.DisplayName, OfficeID: u.OfficeID})
		}
	}
	return out, nil
}

// Erased counts what an erasure or a retention pass removed.
type Erased struct {
	Requests int `json:"requests"`
	Files    int `json:"files"`
}

// ErasePerson erases every request about the person with this NISS (GDPR
// art. 17): each leaves only its mark for sync and a subject.erase audit
// entry (ids only), then the store pushes the values off the disk. A
// request erased meanwhile by someone else is skipped.
func ErasePerson(ctx context.Context, st store.Store, niss string, who store.AuditEntry) (Erased, error) {
	reqs, err := Requests(ctx, st, niss)
	if err != nil {
		return Erased{}, err
	}
	if len(reqs) == 0 {
		return Erased{}, record(ctx, st, who, store.ActionSubjectErase, nil)
	}
	who.Action = store.ActionSubjectErase
	n, err := eraseAll(ctx, st, reqs, who)
	if err != nil {
		return n, err
	}
	return n, compact(ctx, st)
}

func eraseAll(ctx context.Context, st store.Store, reqs []api.Request, who store.AuditEntry) (Erased, error) {
	var n Erased
	for _, r := range reqs {
		e, err := st.EraseRequest(ctx, r.CPASID, r.ID, who)
		if err != nil && !isErased(err) {
			return n, fmt.Errorf("privacy: erase request %s: %w", r.ID, err)
		}
		if err == nil {
			n.Requests++
			n.Files += e.Files
		}
	}
	return n, nil
}

// compact pushes the erased values off the store's disk. A store that
// cannot (the D1 store: D1 reclaims deleted rows by itself, and its Time
// Travel history keeps them until it expires; server/README.md, "The D1
// store") has erased all it can when the rows are gone, so the erasure
// stands as done rather than failing after the fact.
func compact(ctx context.Context, st store.Store) error {
	err := st.Compact(ctx)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("privacy: erased, but not yet off the disk (the server retries within 10 minutes): %w", err)
	}
	return nil
}
