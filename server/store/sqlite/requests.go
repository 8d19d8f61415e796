package sqlite

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
// replays, as in Badger (server/store/requests.go).
const resultTTL = 90 * 24 * time.Hour

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
	if res, done, err := replay(t, m, s.now()); done || err != nil {
		return res, err
	}
	req, rej := m.Decide(view{t: t, s: s})
	if rej == nil {
		var err error
		if rej, err = s.requestQuota(t, req.CPASID); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej == nil {
		var err error
		if rej, err = claimable(t, req); err != nil {
			return api.MutationResult{}, err
		}
	}
	if rej != nil {
		return store.Rejected(m, rej), nil
	}
	var b batch
	if err := s.putRequest(&b, req, false); err != nil {
		return api.MutationResult{}, err
	}
	a := m.Audit
	a.Action, a.CPASID, a.RequestID = store.ActionRequestSubmit, req.CPASID, req.ID
	if err := s.audit(t, &b, a); err != nil {
		return api.MutationResult{}, err
	}
	res := store.Applied(m, req)
	if err := s.record(&b, m, res, req.CPASID); err != nil {
		return api.MutationResult{}, err
	}
	seq, err := t.nextSeq(req.CPASID)
	if err != nil {
		return api.MutationResult{}, err
	}
	if err := t.execAll(b); err != nil {
		return api.MutationResult{}, err
	}
	req.Seq, res.Receipt.Seq = seq, seq
	return res, nil
}

// replay answers a mutation seen before: its stored result, or a refusal
// when the id was reused for other content or is older than the last one.
func replay(t *wtx, m store.Mutation, now time.Time) (api.MutationResult, bool, error) {
	var digest, result string
	var last sql.NullInt64
	err := t.queryRow(`SELECT
			(SELECT digest FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3 AND expires_at > ?4),
			(SELECT result FROM mutation_results WHERE user_id = ?1 AND client_id = ?2 AND mutation_id = ?3 AND expires_at > ?4),
			(SELECT last_mutation FROM devices WHERE user_id = ?1 AND client_id = ?2)`,
		m.UserID, m.ClientID, m.MutationID, now.Unix()).Scan(nullString{&digest}, nullString{&result}, &last)
	switch {
	case err != nil:
		return api.MutationResult{}, false, fmt.Errorf("store: read the mutation's result: %w", err)
	case digest == m.Digest && result != "":
		var res api.MutationResult
		return res, true, json.Unmarshal([]byte(result), &res)
	case result != "":
		return store.Rejected(m, store.MutationReused()), true, nil
	case last.Valid && m.MutationID <= last.Int64:
		return store.Rejected(m, store.StaleMutation()), true, nil
	}
	return api.MutationResult{}, false, nil
}

// claimable refuses a request whose id another CPAS holds: an id names one
// request in the store (server/README.md, "Request ids"). The primary key
// of requests refuses it too, should two writers race (D1).
func claimable(t *wtx, r *api.Request) (*api.Error, error) {
	var holder string
	err := t.queryRow(`SELECT cpas_id FROM requests WHERE id = ?`, r.ID).Scan(&holder)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && holder == r.CPASID) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the holder of request %s: %w", r.ID, err)
	}
	return store.RequestIDTaken(), nil
}

// record adds the idempotency record: the result (with the sequence number
// the batch gives the request, read by SQL) and the device's last id. The
// expired results of every device are dropped with it once an hour.
func (s *Store) record(b *batch, m store.Mutation, res api.MutationResult, cpasID string) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	now := s.now()
	if now.Sub(s.resultsPurged) > time.Hour { // the writer's goroutine only: no lock
		b.add(`DELETE FROM mutation_results WHERE expires_at <= ?`, now.Unix())
		s.resultsPurged = now
	}
	b.add(`INSERT INTO mutation_results (user_id, client_id, mutation_id, digest, result, expires_at)
		VALUES (?, ?, ?, ?, json_set(?, '$.receipt.seq', (SELECT seq FROM cpas WHERE id = ?)), ?)`,
		m.UserID, m.ClientID, m.MutationID, m.Digest, string(raw), cpasID, now.Add(resultTTL).Unix())
	b.add(`INSERT INTO devices (user_id, client_id, last_mutation) VALUES (?, ?, ?)
		ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation = excluded.last_mutation`, m.UserID, m.ClientID, m.MutationID)
	return nil
}

