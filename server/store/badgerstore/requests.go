package badgerstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// resultTTL is how long the result of an applied mutation is kept for
// replays. A device that comes back later than that gets stale_mutation for
// an old mutation, which it can only have applied long ago.
const resultTTL = 90 * 24 * time.Hour

// storedResult is the idempotency record of one applied mutation.
type storedResult struct {
	Digest string             `json:"digest"`
	Result api.MutationResult `json:"result"`
}

// ApplyMutation implements Store. The replay check comes before Decide, so
// a repeated mutation gets its stored result even if the rules or the data
// changed since; a caller that found the mutation invalid beforehand passes
// a Decide that returns that error.
func (s *Badger) ApplyMutation(_ context.Context, m store.Mutation) (_ api.MutationResult, err error) {
	defer store.Wrap(&err, "badger: ApplyMutation")
	var res api.MutationResult
	var queued int64
	err = s.w.do(func(txn *badger.Txn) error {
		var err error
		queued = 0
		res, queued, err = s.applyMutation(txn, m)
		return err
	}, func() { s.queue.Add(queued) })
	return res, err
}

func (s *Badger) applyMutation(txn *badger.Txn, m store.Mutation) (api.MutationResult, int64, error) {
	if res, done, err := replay(txn, m); done || err != nil {
		return res, 0, err
	}
	req, rej := m.Decide(txnView{txn})
	var usage store.Usage
	if rej == nil {
		// The quota before claimID, which writes the id's holder: a
		// rejected mutation writes nothing.
		var err error
		if usage, rej, err = s.countRequest(txn, req.CPASID); err != nil {
			return api.MutationResult{}, 0, err
		}
	}
	if rej == nil {
		var err error
		if rej, err = claimID(txn, req); err != nil {
			return api.MutationResult{}, 0, err
		}
	}
	if rej != nil {
		return store.Rejected(m, rej), 0, nil
	}
	if err := setJSON(txn, usageKey(req.CPASID), usage); err != nil {
		return api.MutationResult{}, 0, err
	}
	queued, err := putRequest(txn, req, nil)
	if err != nil {
		return api.MutationResult{}, 0, err
	}
	if req.Kind == api.KindEndCheck {
		if err := txn.Set(endCheckKey(req.CPASID, req.RootID, req.ID), nil); err != nil {
			return api.MutationResult{}, 0, err
		}
	}
	a := m.Audit
	a.Action, a.CPASID, a.RequestID = store.ActionRequestSubmit, req.CPASID, req.ID
	if err := s.appendAudit(txn, a); err != nil {
		return api.MutationResult{}, 0, err
	}
	res := store.Applied(m, req)
	return res, queued, record(txn, m, res)
}

// claimID makes the new request the holder of its id in the whole store,
// or refuses it when another CPAS holds the id. Clients choose the ids
// (server/README.md, "Request ids"), and agents find a request by its id
// alone: an id held twice would let one CPAS slip its copy in front of
// another's request.
func claimID(txn *badger.Txn, r *api.Request) (*api.Error, error) {
	holder, err := owner(txn, r.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, txn.Set(ownerKey(r.ID), []byte(r.CPASID))
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the holder of request %s: %w", r.ID, err)
	}
	if holder != r.CPASID {
		return store.RequestIDTaken(), nil
	}
	return nil, nil
}

