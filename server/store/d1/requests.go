package d1

import (
	"context"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// ApplyMutation implements store.Store: the replay check, Decide's view
// and the holder of the id are read, then the request, its audit entry and
// its idempotency record are one batch. Fifty copies of one mutation at
// once: one batch commits, the others fail on the audit head or on the
// result's primary key and, run again, find the stored result.
func (s *Store) ApplyMutation(ctx context.Context, m store.Mutation) (_ api.MutationResult, err error) {
	defer store.Wrap(&err, "d1: ApplyMutation")
	var res api.MutationResult
	err = s.write(ctx, func(b *batch) error {
		var err error
		res, err = s.applyMutation(b, m)
		return err
	})
	return res, err
}

func (s *Store) applyMutation(b *batch, m store.Mutation) (api.MutationResult, error) {
	now, row := s.now(), s.rows(b.ctx)
	if res, done, err := sqlbase.Replay(row, m, now); done || err != nil {
		return res, err
	}
	req, rej := m.Decide(sqlbase.View{Row: row, Seal: s.seal})
	if rej == nil {
		var err error
		if rej, err = sqlbase.RequestQuota(row, s.quota, req.CPASID); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej == nil {
		var err error
		if rej, err = sqlbase.Claimable(row, req); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej != nil {
		return store.Rejected(m, rej), nil
	}
	seq, err := s.nextSeq(b, req.CPASID)
	if err != nil {
		return api.MutationResult{}, err
	}
	req.Seq = seq
	if err := s.seal.PutRequest(&b.Statements, req, false); err != nil {
		return api.MutationResult{}, err
	}
	a := m.Audit
	a.Action, a.CPASID, a.RequestID = store.ActionRequestSubmit, req.CPASID, req.ID
	if err := b.audit(a); err != nil {
		return api.MutationResult{}, err
	}
	res := store.Applied(m, req)
	s.purgeResults(b)
	return res, sqlbase.Record(&b.Statements, m, res, now)
}

// purgeResults drops the expired mutation results with a mutation's
// record, once an hour of this isolate.
func (s *Store) purgeResults(b *batch) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.resultsPurged) > time.Hour {
		sqlbase.PurgeResults(&b.Statements, now)
		s.resultsPurged = now
	}
}

// nextSeq reads the CPAS's change sequence and adds the statement that
// raises it by one; the request written at the new number is refused by
// the (cpas_id, seq) index should another batch have taken it.
func (s *Store) nextSeq(b *batch, cpasID string) (int64, error) {
	var seq int64
	if err := s.row(b.ctx, `SELECT seq FROM cpas WHERE id = ?`, cpasID).Scan(&seq); err != nil {
		return 0, err
	}
	b.Add(`UPDATE cpas SET seq = ? WHERE id = ? AND seq = ?`, seq+1, cpasID, seq)
	return seq + 1, nil
}

// UpdateRequest implements store.Store.
func (s *Store) UpdateRequest(ctx context.Context, u store.Update) (_ *api.Request, err error) {
	defer store.Wrap(&err, "d1: UpdateRequest")
	var out *api.Request
	err = s.write(ctx, func(b *batch) error {
		var err error
		out, err = s.update(b, u)
		return err
	})
	return out, err
}

func (s *Store) update(b *batch, u store.Update) (*api.Request, error) {
	old, err := s.request(b.ctx, u.CPASID, u.ID)
	if err != nil {
		return nil, err
	}
	r, err := sqlbase.Clone(old)
	if err != nil {
		return nil, err
	}
	mails, rej := u.Change(r)
	if rej == store.Unchanged {
		return old, nil
	}
	if rej != nil {
		return nil, rej
	}
	if r.Seq, err = s.nextSeq(b, r.CPASID); err != nil {
		return nil, err
	}
	if err := s.seal.PutRequest(&b.Statements, r, true); err != nil {
		return nil, err
	}
	for _, m := range mails {
		if err := s.seal.PutMail(&b.Statements, m, s.now()); err != nil {
			return nil, err
		}
	}
	a := u.Audit
	a.CPASID, a.RequestID = r.CPASID, r.ID
	return r, b.audit(a)
}

// request reads a stored request: store.ErrNotFound when there is none,
// store.ErrErased when only its erased mark is left.
func (s *Store) request(ctx context.Context, cpasID, id string) (*api.Request, error) {
	return s.seal.ReadRequest(s.rows(ctx), cpasID, id)
}

// Request implements store.Store.
func (s *Store) Request(ctx context.Context, cpasID, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "d1: Request(%s, %s)", cpasID, id)
	return s.request(ctx, cpasID, id)
}

// RequestByID implements store.Store.
func (s *Store) RequestByID(ctx context.Context, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "d1: RequestByID(%s)", id)
	return s.seal.RequestByID(s.rows(ctx), id)
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context, cpasID string, cur store.Cursor, limit int) (_ store.Page, err error) {
	defer store.Wrap(&err, "d1: Changes(%s)", cpasID)
	p, err := s.seal.Changes(s.rows(ctx), s.query(ctx), cpasID, cur, limit)
	if err != nil {
		return store.Page{}, fmt.Errorf("store: changes of CPAS %s: %w", cpasID, err)
	}
	return p, nil
}
