//go:build !(js && wasm)

package d1

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"art60/server/store"
	"art60/server/store/storetest"
)

// The D1 store, on the SQLite executor (batches as D1 runs them, no
// transaction around its reads), passes the conformance suite; backups and
// compaction are D1's own and refused with errors.ErrUnsupported. After each
// check its database files hold none of the suite's personal data.
func TestD1StoreConforms(t *testing.T) {
	storetest.RunCapable(t, func(t *testing.T, now func() time.Time) store.Store {
		dir := t.TempDir()
		x, err := OpenSQLite(filepath.Join(dir, "d1.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			x.Close()
			for _, secret := range []string{"85073003328", "Name ", "Marie", "cpas@example.be"} {
				if hits := filesContaining(t, dir, []byte(secret)); len(hits) > 0 {
					t.Errorf("%q readable in the database files %v", secret, hits)
				}
			}
		})
		s, err := Open(context.Background(), Config{Exec: x, Key: bytes.Repeat([]byte{7}, 32), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}, storetest.Capabilities{Backup: false, Compact: false})
}

// The D1 store enforces the per-CPAS quota from its reads before the batch.
func TestD1StoreEnforcesTheQuota(t *testing.T) {
	storetest.Quota(t, func(t *testing.T, now func() time.Time, q store.Quota) store.Store {
		x, err := OpenSQLite(filepath.Join(t.TempDir(), "d1.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		s, err := Open(context.Background(), Config{Exec: x, Key: bytes.Repeat([]byte{7}, 32), Now: now, Quota: q})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func filesContaining(t *testing.T, dir string, secret []byte) []string {
	var hits []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, secret) {
			hits = append(hits, e.Name())
		}
	}
	return hits
}
