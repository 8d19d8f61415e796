package sqlite

import (
	"testing"
	"time"

	"art60/server/store"
	"art60/server/store/storetest"
)

// The SQLite store passes the conformance suite every store must pass, and
// after each check (the store closed) its files hold none of the suite's
// personal data: the NISS, the names, the account's name, the mail address.
func TestSQLiteConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
		dir := t.TempDir()
		t.Cleanup(func() { // runs after openAt's Close
			secrets := [][]byte{[]byte("85073003328"), []byte("Name "), []byte("Marie"), []byte("cpas@example.be")}
			if hits := filesContaining(t, dir, secrets...); len(hits) > 0 {
				t.Errorf("personal data readable in the database files: %v", hits)
			}
		})
		return openAt(t, dir, now)
	})
}

// The SQLite store enforces the per-CPAS quota as every store must.
func TestSQLiteEnforcesTheQuota(t *testing.T) {
	storetest.Quota(t, func(t *testing.T, now func() time.Time, q store.Quota) store.Store {
		s, err := Open(Config{Dir: t.TempDir(), Key: testKey, Now: now, Quota: q})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
