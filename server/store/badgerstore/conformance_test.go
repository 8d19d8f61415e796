package badgerstore_test

import (
	"bytes"
	"io"
	"log/slog"
	"testing"
	"time"

	"art60/server/store"
	"art60/server/store/badgerstore"
	"art60/server/store/storetest"
)

// The Badger store passes the conformance suite every store must pass.
func TestBadgerConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
		st, err := badgerstore.Open(badgerstore.Config{Dir: t.TempDir(), Key: bytes.Repeat([]byte{3}, 32), GCInterval: -1, Now: now,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

// The Badger store enforces the per-CPAS quota as every store must.
func TestBadgerEnforcesTheQuota(t *testing.T) {
	storetest.Quota(t, func(t *testing.T, now func() time.Time, q store.Quota) store.Store {
		st, err := badgerstore.Open(badgerstore.Config{Dir: t.TempDir(), Key: bytes.Repeat([]byte{3}, 32), GCInterval: -1, Now: now,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Quota: q})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}