// owner returns the CPAS that holds the request with this id.
func owner(txn *badger.Txn, id string) (string, error) {
	item, err := txn.Get(ownerKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", store.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	b, err := item.ValueCopy(nil)
	return string(b), err
}

// replay answers a mutation seen before: its stored result, or a refusal
// when the id was reused for other content or is older than the last one.
func replay(txn *badger.Txn, m store.Mutation) (api.MutationResult, bool, error) {
	var st storedResult
	err := getJSON(txn, resultKey(m.UserID, m.ClientID, m.MutationID), &st)
	switch {
	case err == nil && st.Digest == m.Digest:
		return st.Result, true, nil
	case err == nil:
		return store.Rejected(m, store.MutationReused()), true, nil
	case !errors.Is(err, store.ErrNotFound):
		return api.MutationResult{}, false, err
	}
	last, err := getInt(txn, lastMutationKey(m.UserID, m.ClientID))
	if err != nil || m.MutationID > last {
		return api.MutationResult{}, false, err
	}
	return store.Rejected(m, store.StaleMutation()), true, nil
}

// record writes the idempotency record in the transaction of the change.
func record(txn *badger.Txn, m store.Mutation, res api.MutationResult) error {
	b, err := json.Marshal(storedResult{Digest: m.Digest, Result: res})
	if err != nil {
		return err
	}
	e := badger.NewEntry(resultKey(m.UserID, m.ClientID, m.MutationID), b).WithTTL(resultTTL)
	if err := txn.SetEntry(e); err != nil {
		return err
	}
	return setJSON(txn, lastMutationKey(m.UserID, m.ClientID), m.MutationID)
}

// putRequest stores a new version of a request: the next sequence number of
// its CPAS, the change index (one entry per request, at its latest change)
// and the queue index. It returns the change of the queue size.
func putRequest(txn *badger.Txn, r, old *api.Request) (int64, error) {
	var c store.CPAS
	if err := getJSON(txn, cpasKey(r.CPASID), &c); err != nil {
		return 0, err
	}
	seq, err := next(txn, seqKey(r.CPASID))
	if err != nil {
		return 0, err
	}
	var delta int64
	if old != nil {
		if err := txn.Delete(changeKey(r.CPASID, old.Seq)); err != nil {
			return 0, err
		}
		if err := txn.Delete(indexKey(c.OfficeID, old)); err != nil {
			return 0, err
		}
		if old.Status == api.StatusSent {
			delta--
		}
	}
	r.Seq = seq
	if err := setRequest(txn, r); err != nil {
		return 0, err
	}
	if err := txn.Set(changeKey(r.CPASID, seq), []byte(r.ID)); err != nil {
		return 0, err
	}
	if r.Status == api.StatusSent {
		delta++
	}
	return delta, setJSON(txn, indexKey(c.OfficeID, r), store.QueueItem(r, c))
}

// indexKey is the queue index entry of a request: sent ones by due date,
// decided ones by decision time.
func indexKey(office string, r *api.Request) []byte {
	if r.Status != api.StatusSent && r.Decision != nil {
		return decidedKey(office, r.Decision.DecidedAt, r.CPASID, r.ID)
	}
	return queueKey(office, r.DueDate, r.CPASID, r.ID)
}

// UpdateRequest implements Store.
func (s *Badger) UpdateRequest(_ context.Context, u store.Update) (_ *api.Request, err error) {
	defer store.Wrap(&err, "badger: UpdateRequest")
	var out *api.Request
	var queued int64
	err = s.w.do(func(txn *badger.Txn) error {
		out, queued = nil, 0
		old, err := getRequest(txn, u.CPASID, u.ID)
		if err != nil {
			return err
		}
		r, err := clone(old)
		if err != nil {
			return err
		}
		mails, rej := u.Change(r)
		if rej == store.Unchanged {
			out = old
			return nil
		}
		if rej != nil {
			return rej
		}
		if queued, err = putRequest(txn, r, old); err != nil {
			return err
		}
		for _, m := range mails {
			if err := s.putMail(txn, m); err != nil {
				return err
			}
		}
		a := u.Audit
		a.CPASID, a.RequestID = r.CPASID, r.ID
		out = r
		return s.appendAudit(txn, a)
	}, func() { s.queue.Add(queued) })
	return out, err
}

func clone(r *api.Request) (*api.Request, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var c api.Request
	return &c, json.Unmarshal(b, &c)
}

// getRequest reads a stored request: ErrNotFound when there is none,
// ErrErased when only its erased mark is left.
func getRequest(txn *badger.Txn, cpasID, id string) (*api.Request, error) {
	var r api.Request
	if err := getJSON(txn, requestKey(cpasID, id), &r); err != nil {
		return nil, err
	}
	if r.Status == api.StatusErased {
		return nil, store.ErrErased
	}
	return &r, explain(txn, &r)
}

// Request implements Store.
func (s *Badger) Request(_ context.Context, cpasID, id string) (r *api.Request, err error) {
	defer store.Wrap(&err, "badger: Request(%s, %s)", cpasID, id)
	err = s.db.View(func(txn *badger.Txn) error {
		r, err = getRequest(txn, cpasID, id)
		return err
	})
	return r, err
}

// RequestByID implements Store.
func (s *Badger) RequestByID(_ context.Context, id string) (r *api.Request, err error) {
	defer store.Wrap(&err, "badger: RequestByID(%s)", id)
	err = s.db.View(func(txn *badger.Txn) error {
		cpas, err := owner(txn, id)
		if err != nil {
			return err
		}
		r, err = getRequest(txn, cpas, id)
		return err
	})
	return r, err
}

// Changes implements Store. Its requests come without their explanation
// (codec.go): pull sends none of it.
func (s *Badger) Changes(_ context.Context, cpasID string, cur store.Cursor, limit int) (_ store.Page, err error) {
	defer store.Wrap(&err, "badger: Changes(%s)", cpasID)
	p := store.Page{Requests: []api.Request{}}
	p.Next, p.Full, p.More, err = s.changes(cpasID, cur, limit, func(_ string, v []byte) error {
		var r api.Request
		if err := decodeValue(v, &r); err != nil {
			return err
		}
		p.Requests = append(p.Requests, r)
		return nil
	})
	return p, err
}

// EncodedChanges implements store.EncodedChanges.
func (s *Badger) EncodedChanges(_ context.Context, cpasID string, cur store.Cursor, limit int) (_ store.EncodedPage, err error) {
	defer store.Wrap(&err, "badger: EncodedChanges(%s)", cpasID)
	p := store.EncodedPage{Requests: []store.EncodedRequest{}}
	p.Next, p.Full, p.More, err = s.changes(cpasID, cur, limit, func(id string, v []byte) error {
		b, err := leanJSON(v)
		p.Requests = append(p.Requests, store.EncodedRequest{ID: id, JSON: b})
		return err
	})
	return p, err
}

// changes hands the stored value of each request of the CPAS changed after
// the cursor to add (valid during the call only), oldest change first, at
// most limit; it returns the cursor after the last one.
func (s *Badger) changes(cpasID string, cur store.Cursor, limit int, add func(id string, v []byte) error) (next store.Cursor, full, more bool, err error) {
	err = s.db.View(func(txn *badger.Txn) error {
		epoch, last, err := position(txn, cpasID)
		if err != nil {
			return err
		}
		if cur.Epoch != epoch || cur.Seq > last || cur.Seq < 0 {
			cur, full = store.Cursor{Epoch: epoch}, true
		}
		next = store.Cursor{Epoch: epoch, Seq: cur.Seq}
		more, err = scanChanges(txn, cpasID, &next, limit, add)
		return err
	})
	return next, full, more, err
}

func position(txn *badger.Txn, cpasID string) (string, int64, error) {
	item, err := txn.Get(keyEpoch)
	if err != nil {
		return "", 0, err
	}
	epoch, err := item.ValueCopy(nil)
	if err != nil {
		return "", 0, err
	}
	last, err := getInt(txn, seqKey(cpasID))
	return string(epoch), last, err
}

// scanChanges moves next along the change index, handing each request's
// value to add; it says whether more changes follow the limit.
func scanChanges(txn *badger.Txn, cpasID string, next *store.Cursor, limit int, add func(id string, v []byte) error) (bool, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: changePrefix(cpasID)})
	defer it.Close()
	n := 0
	for it.Seek(changeKey(cpasID, next.Seq+1)); it.Valid(); it.Next() {
		if n == limit {
			return true, nil
		}
		key := string(it.Item().Key())
		seq, err := strconv.ParseInt(key[strings.LastIndexByte(key, '/')+1:], 16, 64)
		if err != nil {
			return false, err
		}
		id, err := it.Item().ValueCopy(nil)
		if err != nil {
			return false, err
		}
		item, err := txn.Get(requestKey(cpasID, string(id)))
		if err != nil {
			return false, fmt.Errorf("store: read request %s of change %d: %w", id, seq, err)
		}
		if err := item.Value(func(v []byte) error { return add(string(id), v) }); err != nil {
			return false, err
		}
		n++
		next.Seq = seq
	}
	return false, nil
}

