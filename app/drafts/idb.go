//go:build js && wasm

package drafts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"syscall/js"
	"time"

	"art60/server/api"

	"github.com/hack-pad/go-indexeddb/idb"
)

// The IndexedDB database of one user on this device: drafts (JSON text
// keyed by id), their list rows (Row.Encode, in RowBuckets records keyed by
// BucketOf the id), attachment bytes
// (keyed by SHA-256), the outbox (keyed by mutation id) and device meta. Each signed-in user has their own, named
// after their user id (a random id, never personal data), so two
// colleagues sharing a browser never see or send each other's requests.
const (
	dbPrefix    = "art60-user-"
	dbVersion   = 3
	draftStore  = "drafts"
	blobStore   = "blobs"
	outboxStore = "outbox" // version 2: mutations waiting to be pushed
	metaStore   = "meta"   // version 2: client id, last mutation id, pull cursor
	rowsStore   = "rows"   // version 3: what the list shows of each draft
)

// metaRows is the meta key saying which row version the rows store holds
// for every draft (rowVersion); ensureRows fills the store when it is not.
const metaRows = "rows"

// IDB is the browser's Store.
type IDB struct {
	db   *idb.Database
	name string
}

// OpenIDB opens (creating or upgrading) the user's database on this device,
// and asks the browser to keep it under storage pressure
// (navigator.storage.persist).
func OpenIDB(ctx context.Context, user string) (*IDB, error) {
	if user == "" {
		return nil, errors.New("drafts: open the device store: no user")
	}
	req, err := idb.Global().Open(ctx, dbPrefix+user, dbVersion, func(db *idb.Database, oldVersion, newVersion uint) error {
		stores := map[uint][]string{1: {draftStore, blobStore}, 2: {outboxStore, metaStore}, 3: {rowsStore}}
		for v := oldVersion + 1; v <= newVersion; v++ {
			for _, name := range stores[v] {
				if _, err := db.CreateObjectStore(name, idb.ObjectStoreOptions{}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	db, err := req.Await(ctx)
	if err != nil {
		return nil, err
	}
	requestPersistence()
	s := &IDB{db: db, name: dbPrefix + user}
	if err := s.ensureRows(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("drafts: build the list rows: %w", err)
	}
	return s, nil
}

// ensureRows writes the row of every draft when the rows store does not
// hold them yet (a database of version 2, or rows of an older version), in
// one transaction with the drafts, so that no write of another tab is
// overwritten by a stale row.
func (s *IDB) ensureRows(ctx context.Context) error {
	if v, err := s.Meta(ctx, metaRows); err != nil || v == rowVersion {
		return err
	}
	txn, err := s.db.Transaction(idb.TransactionReadWrite, draftStore, rowsStore, metaStore)
	if err != nil {
		return err
	}
	drafts, _ := txn.ObjectStore(draftStore)
	rows, _ := txn.ObjectStore(rowsStore)
	meta, _ := txn.ObjectStore(metaStore)
	if _, err := rows.Clear(); err != nil {
		return err
	}
	req, err := drafts.OpenCursor(idb.CursorNext)
	if err != nil {
		return err
	}
	var all []Draft
	err = req.Iter(ctx, func(c *idb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		var d Draft
		if json.Unmarshal([]byte(v.String()), &d) == nil { // List skips the others too
			all = append(all, d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for b, v := range Buckets(all) {
		if _, err := rows.PutKey(js.ValueOf(b), js.ValueOf(v)); err != nil {
			return full(err)
		}
	}
	if _, err := meta.PutKey(js.ValueOf(metaRows), js.ValueOf(rowVersion)); err != nil {
		return full(err)
	}
	return full(txn.Await(ctx))
}

// Close closes the database (before it is deleted).
func (s *IDB) Close() error { return s.db.Close() }

// DeleteIDB deletes the user's database from this device: what a sign-out
// leaves behind on a shared computer is nothing.
func DeleteIDB(ctx context.Context, user string) error {
	req, err := idb.Global().DeleteDatabase(dbPrefix + user)
	if err != nil {
		return fmt.Errorf("drafts: delete the device store: %w", err)
	}
	if err := req.Await(ctx); err != nil {
		return fmt.Errorf("drafts: delete the device store: %w", err)
	}
	return nil
}

func requestPersistence() {
	storage := js.Global().Get("navigator").Get("storage")
	if storage.Truthy() && storage.Get("persist").Truthy() {
		storage.Call("persist")
	}
}

func (s *IDB) store(name string, mode idb.TransactionMode) (*idb.Transaction, *idb.ObjectStore, error) {
	txn, err := s.db.Transaction(mode, name)
	if err != nil {
		return nil, nil, err
	}
	st, err := txn.ObjectStore(name)
	return txn, st, err
}

// List returns every draft, in list order.
func (s *IDB) List(ctx context.Context) ([]Draft, error) {
	_, st, err := s.store(draftStore, idb.TransactionReadOnly)
	if err != nil {
		return nil, err
	}
	req, err := st.OpenCursor(idb.CursorNext)
	if err != nil {
		return nil, err
	}
	var out []Draft
	err = req.Iter(ctx, func(c *idb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		var d Draft
		if json.Unmarshal([]byte(v.String()), &d) == nil {
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortForList(out)
	return out, nil
}

// Rows implements Store: the rows store's RowBuckets records, never the
// drafts themselves, read by one getAll and handed to Go as one string
// (10,000 rows through a cursor cost a round trip between the browser and
// Go each, seconds in all).
func (s *IDB) Rows(ctx context.Context) ([]Row, error) {
	all, err := s.allRows(ctx)
	if err != nil {
		return nil, fmt.Errorf("drafts: read the list rows: %w", err)
	}
	out := SplitRows(all)
	SortRows(out)
	return out, nil
}

// allRows returns every value of the rows store joined by rowSep. It opens
// its own connection (the idb package has no getAll) and closes it at once,
// so it never holds up a later version's upgrade.
func (s *IDB) allRows(ctx context.Context) (string, error) {
	open := js.Global().Get("indexedDB").Call("open", s.name)
	dbv, err := awaitRequest(ctx, open)
	if err != nil {
		return "", err
	}
	defer dbv.Call("close")
	st := dbv.Call("transaction", rowsStore, "readonly").Call("objectStore", rowsStore)
	arr, err := awaitRequest(ctx, st.Call("getAll"))
	if err != nil {
		return "", err
	}
	return arr.Call("join", rowSep).String(), nil
}

// awaitRequest waits for an IDBRequest's result.
func awaitRequest(ctx context.Context, req js.Value) (js.Value, error) {
	type answer struct {
		v   js.Value
		err error
	}
	done := make(chan answer, 1)
	ok := js.FuncOf(func(js.Value, []js.Value) any { done <- answer{v: req.Get("result")}; return nil })
	ko := js.FuncOf(func(js.Value, []js.Value) any {
		done <- answer{err: errors.New(req.Get("error").Call("toString").String())}
		return nil
	})
	defer ok.Release()
	defer ko.Release()
	req.Set("onsuccess", ok)
	req.Set("onerror", ko)
	select {
	case a := <-done:
		return a.v, a.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

// Get returns one draft.
func (s *IDB) Get(ctx context.Context, id string) (Draft, error) {
	_, st, err := s.store(draftStore, idb.TransactionReadOnly)
	if err != nil {
		return Draft{}, err
	}
	req, err := st.Get(js.ValueOf(id))
	if err != nil {
		return Draft{}, err
	}
	v, err := req.Await(ctx)
	if err != nil {
		return Draft{}, err
	}
	if v.IsUndefined() || v.IsNull() {
		return Draft{}, ErrNotFound
	}
	var d Draft
	err = json.Unmarshal([]byte(v.String()), &d)
	return d, err
}

// Put stores a draft and its row and waits until the transaction is durable.
func (s *IDB) Put(ctx context.Context, d Draft) error {
	txn, err := s.db.Transaction(idb.TransactionReadWrite, draftStore, rowsStore)
	if err != nil {
		return err
	}
	if err := putDraft(ctx, txn, d); err != nil {
		return full(err)
	}
	return full(txn.Await(ctx))
}

// putDraft writes draft d and its row inside txn.
func putDraft(ctx context.Context, txn *idb.Transaction, d Draft) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	drafts, _ := txn.ObjectStore(draftStore)
	rows, _ := txn.ObjectStore(rowsStore)
	if _, err := drafts.PutKey(js.ValueOf(d.ID), js.ValueOf(string(data))); err != nil {
		return err
	}
	return putRow(ctx, rows, d.ID, RowOf(&d).Encode())
}

// putRow replaces the row of draft id in its bucket by row ("" removes it),
// inside the caller's transaction.
func putRow(ctx context.Context, rows *idb.ObjectStore, id, row string) error {
	key := js.ValueOf(BucketOf(id))
	req, err := rows.Get(key)
	if err != nil {
		return err
	}
	v, err := req.Await(ctx)
	if err != nil {
		return err
	}
	bucket := ""
	if v.Type() == js.TypeString {
		bucket = v.String()
	}
	_, err = rows.PutKey(key, js.ValueOf(WithRow(bucket, id, row)))
	return err
}

// Delete removes a draft and its row.
func (s *IDB) Delete(ctx context.Context, id string) error {
	txn, err := s.db.Transaction(idb.TransactionReadWrite, draftStore, rowsStore)
	if err != nil {
		return err
	}
	drafts, _ := txn.ObjectStore(draftStore)
	rows, _ := txn.ObjectStore(rowsStore)
	if _, err := drafts.Delete(js.ValueOf(id)); err != nil {
		return err
	}
	if err := putRow(ctx, rows, id, ""); err != nil {
		return full(err)
	}
	return full(txn.Await(ctx))
}

// PutBlob stores an attachment's bytes.
func (s *IDB) PutBlob(ctx context.Context, sum string, data []byte) error {
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	return s.write(ctx, blobStore, func(st *idb.ObjectStore) error {
		_, err := st.PutKey(js.ValueOf(sum), arr)
		return err
	})
}

// DeleteBlob removes an attachment's bytes.
func (s *IDB) DeleteBlob(ctx context.Context, sum string) error {
	return s.write(ctx, blobStore, func(st *idb.ObjectStore) error {
		_, err := st.Delete(js.ValueOf(sum))
		return err
	})
}

// GetBlob returns an attachment's bytes.
func (s *IDB) GetBlob(ctx context.Context, sum string) ([]byte, error) {
	_, st, err := s.store(blobStore, idb.TransactionReadOnly)
	if err != nil {
		return nil, err
	}
	req, err := st.Get(js.ValueOf(sum))
	if err != nil {
		return nil, err
	}
	v, err := req.Await(ctx)
	if err != nil {
		return nil, err
	}
	if v.IsUndefined() || v.IsNull() {
		return nil, ErrNotFound
	}
	out := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(out, v)
	return out, nil
}

// write runs one read-write transaction and waits for it to complete, so a
// quota error reaches the caller instead of vanishing.
func (s *IDB) write(ctx context.Context, name string, op func(*idb.ObjectStore) error) error {
	txn, st, err := s.store(name, idb.TransactionReadWrite)
	if err != nil {
		return err
	}
	if err := op(st); err != nil {
		return full(err)
	}
	return full(txn.Await(ctx))
}

// quotaExceeded is the DOMException a write gets when the site's storage
// quota is used up, at the request or when the transaction commits.
var quotaExceeded = idb.NewDOMException("QuotaExceededError")

// full turns the browser's quota error into ErrDeviceFull (keeping the
// browser's words), so the UI can say what to do about it.
func full(err error) error {
	if errors.Is(err, quotaExceeded) {
		return fmt.Errorf("%w: %v", ErrDeviceFull, err)
	}
	return err
}

// Queue implements Store in one transaction over drafts, outbox and meta.
func (s *IDB) Queue(ctx context.Context, d Draft, sub api.Submission) (Pending, error) {
	txn, err := s.db.Transaction(idb.TransactionReadWrite, draftStore, rowsStore, outboxStore, metaStore)
	if err != nil {
		return Pending{}, err
	}
	drafts, _ := txn.ObjectStore(draftStore)
	if err := stillEditable(ctx, drafts, d.ID); err != nil {
		return Pending{}, err
	}
	meta, _ := txn.ObjectStore(metaStore)
	req, err := meta.Get(js.ValueOf(metaNextMutation))
	if err != nil {
		return Pending{}, err
	}
	v, err := req.Await(ctx)
	if err != nil {
		return Pending{}, err
	}
	var last int64
	if v.Type() == js.TypeString {
		last, _ = strconv.ParseInt(v.String(), 10, 64)
	}
	p := Pending{MutationID: last + 1, RequestID: d.ID, Submission: sub, QueuedAt: time.Now().UTC().Format(time.RFC3339)}
	d.Outbox = p.MutationID
	pj, _ := json.Marshal(p)
	outbox, _ := txn.ObjectStore(outboxStore)
	if _, err := meta.PutKey(js.ValueOf(metaNextMutation), js.ValueOf(strconv.FormatInt(p.MutationID, 10))); err != nil {
		return Pending{}, full(err)
	}
	if _, err := outbox.PutKey(js.ValueOf(float64(p.MutationID)), js.ValueOf(string(pj))); err != nil {
		return Pending{}, full(err)
	}
	if err := putDraft(ctx, txn, d); err != nil {
		return Pending{}, full(err)
	}
	return p, full(txn.Await(ctx))
}

// stillEditable fails with ErrQueued when the stored draft id is queued or
// sent; it reads inside Queue's transaction so that two tabs cannot both
// pass it.
func stillEditable(ctx context.Context, st *idb.ObjectStore, id string) error {
	req, err := st.Get(js.ValueOf(id))
	if err != nil {
		return err
	}
	v, err := req.Await(ctx)
	if err != nil || v.Type() != js.TypeString {
		return err // absent: a new draft
	}
	var old Draft
	if json.Unmarshal([]byte(v.String()), &old) == nil && !old.Editable() {
		return ErrQueued
	}
	return nil
}

// Pending implements Store: the outbox in key (mutation id) order.
func (s *IDB) Pending(ctx context.Context) ([]Pending, error) {
	_, st, err := s.store(outboxStore, idb.TransactionReadOnly)
	if err != nil {
		return nil, err
	}
	req, err := st.OpenCursor(idb.CursorNext)
	if err != nil {
		return nil, err
	}
	var out []Pending
	err = req.Iter(ctx, func(c *idb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		var p Pending
		if json.Unmarshal([]byte(v.String()), &p) == nil {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Done implements Store in one transaction over outbox, drafts and rows.
func (s *IDB) Done(ctx context.Context, id int64, d Draft) error {
	txn, err := s.db.Transaction(idb.TransactionReadWrite, draftStore, rowsStore, outboxStore)
	if err != nil {
		return err
	}
	outbox, _ := txn.ObjectStore(outboxStore)
	if _, err := outbox.Delete(js.ValueOf(float64(id))); err != nil {
		return err
	}
	if err := putDraft(ctx, txn, d); err != nil {
		return full(err)
	}
	return full(txn.Await(ctx))
}

// Meta implements Store.
func (s *IDB) Meta(ctx context.Context, key string) (string, error) {
	_, st, err := s.store(metaStore, idb.TransactionReadOnly)
	if err != nil {
		return "", err
	}
	req, err := st.Get(js.ValueOf(key))
	if err != nil {
		return "", err
	}
	v, err := req.Await(ctx)
	if err != nil || v.Type() != js.TypeString {
		return "", err
	}
	return v.String(), nil
}

// SetMeta implements Store.
func (s *IDB) SetMeta(ctx context.Context, key, value string) error {
	return s.write(ctx, metaStore, func(st *idb.ObjectStore) error {
		_, err := st.PutKey(js.ValueOf(key), js.ValueOf(value))
		return err
	})
}
