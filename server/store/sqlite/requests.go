package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// ApplyMutation implements store.Store. What it reads (the replay check,
// Decide's view, the holder of the id) comes first; what it writes is one
// batch (server/README.md, "The SQLite store").
func (s *Store) ApplyMutation(_ context.Context, m store.Mutation) (_ api.MutationResult, err error) {
	defer store.Wrap(&err, "sqlite: ApplyMutation")
	var res api.MutationResult
	err = s.w.do(func(t *wtx) error {
		var err error
		res, err = s.applyMutation(t, m)
		return err
	})
	return res, err
}

func (s *Store) applyMutation(t *wtx, m store.Mutation) (api.MutationResult, error) {
	now := s.now()
	if res, done, err := sqlbase.Replay(t.row, m, now); done || err != nil {
		return res, err
	}
	req, rej := m.Decide(sqlbase.View{Row: t.row, Seal: s.seal})
	if rej == nil {
		var err error
		if rej, err = s.requestQuota(t, req.CPASID); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej == nil {
		var err error
		if rej, err = sqlbase.Claimable(t.row, req); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej != nil {
		return store.Rejected(m, rej), nil
	}
	seq, err := t.nextSeq(req.CPASID)
	if err != nil {
		return api.MutationResult{}, err
	}
	req.Seq = seq
	var b batch
	if err := s.seal.PutRequest(&b, req, false); err != nil {
		return api.MutationResult{}, err
	}
	a := m.Audit
	a.Action, a.CPASID, a.RequestID = store.ActionRequestSubmit, req.CPASID, req.ID
	if err := s.audit(t, &b, a); err != nil {
		return api.MutationResult{}, err
	}
	res := store.Applied(m, req)
	if now.Sub(s.resultsPurged) > time.Hour { // the writer's goroutine only: no lock
		sqlbase.PurgeResults(&b, now)
		s.resultsPurged = now
	}
	if err := sqlbase.Record(&b, m, res, now); err != nil {
		return api.MutationResult{}, err
	}
	return res, t.execAll(b)
}

// nextSeq raises the CPAS's change sequence and returns it: the one
// statement of a request's operation whose answer the rest needs. It runs
// first, in the writer's transaction.
func (t *wtx) nextSeq(cpasID string) (int64, error) {
	var seq int64
	err := t.queryRow(`UPDATE cpas SET seq = seq + 1 WHERE id = ? RETURNING seq`, cpasID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	return seq, err
}

// UpdateRequest implements store.Store.
func (s *Store) UpdateRequest(_ context.Context, u store.Update) (_ *api.Request, err error) {
	defer store.Wrap(&err, "sqlite: UpdateRequest")
	var out *api.Request
	err = s.w.do(func(t *wtx) error {
		var err error
		out, err = s.update(t, u)
		return err
	})
	return out, err
}

func (s *Store) update(t *wtx, u store.Update) (*api.Request, error) {
	old, err := s.seal.ReadRequest(t.row, u.CPASID, u.ID)
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
	if r.Seq, err = t.nextSeq(r.CPASID); err != nil {
		return nil, err
	}
	var b batch
	if err := s.seal.PutRequest(&b, r, true); err != nil {
		return nil, err
	}
	for _, m := range mails {
		if err := s.seal.PutMail(&b, m, s.now()); err != nil {
			return nil, err
		}
	}
	a := u.Audit
	a.CPASID, a.RequestID = r.CPASID, r.ID
	if err := s.audit(t, &b, a); err != nil {
		return nil, err
	}
	return r, t.execAll(b)
}

// Request implements store.Store.
func (s *Store) Request(ctx context.Context, cpasID, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "sqlite: Request(%s, %s)", cpasID, id)
	return s.seal.ReadRequest(s.reader(ctx), cpasID, id)
}

// RequestByID implements store.Store.
func (s *Store) RequestByID(ctx context.Context, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "sqlite: RequestByID(%s)", id)
	return s.seal.RequestByID(s.reader(ctx), id)
}

// Changes implements store.Store, on one snapshot.
func (s *Store) Changes(ctx context.Context, cpasID string, cur store.Cursor, limit int) (_ store.Page, err error) {
	defer store.Wrap(&err, "sqlite: Changes(%s)", cpasID)
	var p store.Page
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.seal.Changes(txRow(ctx, tx), txQuery(ctx, tx), cpasID, cur, limit)
		return err
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("store: changes of CPAS %s: %w", cpasID, err)
	}
	return p, nil
}