// Queue implements Store.
func (s *Badger) Queue(_ context.Context, q store.QueueQuery) (_ store.QueuePage, err error) {
	defer store.Wrap(&err, "badger: Queue")
	p := store.QueuePage{Items: []api.QueueItem{}}
	if q.Limit <= 0 {
		q.Limit = math.MaxInt
	}
	keep := func(_ []byte, it api.QueueItem) bool {
		if q.Status == api.StatusSent && q.DueBefore != "" && it.DueDate >= q.DueBefore {
			return false // sorted by due date: nothing after is overdue
		}
		if (q.CPASID != "" && it.CPASID != q.CPASID) || it.Status != q.Status {
			return true
		}
		if len(p.Items) == q.Limit {
			p.More = true
			return false
		}
		p.Items = append(p.Items, it)
		return true
	}
	err = s.db.View(func(txn *badger.Txn) error {
		if q.Status == api.StatusSent {
			var from []byte
			if q.DueFrom != "" {
				from = k("q/%s/%s", q.OfficeID, q.DueFrom)
			}
			return scanJSON(txn, queuePrefix(q.OfficeID), from, keep)
		}
		return scanJSONReverse(txn, decidedPrefix(q.OfficeID), keep)
	})
	return p, err
}

// ScanQueue implements Store.
func (s *Badger) ScanQueue(_ context.Context, officeID string, fn func(api.QueueItem) bool) (err error) {
	defer store.Wrap(&err, "badger: ScanQueue(%s)", officeID)
	sent, decided := []byte(prefixQueue), []byte(prefixDecided)
	if officeID != "" {
		sent, decided = queuePrefix(officeID), decidedPrefix(officeID)
	}
	return s.db.View(func(txn *badger.Txn) error {
		stop := false
		each := func(_ []byte, it api.QueueItem) bool {
			stop = !fn(it)
			return !stop
		}
		if err := scanJSON(txn, sent, nil, each); err != nil || stop {
			return err
		}
		return scanJSON(txn, decided, nil, each)
	})
}

// QueueSize implements Store.
func (s *Badger) QueueSize() int64 { return s.queue.Load() }

// txnView is the View of a mutation: reads inside its transaction.
type txnView struct{ txn *badger.Txn }

func (v txnView) Request(cpasID, id string) (*api.Request, error) {
	return getRequest(v.txn, cpasID, id)
}

func (v txnView) EndChecks(cpasID, rootID string) (int, error) {
	n, err := countPrefix(v.txn, endCheckPrefix(cpasID, rootID))
	return int(n), err
}

func (v txnView) HasAttachment(cpasID, sha string) (bool, error) {
	return exists(v.txn, attachmentKey(cpasID, sha))
}
