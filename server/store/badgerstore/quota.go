package badgerstore

import (
	"context"
	"errors"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

const prefixUsage = "m/usage/"

func usageKey(cpas string) []byte { return k(prefixUsage+"%s", cpas) }

func readUsage(txn *badger.Txn, cpas string) (store.Usage, error) {
	var u store.Usage
	err := getJSON(txn, usageKey(cpas), &u)
	if errors.Is(err, store.ErrNotFound) {
		return store.Usage{}, nil
	}
	return u, err
}

// Usage reads what a CPAS stores.
func (s *Badger) Usage(_ context.Context, cpas string) (_ store.Usage, err error) {
	defer store.Wrap(&err, "badger: Usage(%s)", cpas)
	var u store.Usage
	err = s.db.View(func(txn *badger.Txn) error {
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
		return store.ErrQuotaExceeded
	}
	u.AttachmentBytes += size
	u.Attachments++
	return setJSON(txn, usageKey(cpas), u)
}

// countRequest returns the usage of a CPAS with one more request, or the
// refusal that rejects the request's mutation over the quota. It writes
// nothing: the caller writes the usage once the request is accepted.
func (s *Badger) countRequest(txn *badger.Txn, cpas string) (store.Usage, *api.Error, error) {
	u, err := readUsage(txn, cpas)
	if err != nil {
		return u, nil, err
	}
	if q := s.quota.Requests; q > 0 && u.Requests+1 > q {
		return u, store.RequestQuotaExceeded(), nil
	}
	u.Requests++
	return u, nil, nil
}

// releaseUsage takes what was erased or deleted off a CPAS's usage. A CPAS
// that stores nothing has no usage key, as the recount (usageEntries)
// computes, so that art60 admin check finds the two equal.
func releaseUsage(txn *badger.Txn, cpas string, gone store.Usage) error {
	u, err := readUsage(txn, cpas)
	if err != nil {
		return err
	}
	u.AttachmentBytes = max(u.AttachmentBytes-gone.AttachmentBytes, 0)
	u.Attachments = max(u.Attachments-gone.Attachments, 0)
	u.Requests = max(u.Requests-gone.Requests, 0)
	if u == (store.Usage{}) {
		return txn.Delete(usageKey(cpas))
	}
	return setJSON(txn, usageKey(cpas), u)
}

// usageEntries counts what each CPAS stores, for a store written before
// the usage was counted (see upgradeIndex).
func usageEntries(txn *badger.Txn, out map[string][]byte) error {
	all := map[string]*store.Usage{}
	of := func(cpas string) *store.Usage {
		if all[cpas] == nil {
			all[cpas] = &store.Usage{}
		}
		return all[cpas]
	}
	err := scanJSON(txn, []byte("f/"), nil, func(_ []byte, a store.Attachment) bool {
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
