// Package drafts keeps the social worker's requests on the device: the
// Draft model, and a Store in IndexedDB (browser) or in memory (server-side
// rendering and tests). Drafts never leave the device until they are sent.
package drafts

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"art60/calc"
	"art60/server/api"
)

// Draft is one request as the worker edits it. Status is "draft" until it is
// sent; after that the draft is a read-only local copy of the server's request.
type Draft struct {
	ID             string        `json:"id"`
	Status         api.Status    `json:"status"`
	Kind           api.Kind      `json:"kind"`
	ParentID       string        `json:"parentId,omitempty"`
	Simulation     bool          `json:"simulation,omitempty"` // a saved what-if, never sent
	LastName       string        `json:"lastName,omitempty"`
	FirstName      string        `json:"firstName,omitempty"`
	ReferenceEmail string        `json:"referenceEmail,omitempty"`
	Comments       string        `json:"comments,omitempty"`
	Case           calc.Case     `json:"case"`
	Attachments    []Attachment  `json:"attachments,omitempty"`
	Derogation     string        `json:"derogation,omitempty"` // written justification, end-of-contract check
	Remote         *api.Request  `json:"remote,omitempty"`     // the server's view once sent
	Outbox         int64         `json:"outbox,omitempty"`     // mutation id while waiting to be sent
	Rejection      *api.Error    `json:"rejection,omitempty"`  // why the server refused the last send
	UpdatedAt      string        `json:"updatedAt"`            // RFC 3339
	Result         *ResultDigest `json:"result,omitempty"`     // for the list, without recomputing
}

// Attachment is a file kept with the draft; its bytes are a separate blob
// keyed by SHA-256, so a draft stays small to load and save.
type Attachment struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ResultDigest is what the request list shows of the last computation.
type ResultDigest struct {
	ContractEnd string `json:"contractEnd,omitempty"`
	ClaimDate   string `json:"claimDate,omitempty"`
}

// MaxAttachmentSize is the limit of one attachment (issue 4: up to 10 MB).
const MaxAttachmentSize = 10 << 20

// New returns an empty draft with a fresh id.
func New(now time.Time) Draft {
	fd := 5.0
	return Draft{
		ID:     NewID(),
		Status: api.StatusDraft,
		Kind:   api.KindInitial,
		Case: calc.Case{
			Contract: calc.Contract{DaysPerWeek: &fd},
			Options:  calc.Options{ClaimDays: "mon-sat"},
		},
		UpdatedAt: now.UTC().Format(time.RFC3339),
	}
}

// NewID returns a random (version 4) UUID in lowercase.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // the platform has no randomness: nothing sensible to do
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Editable says whether the CPAS may still change the draft: not once it
// is queued for sending or sent.
func (d *Draft) Editable() bool { return d.Status == api.StatusDraft && d.Outbox == 0 }

// Copy makes the editable copy that "modify" creates from a request ONEM
// has answered (RULES.md §11): same person and case, a new id, the
// original as parent.
func (d *Draft) Copy(kind api.Kind, now time.Time) (Draft, error) {
	if !api.CanCopy(d.Status) {
		return Draft{}, fmt.Errorf("a request in status %q cannot be modified", d.Status)
	}
	c := *d
	c.ID = NewID()
	c.Status = api.StatusDraft
	c.Kind = kind
	c.ParentID = d.ID
	c.Remote, c.Result, c.Outbox, c.Rejection = nil, nil, 0, nil
	c.Derogation = ""
	c.UpdatedAt = now.UTC().Format(time.RFC3339)
	var err error
	c.Case, err = CloneCase(d.Case)
	c.Attachments = append([]Attachment(nil), d.Attachments...)
	return c, err
}

// CloneCase deep-copies a case (its periods and pointers) through JSON.
func CloneCase(c calc.Case) (calc.Case, error) {
	data, err := json.Marshal(c)
	if err != nil {
		return calc.Case{}, err
	}
	var out calc.Case
	err = json.Unmarshal(data, &out)
	return out, err
}

// Export is the file a draft is exported to and imported from: the draft's
// details with its case in the RULES.md §7 format.
type Export struct {
	Format         string       `json:"format"` // "art60-draft/1"
	LastName       string       `json:"lastName,omitempty"`
	FirstName      string       `json:"firstName,omitempty"`
	ReferenceEmail string       `json:"referenceEmail,omitempty"`
	Comments       string       `json:"comments,omitempty"`
	Case           calc.Case    `json:"case"`
	Attachments    []Attachment `json:"attachments,omitempty"`
}

const exportFormat = "art60-draft/1"

// ExportJSON writes the draft as an export file.
func (d *Draft) ExportJSON() ([]byte, error) {
	return json.MarshalIndent(Export{Format: exportFormat, LastName: d.LastName, FirstName: d.FirstName,
		ReferenceEmail: d.ReferenceEmail, Comments: d.Comments, Case: d.Case, Attachments: d.Attachments}, "", "  ")
}

// ErrNotExport is returned for a file that is not an art60 export.
var ErrNotExport = errors.New("this file is not an art60 draft export")

// Import reads an export file into a new draft. The case goes through calc's
// strict decoder, so an imported file is held to the same rules as the API;
// a bare RULES.md §7 case (no envelope) is accepted too.
func Import(data []byte, lang string, now time.Time) (Draft, error) {
	var env struct {
		Format string          `json:"format"`
		Case   json.RawMessage `json:"case"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return Draft{}, ErrNotExport
	}
	d := New(now)
	caseJSON := data
	if env.Format != "" {
		if env.Format != exportFormat {
			return Draft{}, ErrNotExport
		}
		var e Export
		if err := json.Unmarshal(data, &e); err != nil {
			return Draft{}, ErrNotExport
		}
		d.LastName, d.FirstName, d.ReferenceEmail, d.Comments = e.LastName, e.FirstName, e.ReferenceEmail, e.Comments
		caseJSON = env.Case
	}
	c, err := calc.Decode(caseJSON, lang)
	if err != nil {
		return Draft{}, err
	}
	d.Case = *c
	return d, nil
}

// SortForList orders drafts as the request list shows them (seed 004): the
// newest ONEM answers first, then the rest by last change, newest first.
func SortForList(ds []Draft) {
	answered := func(d *Draft) string {
		if d.Remote != nil && d.Remote.Decision != nil {
			return d.Remote.Decision.DecidedAt
		}
		return ""
	}
	sort.SliceStable(ds, func(i, j int) bool {
		return listBefore(answered(&ds[i]), ds[i].UpdatedAt, answered(&ds[j]), ds[j].UpdatedAt)
	})
}

// EndCheckOf finds the end-of-contract check already sent, or waiting to be
// sent, for request d among all the drafts of the device: RULES.md §11
// allows one per request, more only with a derogation. A copy names its
// original (parentId); once sent, the server's copy also names the root of
// the chain.
func EndCheckOf(all []Draft, d Draft) (Draft, bool) {
	root := d.ID
	if d.Remote != nil && d.Remote.RootID != "" {
		root = d.Remote.RootID
	}
	for _, c := range all {
		if c.Kind != api.KindEndCheck || c.ID == d.ID || (c.Outbox == 0 && c.Remote == nil) {
			continue
		}
		if c.ParentID == d.ID || c.ParentID == root || (c.Remote != nil && c.Remote.RootID == root) {
			return c, true
		}
	}
	return Draft{}, false
}
