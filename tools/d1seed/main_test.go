package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/admin"
	"art60/server/store/d1"
)

// The seed file, run twice on a new database (make worker-dev runs it at
// every start), gives the D1 store the demo accounts of make run, opened
// with the same key, and holds no readable name.
func TestTheSeedGivesTheDemoAccountsAndRunsTwice(t *testing.T) {
	key := bytes.Repeat([]byte{9}, 32)
	var out strings.Builder
	if err := run(&out, hex.EncodeToString(key)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Travailleur") {
		t.Error("an account's name is readable in the seed")
	}
	x, err := d1.OpenSQLite(filepath.Join(t.TempDir(), "target.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	st, err := d1.Open(ctx, d1.Config{Exec: x, Key: key}) // before the seed: makes the meta rows the seed must leave alone
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	for i := range 2 {
		if err := x.Batch(ctx, []d1.Statement{{SQL: out.String()}}); err != nil {
			t.Fatalf("run %d of the seed: %v", i+1, err)
		}
		users, err := st.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(users))
	}
	if counts[0] != counts[1] {
		t.Errorf("%d users after one run of the seed, %d after two", counts[0], counts[1])
	}
	for _, login := range []string{admin.DemoWorker, admin.DemoAgent, admin.DemoAdmin} {
		if _, err := st.UserByLogin(ctx, login); err != nil {
			t.Errorf("%s: %v", login, err)
		}
	}
	if c, err := st.CPAS(ctx, admin.DemoCPAS); err != nil || c.OfficeID != admin.DemoOffice {
		t.Errorf("the demo CPAS: %+v %v", c, err)
	}
}
