package d1

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/privacy"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

// resultTTL is how long the result of an applied mutation is kept for
// replays, as in the other stores.
const resultTTL = 90 * 24 * time.Hour

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
	now := s.now()
	if res, done, err := s.replay(b.ctx, m, now); done || err != nil {
		return res, err
	}
	req, rej := m.Decide(view{s: s, ctx: b.ctx})
	if rej == nil {
		var err error
		if rej, err = sqlbase.RequestQuota(s.rows(b.ctx), s.quota, req.CPASID); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej == nil {
		var err error
		if rej, err = s.claimable(b.ctx, req); err != nil {
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
	if err := s.putRequest(b, req, false); err != nil {
		return api.MutationResult{}, err
	}
	a := m.Audit
	a.Action, a.CPASID, a.RequestID = store.ActionRequestSubmit, req.CPASID, req.ID
	if err := b.audit(a); err != nil {
		return api.MutationResult{}, err
	}
	res := store.Applied(m, req)
	return res, s.record(b, m, res, now)
}

// replay answers a mutation seen before: its stored result, or a refusal
// when the id was reused for other content or is older than the last one.
func (s *Store) replay(ctx context.Context, m store.Mutation, now time.Time) (api.MutationResult, bool, error) {
	var digest, result sql.NullString
	var last sql.NullInt64
	err := s.row(ctx, `SELECT
			(SELECT digest FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3 AND expires_at > ?4),
			(SELECT result FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3 AND expires_at > ?4),
			(SELECT last_mutation FROM devices WHERE user_id = ?1 AND client_id = ?2)`,
		m.UserID, m.ClientID, m.MutationID, now.Unix()).Scan(&digest, &result, &last)
	switch {
	case err != nil:
		return api.MutationResult{}, false, fmt.Errorf("store: read the mutation's result: %w", err)
	case digest.String == m.Digest && result.String != "":
		var res api.MutationResult
		return res, true, json.Unmarshal([]byte(result.String), &res)
	case result.String != "":
		return store.Rejected(m, store.MutationReused()), true, nil
	case last.Valid && m.MutationID <= last.Int64:
		return store.Rejected(m, store.StaleMutation()), true, nil
	}
	return api.MutationResult{}, false, nil
}

// claimable refuses a request whose id another CPAS holds: an id names one
// request in the store (server/README.md, "Request ids").
func (s *Store) claimable(ctx context.Context, r *api.Request) (*api.Error, error) {
	var holder string
	err := s.row(ctx, `SELECT cpas_id FROM requests WHERE id = ?`, r.ID).Scan(&holder)
	if errors.Is(err, store.ErrNotFound) || (err == nil && holder == r.CPASID) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the holder of request %s: %w", r.ID, err)
	}
	return store.RequestIDTaken(), nil
}

// record adds the idempotency record: the result and the device's last id.
// The result's primary key refuses a second batch of the same mutation.
// Expired results are dropped with it once an hour of this process.
func (s *Store) record(b *batch, m store.Mutation, res api.MutationResult, now time.Time) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if now.Sub(s.resultsPurged) > time.Hour {
		b.add(`DELETE FROM mutation_results WHERE expires_at <= ?`, now.Unix())
		s.resultsPurged = now
	}
	s.mu.Unlock()
	b.add(`INSERT INTO mutation_results (user_id, client_id, mutation_id, digest, result, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.UserID, m.ClientID, m.MutationID, m.Digest, string(raw), now.Add(resultTTL).Unix())
	b.add(`INSERT INTO devices (user_id, client_id, last_mutation) VALUES (?, ?, ?)
		ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation = excluded.last_mutation`, m.UserID, m.ClientID, m.MutationID)
	return nil
}

// nextSeq reads the CPAS's change sequence and adds the statement that
// raises it by one; the request written at the new number is refused by
// the (cpas_id, seq) index should another batch have taken it.
func (s *Store) nextSeq(b *batch, cpasID string) (int64, error) {
	var seq int64
	if err := s.row(b.ctx, `SELECT seq FROM cpas WHERE id = ?`, cpasID).Scan(&seq); err != nil {
		return 0, err
	}
	b.add(`UPDATE cpas SET seq = ? WHERE id = ? AND seq = ?`, seq+1, cpasID, seq)
	return seq + 1, nil
}

// putRequest adds the statements that store r at its sequence number r.Seq:
// the row, its queue columns and the files it names.
func (s *Store) putRequest(b *batch, r *api.Request, replace bool) error {
	data, err := s.seal.SealRequest(r)
	if err != nil {
		return err
	}
	item, err := s.seal.SealJSON(sqlbase.ADItem(r.ID), store.QueueItem(r, store.CPAS{}))
	if err != nil {
		return err
	}
	var decided any
	if r.Status != api.StatusSent && r.Decision != nil {
		decided = r.Decision.DecidedAt
	}
	if replace {
		b.add(`DELETE FROM request_files WHERE request_id = ?`, r.ID)
	}
	b.add(`INSERT INTO requests (id, cpas_id, office_id, root_id, kind, status, received_at, due_date, decided_at, seq, niss_hmac, data_sealed, item_sealed)
		VALUES (?1, ?2, (SELECT office_id FROM cpas WHERE id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
		ON CONFLICT (id) DO UPDATE SET root_id = excluded.root_id, kind = excluded.kind, status = excluded.status,
			received_at = excluded.received_at, due_date = excluded.due_date, decided_at = excluded.decided_at, seq = excluded.seq,
			niss_hmac = excluded.niss_hmac, data_sealed = excluded.data_sealed, item_sealed = excluded.item_sealed
		WHERE requests.cpas_id = excluded.cpas_id`,
		r.ID, r.CPASID, r.RootID, string(r.Kind), string(r.Status), r.ReceivedAt, r.DueDate, decided, r.Seq,
		s.seal.NISSHMAC(privacy.NISSOf(r)), data, item)
	for _, sha := range r.Attachments {
		b.add(`INSERT OR IGNORE INTO request_files (cpas_id, sha256, request_id) VALUES (?, ?, ?)`, r.CPASID, sha, r.ID)
	}
	return nil
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
	r, err := clone(old)
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
	if err := s.putRequest(b, r, true); err != nil {
		return nil, err
	}
	for _, m := range mails {
		if err := s.putMail(b, m); err != nil {
			return nil, err
		}
	}
	a := u.Audit
	a.CPASID, a.RequestID = r.CPASID, r.ID
	return r, b.audit(a)
}

func clone(r *api.Request) (*api.Request, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var c api.Request
	return &c, json.Unmarshal(b, &c)
}

// request reads a stored request: store.ErrNotFound when there is none,
// store.ErrErased when only its erased mark is left.
func (s *Store) request(ctx context.Context, cpasID, id string) (*api.Request, error) {
	var seq int64
	var status string
	var data []byte
	err := s.row(ctx, `SELECT seq, status, data_sealed FROM requests WHERE id = ? AND cpas_id = ?`, id, cpasID).Scan(&seq, &status, &data)
	if err != nil {
		return nil, err
	}
	if api.Status(status) == api.StatusErased {
		return nil, store.ErrErased
	}
	return s.openRequest(id, seq, data)
}

func (s *Store) openRequest(id string, seq int64, data []byte) (*api.Request, error) {
	var r api.Request
	if err := s.seal.OpenJSON(sqlbase.ADRequest(id), data, &r); err != nil {
		return nil, err
	}
	r.Seq = seq
	return &r, nil
}

// Request implements store.Store.
func (s *Store) Request(ctx context.Context, cpasID, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "d1: Request(%s, %s)", cpasID, id)
	return s.request(ctx, cpasID, id)
}

// RequestByID implements store.Store.
func (s *Store) RequestByID(ctx context.Context, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "d1: RequestByID(%s)", id)
	var cpasID string
	if err := s.row(ctx, `SELECT cpas_id FROM requests WHERE id = ?`, id).Scan(&cpasID); err != nil {
		return nil, err
	}
	return s.request(ctx, cpasID, id)
}

// Changes implements store.Store. The epoch and the CPAS's last sequence
// number are read in one statement; rows changed after it may follow in the
// page, which only moves the cursor further.
func (s *Store) Changes(ctx context.Context, cpasID string, cur store.Cursor, limit int) (_ store.Page, err error) {
	defer store.Wrap(&err, "d1: Changes(%s)", cpasID)
	var p store.Page
	var epoch string
	var last int64
	err = s.row(ctx, `SELECT (SELECT value FROM meta WHERE name = 'epoch'), coalesce((SELECT seq FROM cpas WHERE id = ?), 0)`,
		cpasID).Scan(&epoch, &last)
	if err != nil {
		return p, fmt.Errorf("store: changes of CPAS %s: %w", cpasID, err)
	}
	if cur.Epoch != epoch || cur.Seq > last || cur.Seq < 0 {
		cur, p.Full = store.Cursor{Epoch: epoch}, true
	}
	p.Next = store.Cursor{Epoch: epoch, Seq: cur.Seq}
	p.Requests = []api.Request{}
	err = s.eachRequest(ctx, func(r *api.Request) bool {
		if len(p.Requests) == limit {
			p.More = true
			return false
		}
		p.Requests = append(p.Requests, *r)
		p.Next.Seq = r.Seq
		return true
	}, `SELECT id, seq, data_sealed FROM requests WHERE cpas_id = ? AND seq > ? ORDER BY seq LIMIT ?`, cpasID, cur.Seq, limit+1)
	if err != nil {
		return store.Page{}, fmt.Errorf("store: changes of CPAS %s: %w", cpasID, err)
	}
	return p, nil
}

// eachRequest opens the requests a query selects (id, seq, data_sealed),
// one by one, until fn returns false.
func (s *Store) eachRequest(ctx context.Context, fn func(*api.Request) bool, q string, args ...any) error {
	return s.each(ctx, func(rows Rows) (bool, error) {
		var id string
		var seq int64
		var data []byte
		if err := rows.Scan(&id, &seq, &data); err != nil {
			return false, err
		}
		r, err := s.openRequest(id, seq, data)
		if err != nil {
			return false, err
		}
		return fn(r), nil
	}, q, args...)
}

// view is the View of a mutation: reads made before its batch, which the
// audit head guards (see the package comment).
type view struct {
	s   *Store
	ctx context.Context
}

func (v view) Request(cpasID, id string) (*api.Request, error) { return v.s.request(v.ctx, cpasID, id) }

func (v view) EndChecks(cpasID, rootID string) (int, error) {
	var n int
	err := v.s.row(v.ctx, `SELECT count(*) FROM requests WHERE cpas_id = ? AND root_id = ? AND kind = ? AND status <> ?`,
		cpasID, rootID, string(api.KindEndCheck), string(api.StatusErased)).Scan(&n)
	return n, err
}

func (v view) HasAttachment(cpasID, sha string) (bool, error) {
	var n int
	err := v.s.row(v.ctx, `SELECT count(*) FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&n)
	return n > 0, err
}
