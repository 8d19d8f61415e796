package sqlbase

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/privacy"
	"art60/server/store"
)

// ResultTTL is how long the result of an applied mutation is kept for
// replays, as in Badger (server/store/requests.go).
const ResultTTL = 90 * 24 * time.Hour

// Replay answers a mutation seen before: its stored result, or a refusal
// when the id was reused for other content or is older than the last one.
func Replay(row QueryRow, m store.Mutation, now time.Time) (api.MutationResult, bool, error) {
	var digest, result sql.NullString
	var last sql.NullInt64
	err := row(`SELECT
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

// Claimable refuses a request whose id another CPAS holds: an id names one
// request in the store (server/README.md, "Request ids"). The primary key
// of requests refuses it too, should two writers race (D1).
func Claimable(row QueryRow, r *api.Request) (*api.Error, error) {
	var holder string
	err := NotFound(row(`SELECT cpas_id FROM requests WHERE id = ?`, r.ID).Scan(&holder))
	if errors.Is(err, store.ErrNotFound) || (err == nil && holder == r.CPASID) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read the holder of request %s: %w", r.ID, err)
	}
	return store.RequestIDTaken(), nil
}

// Record adds the idempotency record: the result and the device's last id.
// The result's primary key refuses a second record of the same mutation.
func Record(b *Statements, m store.Mutation, res api.MutationResult, now time.Time) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	b.Add(`INSERT INTO mutation_results (user_id, client_id, mutation_id, digest, result, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.UserID, m.ClientID, m.MutationID, m.Digest, string(raw), now.Add(ResultTTL).Unix())
	b.Add(`INSERT INTO devices (user_id, client_id, last_mutation) VALUES (?, ?, ?)
		ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation = excluded.last_mutation`, m.UserID, m.ClientID, m.MutationID)
	return nil
}

// PurgeResults adds the statement that drops the expired mutation results
// of every device (the stores add it at most once an hour).
func PurgeResults(b *Statements, now time.Time) {
	b.Add(`DELETE FROM mutation_results WHERE expires_at <= ?`, now.Unix())
}

// PutRequest adds the statements that store r at its sequence number r.Seq:
// the row, its queue columns and the files it names; replace drops the
// files the previous version named first.
func (s *Sealer) PutRequest(b *Statements, r *api.Request, replace bool) error {
	data, err := s.SealRequest(r)
	if err != nil {
		return err
	}
	item, err := s.SealJSON(ADItem(r.ID), store.QueueItem(r, store.CPAS{}))
	if err != nil {
		return err
	}
	var decided any
	if r.Status != api.StatusSent && r.Decision != nil {
		decided = r.Decision.DecidedAt
	}
	if replace {
		b.Add(`DELETE FROM request_files WHERE request_id = ?`, r.ID)
	}
	b.Add(`INSERT INTO requests (id, cpas_id, office_id, root_id, kind, status, received_at, due_date, decided_at, seq, niss_hmac, data_sealed, item_sealed)
		VALUES (?1, ?2, (SELECT office_id FROM cpas WHERE id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
		ON CONFLICT (id) DO UPDATE SET root_id = excluded.root_id, kind = excluded.kind, status = excluded.status,
			received_at = excluded.received_at, due_date = excluded.due_date, decided_at = excluded.decided_at, seq = excluded.seq,
			niss_hmac = excluded.niss_hmac, data_sealed = excluded.data_sealed, item_sealed = excluded.item_sealed
		WHERE requests.cpas_id = excluded.cpas_id`,
		r.ID, r.CPASID, r.RootID, string(r.Kind), string(r.Status), r.ReceivedAt, r.DueDate, decided, r.Seq,
		s.NISSHMAC(privacy.NISSOf(r)), data, item)
	for _, sha := range r.Attachments {
		b.Add(`INSERT OR IGNORE INTO request_files (cpas_id, sha256, request_id) VALUES (?, ?, ?)`, r.CPASID, sha, r.ID)
	}
	return nil
}

// EraseRequest adds the statements that turn the request into its erased
// mark at sequence number seq (id, CPAS, kind, root, status erased), out of
// the queue and of the NISS index, and delete the files no other request of
// its CPAS names (files are stored once per CPAS by content).
func (s *Sealer) EraseRequest(b *Statements, old *api.Request, seq int64, now time.Time) error {
	mark := api.Request{Submission: api.Submission{ID: old.ID, Kind: old.Kind}, CPASID: old.CPASID,
		RootID: old.RootID, Status: api.StatusErased, UpdatedAt: now.UTC().Format(time.RFC3339)}
	data, err := s.SealRequest(&mark)
	if err != nil {
		return err
	}
	b.Add(`DELETE FROM attachments WHERE cpas_id = ?1 AND sha256 IN (`+unsharedFiles+`)`, old.CPASID, old.ID)
	b.Add(`UPDATE requests SET status = 'erased', due_date = '', received_at = '', decided_at = NULL, niss_hmac = NULL,
		item_sealed = NULL, data_sealed = ?, seq = ? WHERE id = ?`, data, seq, old.ID)
	b.Add(`DELETE FROM request_files WHERE request_id = ?`, old.ID)
	return nil
}

// unsharedFiles selects the files of request ?2 that no other request of
// its CPAS ?1 names.
const unsharedFiles = `SELECT sha256 FROM request_files WHERE request_id = ?2
		AND sha256 NOT IN (SELECT sha256 FROM request_files WHERE cpas_id = ?1 AND request_id <> ?2)`

// UnsharedFiles counts the request's stored files that no other request of
// its CPAS names: those its erasure deletes.
func UnsharedFiles(row QueryRow, r *api.Request) (int, error) {
	if len(r.Attachments) == 0 {
		return 0, nil
	}
	var n int
	err := row(`SELECT count(*) FROM attachments WHERE cpas_id = ?1 AND sha256 IN (`+unsharedFiles+`)`, r.CPASID, r.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count the files of request %s: %w", r.ID, err)
	}
	return n, nil
}

// Clone copies a request deeply, so that a change made to the copy leaves
// the request as read.
func Clone(r *api.Request) (*api.Request, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var c api.Request
	return &c, json.Unmarshal(b, &c)
}

// ReadRequest reads a stored request: store.ErrNotFound when there is none,
// store.ErrErased when only its erased mark is left.
func (s *Sealer) ReadRequest(row QueryRow, cpasID, id string) (*api.Request, error) {
	var seq int64
	var status string
	var data []byte
	err := row(`SELECT seq, status, data_sealed FROM requests WHERE id = ? AND cpas_id = ?`, id, cpasID).Scan(&seq, &status, &data)
	if err != nil {
		return nil, NotFound(err)
	}
	if api.Status(status) == api.StatusErased {
		return nil, store.ErrErased
	}
	return s.openRequest(id, seq, data)
}

// RequestByID reads a request by its id alone, in the CPAS that holds it.
func (s *Sealer) RequestByID(row QueryRow, id string) (*api.Request, error) {
	var cpasID string
	if err := row(`SELECT cpas_id FROM requests WHERE id = ?`, id).Scan(&cpasID); err != nil {
		return nil, NotFound(err)
	}
	return s.ReadRequest(row, cpasID, id)
}

func (s *Sealer) openRequest(id string, seq int64, data []byte) (*api.Request, error) {
	var r api.Request
	if err := s.OpenJSON(ADRequest(id), data, &r); err != nil {
		return nil, err
	}
	r.Seq = seq
	return &r, nil
}

// EachRequest opens the requests a query selects (id, seq, data_sealed),
// one by one, until fn returns false.
func (s *Sealer) EachRequest(query Query, fn func(*api.Request) bool, q string, args ...any) error {
	return Each(query, func(rows Rows) (bool, error) {
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

// ScanRequests opens every request but the erased ones.
func (s *Sealer) ScanRequests(query Query, fn func(*api.Request) bool) error {
	return s.EachRequest(query, fn, `SELECT id, seq, data_sealed FROM requests WHERE status <> 'erased' ORDER BY cpas_id, id`)
}

// Changes reads a page of a CPAS's changes after the cursor; a cursor of
// another epoch, or ahead of the CPAS, starts again from the first change
// (Full). The epoch and the last sequence number are read in one statement;
// rows changed after it may follow in the page, which only moves the cursor
// further.
func (s *Sealer) Changes(row QueryRow, query Query, cpasID string, cur store.Cursor, limit int) (store.Page, error) {
	var p store.Page
	var epoch string
	var last int64
	err := row(`SELECT (SELECT value FROM meta WHERE name = 'epoch'), coalesce((SELECT seq FROM cpas WHERE id = ?), 0)`,
		cpasID).Scan(&epoch, &last)
	if err != nil {
		return p, err
	}
	if cur.Epoch != epoch || cur.Seq > last || cur.Seq < 0 {
		cur, p.Full = store.Cursor{Epoch: epoch}, true
	}
	p.Next = store.Cursor{Epoch: epoch, Seq: cur.Seq}
	p.Requests = []api.Request{}
	err = s.EachRequest(query, func(r *api.Request) bool {
		if len(p.Requests) == limit {
			p.More = true
			return false
		}
		p.Requests = append(p.Requests, *r)
		p.Next.Seq = r.Seq
		return true
	}, `SELECT id, seq, data_sealed FROM requests WHERE cpas_id = ? AND seq > ? ORDER BY seq LIMIT ?`, cpasID, cur.Seq, limit+1)
	return p, err
}

// View is the store.View of a mutation: reads through row, which the
// store makes as good as a snapshot (the SQLite writer's transaction, the
// D1 store's audit head).
type View struct {
	Row  QueryRow
	Seal *Sealer
}

// Request implements store.View.
func (v View) Request(cpasID, id string) (*api.Request, error) {
	return v.Seal.ReadRequest(v.Row, cpasID, id)
}

// EndChecks implements store.View.
func (v View) EndChecks(cpasID, rootID string) (int, error) {
	var n int
	err := v.Row(`SELECT count(*) FROM requests WHERE cpas_id = ? AND root_id = ? AND kind = ? AND status <> ?`,
		cpasID, rootID, string(api.KindEndCheck), string(api.StatusErased)).Scan(&n)
	return n, err
}

// HasAttachment implements store.View.
func (v View) HasAttachment(cpasID, sha string) (bool, error) {
	var n int
	err := v.Row(`SELECT count(*) FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&n)
	return n > 0, err
}
