package drafts

import (
	"context"
	"errors"
	"sync"
)

// ErrNotFound is returned when no draft or blob has the id.
var ErrNotFound = errors.New("not found")

// Store keeps drafts and their attachments' bytes on the device.
type Store interface {
	List(ctx context.Context) ([]Draft, error)
	Get(ctx context.Context, id string) (Draft, error)
	Put(ctx context.Context, d Draft) error
	Delete(ctx context.Context, id string) error
	PutBlob(ctx context.Context, sha256 string, data []byte) error
	GetBlob(ctx context.Context, sha256 string) ([]byte, error)
}

// Memory is a Store in memory: for server-side rendering and tests.
type Memory struct {
	mu     sync.Mutex
	drafts map[string]Draft
	blobs  map[string][]byte
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{drafts: map[string]Draft{}, blobs: map[string][]byte{}}
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
