package drafts

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
	"time"

	"art60/server/api"
)

// ErrNotFound is returned when no draft or blob has the id.
var ErrNotFound = errors.New("not found")

// ErrQueued is returned by Queue when the stored draft is already in the
// outbox or sent: a second Send (a double click, another tab) must not make
// a second mutation.
var ErrQueued = errors.New("already queued or sent")

// ErrDeviceFull is returned when the browser refuses a write because this
// site's share of the device's storage is used up (QuotaExceededError).
// The write is then not made at all (one IndexedDB transaction): what was
// saved before stays as it was. Its text is the UI's message id.
var ErrDeviceFull = errors.New("storage.full")

// Store keeps drafts and their attachments' bytes on the device.
type Store interface {
	List(ctx context.Context) ([]Draft, error)
	// Rows lists the list rows of every draft, in list order.
	Rows(ctx context.Context) ([]Row, error)
	Get(ctx context.Context, id string) (Draft, error)
	Put(ctx context.Context, d Draft) error
	Delete(ctx context.Context, id string) error
	PutBlob(ctx context.Context, sha256 string, data []byte) error
	GetBlob(ctx context.Context, sha256 string) ([]byte, error)
	DeleteBlob(ctx context.Context, sha256 string) error

	// Queue puts the draft's submission in the outbox under the next
	// mutation id and stores the draft marked as queued, in one transaction:
	// a request is never lost between the two, nor queued twice.
	Queue(ctx context.Context, d Draft, sub api.Submission) (Pending, error)
	// Pending lists the outbox, oldest first.
	Pending(ctx context.Context) ([]Pending, error)
	// Done removes a mutation from the outbox and stores the draft as the
	// server answered, in one transaction.
	Done(ctx context.Context, mutationID int64, d Draft) error
	// Meta reads and writes small device settings (client id, cursor).
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// Pending is one mutation waiting in the outbox.
type Pending struct {
	MutationID int64          `json:"mutationId"`
	RequestID  string         `json:"requestId"`
	Submission api.Submission `json:"submission"`
	QueuedAt   string         `json:"queuedAt"`
}

// metaNextMutation is the meta key of the last mutation id handed out.
const metaNextMutation = "lastMutationId"

// Memory is a Store in memory: for server-side rendering and tests.
type Memory struct {
	mu     sync.Mutex
	drafts map[string]Draft
	blobs  map[string][]byte
	outbox map[int64]Pending
	meta   map[string]string
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{drafts: map[string]Draft{}, blobs: map[string][]byte{}, outbox: map[int64]Pending{}, meta: map[string]string{}}
}

// List returns every draft, in list order.
func (m *Memory) List(context.Context) ([]Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Draft, 0, len(m.drafts))
	for _, d := range m.drafts {
		out = append(out, d)
	}
	SortForList(out)
	return out, nil
}

// Rows implements Store.
func (m *Memory) Rows(context.Context) ([]Row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Row, 0, len(m.drafts))
	for _, d := range m.drafts {
		out = append(out, RowOf(&d))
	}
	SortRows(out)
	return out, nil
}

// Get returns one draft.
func (m *Memory) Get(_ context.Context, id string) (Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.drafts[id]
	if !ok {
		return Draft{}, ErrNotFound
	}
	return d, nil
}

// Put stores a draft (a deep copy, like IndexedDB's structured clone).
func (m *Memory) Put(_ context.Context, d Draft) error {
	c, err := CloneCase(d.Case)
	if err != nil {
		return err
	}
	d.Case = c
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drafts[d.ID] = d
	return nil
}

// Delete removes a draft.
func (m *Memory) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.drafts, id)
	return nil
}

// PutBlob stores an attachment's bytes.
func (m *Memory) PutBlob(_ context.Context, sum string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blobs[sum] = append([]byte(nil), data...)
	return nil
}

// DeleteBlob removes an attachment's bytes.
func (m *Memory) DeleteBlob(_ context.Context, sum string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.blobs, sum)
	return nil
}

// GetBlob returns an attachment's bytes.
func (m *Memory) GetBlob(_ context.Context, sum string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[sum]
	if !ok {
		return nil, ErrNotFound
	}
	return b, nil
}

// Queue implements Store.
func (m *Memory) Queue(_ context.Context, d Draft, sub api.Submission) (Pending, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.drafts[d.ID]; ok && !old.Editable() {
		return Pending{}, ErrQueued
	}
	last, _ := strconv.ParseInt(m.meta[metaNextMutation], 10, 64)
	p := Pending{MutationID: last + 1, RequestID: d.ID, Submission: sub, QueuedAt: time.Now().UTC().Format(time.RFC3339)}
	d.Outbox = p.MutationID
	m.meta[metaNextMutation] = strconv.FormatInt(p.MutationID, 10)
	m.outbox[p.MutationID] = p
	m.drafts[d.ID] = d
	return p, nil
}

// Pending implements Store.
func (m *Memory) Pending(context.Context) ([]Pending, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Pending, 0, len(m.outbox))
	for _, p := range m.outbox {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MutationID < out[j].MutationID })
	return out, nil
}

// Done implements Store.
func (m *Memory) Done(_ context.Context, id int64, d Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.outbox, id)
	m.drafts[d.ID] = d
	return nil
}

// Meta implements Store.
func (m *Memory) Meta(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.meta[key], nil
}

// SetMeta implements Store.
func (m *Memory) SetMeta(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.meta[key] = value
	return nil
}
