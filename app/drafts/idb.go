//go:build js && wasm

package drafts

import (
	"context"
	"encoding/json"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
)

// The IndexedDB database: one object store of drafts (JSON text keyed by
// id) and one of attachment bytes (keyed by SHA-256).
const (
	dbName     = "art60"
	dbVersion  = 1
	draftStore = "drafts"
	blobStore  = "blobs"
)

// IDB is the browser's Store.
type IDB struct{ db *idb.Database }

// OpenIDB opens (creating or upgrading) the device's database, and asks the
// browser to keep it under storage pressure (navigator.storage.persist).
func OpenIDB(ctx context.Context) (*IDB, error) {
	req, err := idb.Global().Open(ctx, dbName, dbVersion, func(db *idb.Database, oldVersion, newVersion uint) error {
		if oldVersion < 1 {
			if _, err := db.CreateObjectStore(draftStore, idb.ObjectStoreOptions{}); err != nil {
				return err
			}
			if _, err := db.CreateObjectStore(blobStore, idb.ObjectStoreOptions{}); err != nil {
				return err
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
	return &IDB{db: db}, nil
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

// Put stores a draft and waits until the transaction is durable.
func (s *IDB) Put(ctx context.Context, d Draft) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.write(ctx, draftStore, func(st *idb.ObjectStore) error {
		_, err := st.PutKey(js.ValueOf(d.ID), js.ValueOf(string(data)))
		return err
	})
}

// Delete removes a draft.
func (s *IDB) Delete(ctx context.Context, id string) error {
	return s.write(ctx, draftStore, func(st *idb.ObjectStore) error {
		_, err := st.Delete(js.ValueOf(id))
		return err
	})
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
		return err
	}
	return txn.Await(ctx)
}
