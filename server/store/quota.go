package store

import (
	"context"
	"errors"

	"art60/server/api"

	"github.com/dgraph-io/badger/v4"
)

// Quota bounds what one CPAS may store, so that one tenant cannot fill the
// disk that all share. Zero leaves a limit off.
type Quota struct {
	AttachmentBytes int64 // total size of the CPAS's attachments
	Requests        int64 // number of requests the CPAS sent
}

// Usage is what a CPAS stores, counted in the transaction of every change
// (the usage key, m/usage/<cpas>), so concurrent uploads cannot pass a
// limit together: the single writer applies them one after the other.
type Usage struct {
	AttachmentBytes int64 `json:"attachmentBytes"`
	Attachments     int64 `json:"attachments"`
	Requests        int64 `json:"requests"`
}

// ErrQuotaExceeded refuses a change that would take a CPAS over its quota;
// nothing of it is stored.
var ErrQuotaExceeded = errors.New("store: the CPAS's storage quota is used up")

const prefixUsage = "m/usage/"

func usageKey(cpas string) []byte { return k(prefixUsage+"%s", cpas) }

func readUsage(txn *badger.Txn, cpas string) (Usage, error) {
	var u Usage
	err := getJSON(txn, usageKey(cpas), &u)
	if errors.Is(err, ErrNotFound) {
		return Usage{}, nil
	}
	return u, err
}

// Usage reads what a CPAS stores.
func (s *Badger) Usage(_ context.Context, cpas string) (Usage, error) {
	var u Usage
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		u, err = readUsage(txn, cpas)
		return err
	})
	return u, err
}

// addAttachmentUsage counts a new file, or refuses it over the quota.
func (s *Badger) addAttachmentUsage(txn *badger.Txn, cpas string, size int64) error {
	u, err := readUsage(txn, cpas)
	if err != nil {
		return err
	}
	if q := s.quota.AttachmentBytes; q > 0 && u.AttachmentBytes+size > q {
		return ErrQuotaExceeded
	}
	u.AttachmentBytes += size
	u.Attachments++
	return setJSON(txn, usageKey(cpas), u)
}

// countRequest returns the usage of a CPAS with one more request, or the
// refusal that rejects the request's mutation over the quota. It writes
// nothing: the caller writes the usage once the request is accepted.
func (s *Badger) countRequest(txn *badger.Txn, cpas string) (Usage, *api.Error, error) {
	u, err := readUsage(txn, cpas)
	if err != nil {
		return u, nil, err
	}
	if q := s.quota.Requests; q > 0 && u.Requests+1 > q {
		return u, &api.Error{Code: api.CodeQuotaExceeded,
			Message: "the CPAS has sent as many requests as its quota allows: ask the administrator to raise it"}, nil
	}
	u.Requests++
	return u, nil, nil
}

// releaseUsage takes what was erased or deleted off a CPAS's usage. A CPAS
// that stores nothing has no usage key, as the recount (usageEntries)
// computes, so that art60 admin check finds the two equal.
func releaseUsage(txn *badger.Txn, cpas string, gone Usage) error {
	u, err := readUsage(txn, cpas)
	if err != nil {
		return err
	}
	u.AttachmentBytes = max(u.AttachmentBytes-gone.AttachmentBytes, 0)
	u.Attachments = max(u.Attachments-gone.Attachments, 0)
	u.Requests = max(u.Requests-gone.Requests, 0)
	if u == (Usage{}) {
		return txn.Delete(usageKey(cpas))
	}
	return setJSON(txn, usageKey(cpas), u)
}

// usageEntries counts what each CPAS stores, for a store written before
// the usage was counted (see upgradeIndex).
func usageEntries(txn *badger.Txn, out map[string][]byte) error {
	all := map[string]*Usage{}
	of := func(cpas string) *Usage {
		if all[cpas] == nil {
			all[cpas] = &Usage{}
		}
		return all[cpas]
	}
	err := scanJSON(txn, []byte("f/"), nil, func(_ []byte, a Attachment) bool {
		u := of(a.CPASID)
		u.AttachmentBytes += a.Size
		u.Attachments++
		return true
	})
	if err != nil {
		return err
	}
	err = scanJSON(txn, []byte("r/"), nil, func(_ []byte, r api.Request) bool {
		if r.Status != api.StatusErased { // an erased request's mark holds no data
			of(r.CPASID).Requests++
		}
		return true
	})
	if err != nil {
		return err
	}
	for cpas, u := range all {
		b, err := marshal(u)
		if err != nil {
			return err
		}
		out[string(usageKey(cpas))] = b
	}
	return nil
}