// nextSeq raises the CPAS's change sequence and returns it: the one
// statement of a request's batch whose answer the caller needs (the
// statements after it read the new value in SQL). It runs first.
func (t *wtx) nextSeq(cpasID string) (int64, error) {
	var seq int64
	err := t.queryRow(`UPDATE cpas SET seq = seq + 1 WHERE id = ? RETURNING seq`, cpasID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	return seq, err
}

// putRequest adds the statements that store a new version of r at its
// CPAS's new sequence number (nextSeq): the row, its queue columns and the
// files it names.
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
		VALUES (?1, ?2, (SELECT office_id FROM cpas WHERE id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, (SELECT seq FROM cpas WHERE id = ?2), ?9, ?10, ?11)
		ON CONFLICT (id) DO UPDATE SET root_id = excluded.root_id, kind = excluded.kind, status = excluded.status,
			received_at = excluded.received_at, due_date = excluded.due_date, decided_at = excluded.decided_at, seq = excluded.seq,
			niss_hmac = excluded.niss_hmac, data_sealed = excluded.data_sealed, item_sealed = excluded.item_sealed
		WHERE requests.cpas_id = excluded.cpas_id`,
		r.ID, r.CPASID, r.RootID, string(r.Kind), string(r.Status), r.ReceivedAt, r.DueDate, decided,
		s.seal.NISSHMAC(privacy.NISSOf(r)), data, item)
	for _, sha := range r.Attachments {
		b.add(`INSERT OR IGNORE INTO request_files (cpas_id, sha256, request_id) VALUES (?, ?, ?)`, r.CPASID, sha, r.ID)
	}
	return nil
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
	old, err := s.request(t.queryRow, u.CPASID, u.ID)
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
	var b batch
	if err := s.putRequest(&b, r, true); err != nil {
		return nil, err
	}
	for _, m := range mails {
		if err := s.putMail(&b, m); err != nil {
			return nil, err
		}
	}
	a := u.Audit
	a.CPASID, a.RequestID = r.CPASID, r.ID
	if err := s.audit(t, &b, a); err != nil {
		return nil, err
	}
	if r.Seq, err = t.nextSeq(r.CPASID); err != nil {
		return nil, err
	}
	return r, t.execAll(b)
}

func clone(r *api.Request) (*api.Request, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var c api.Request
	return &c, json.Unmarshal(b, &c)
}

// rowFunc is QueryRow of the writer's transaction or of a reader.
type rowFunc func(q string, args ...any) *sql.Row

// request reads a stored request: store.ErrNotFound when there is none,
// store.ErrErased when only its erased mark is left.
func (s *Store) request(row rowFunc, cpasID, id string) (*api.Request, error) {
	var seq int64
	var status string
	var data []byte
	err := row(`SELECT seq, status, data_sealed FROM requests WHERE id = ? AND cpas_id = ?`, id, cpasID).Scan(&seq, &status, &data)
	if err != nil {
		return nil, notFound(err)
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

// reader is QueryRow on the readers' pool.
func (s *Store) reader(ctx context.Context) rowFunc {
	return func(q string, args ...any) *sql.Row { return s.rdb.QueryRowContext(ctx, q, args...) }
}

// Request implements store.Store.
func (s *Store) Request(ctx context.Context, cpasID, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "sqlite: Request(%s, %s)", cpasID, id)
	return s.request(s.reader(ctx), cpasID, id)
}

// RequestByID implements store.Store.
func (s *Store) RequestByID(ctx context.Context, id string) (_ *api.Request, err error) {
	defer store.Wrap(&err, "sqlite: RequestByID(%s)", id)
	var cpasID string
	if err := s.rdb.QueryRowContext(ctx, `SELECT cpas_id FROM requests WHERE id = ?`, id).Scan(&cpasID); err != nil {
		return nil, notFound(err)
	}
	return s.request(s.reader(ctx), cpasID, id)
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context, cpasID string, cur store.Cursor, limit int) (_ store.Page, err error) {
	defer store.Wrap(&err, "sqlite: Changes(%s)", cpasID)
	var p store.Page
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var epoch string
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE name = 'epoch'),
			coalesce((SELECT seq FROM cpas WHERE id = ?), 0)`, cpasID).Scan(&epoch, &last)
		if err != nil {
			return err
		}
		if cur.Epoch != epoch || cur.Seq > last || cur.Seq < 0 {
			cur, p.Full = store.Cursor{Epoch: epoch}, true
		}
		p.Next = store.Cursor{Epoch: epoch, Seq: cur.Seq}
		p.Requests = []api.Request{}
		return s.changes(ctx, tx, cpasID, cur.Seq, limit, &p)
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("store: changes of CPAS %s: %w", cpasID, err)
	}
	return p, nil
}

func (s *Store) changes(ctx context.Context, tx *sql.Tx, cpasID string, after int64, limit int, p *store.Page) error {
	return s.eachRequest(ctx, tx, func(r *api.Request) bool {
		if len(p.Requests) == limit {
			p.More = true
			return false
		}
		p.Requests = append(p.Requests, *r)
		p.Next.Seq = r.Seq
		return true
	}, `SELECT id, seq, data_sealed FROM requests WHERE cpas_id = ? AND seq > ? ORDER BY seq LIMIT ?`, cpasID, after, limit+1)
}

// view is the View of a mutation: reads inside the writer's transaction.
type view struct {
	t *wtx
	s *Store
}

func (v view) Request(cpasID, id string) (*api.Request, error) {
	return v.s.request(v.t.queryRow, cpasID, id)
}

func (v view) EndChecks(cpasID, rootID string) (int, error) {
	var n int
	err := v.t.queryRow(`SELECT count(*) FROM requests WHERE cpas_id = ? AND root_id = ? AND kind = ? AND status <> ?`,
		cpasID, rootID, string(api.KindEndCheck), string(api.StatusErased)).Scan(&n)
	return n, err
}

func (v view) HasAttachment(cpasID, sha string) (bool, error) {
	var n int
	err := v.t.queryRow(`SELECT count(*) FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&n)
	return n > 0, err
}

// nullString scans a nullable text column into a string ("" for NULL).
type nullString struct{ s *string }

func (n nullString) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n.s = ""
	case string:
		*n.s = x
	case []byte:
		*n.s = string(x)
	default:
		return fmt.Errorf("store: text expected, got %T", v)
	}
	return nil
}

// eachJSON decodes the one JSON column of each row until fn returns false.
func eachJSON[T any](rows *sql.Rows, fn func(T) bool) error {
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if !fn(v) {
			return nil
		}
	}
	return rows.Err()
}
