package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"art60/server/store"
	"art60/server/store/badgerstore"

	"github.com/dgraph-io/badger/v4"
)

// actions lists the actions of an audit export in JSON lines.
func actions(t *testing.T, jsonl string) string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var e store.AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out = append(out, e.Action)
	}
	return strings.Join(out, " ")
}

// exportEntries reads the whole trail through art60 audit export.
func (e *env) exportEntries() []store.AuditEntry {
	e.t.Helper()
	var out []store.AuditEntry
	for _, line := range strings.Split(strings.TrimSpace(e.must("audit", "export")), "\n") {
		var a store.AuditEntry
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestAdminCommandsAreAudited: account administration, the user list,
// exports and backups write an entry naming ids only (the new user's id,
// the CPAS), never the login, the display name or the password.
func TestAdminCommandsAreAudited(t *testing.T) {
	e := newEnv(t)
	e.must("admin", "cpas", "add", "-name", "CPAS de Namur", "-enterprise", "0212345668", "-office", "namur")
	e.must("admin", "user", "add", "-login", "marie", "-name", "Marie Dupont", "-role", "cpas_worker", "-cpas", "0212345668", "-password", "correct horse battery")
	e.must("admin", "user", "disable", "-login", "marie")
	e.must("admin", "user", "list")
	e.must("backup", t.TempDir()+"/b.art60")
	entries := e.exportEntries()
	var got []string
	for _, a := range entries {
		got = append(got, a.Action+":"+a.Object+":"+a.CPASID)
		if a.UserID != store.CommandUser || a.Hash == "" {
			t.Errorf("entry %+v: want user %s and a hash", a, store.CommandUser)
		}
	}
	uid := entries[1].Object
	want := []string{"cpas.add:0212345668:0212345668", "user.add:" + uid + ":0212345668", "user.disable:" + uid + ":0212345668",
		"user.list::", "store.backup::", "audit.export::"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(got, " "), strings.Join(want, " "))
	}
	raw := e.must("audit", "export")
	for _, secret := range []string{"marie", "Dupont", "correct horse"} {
		if strings.Contains(raw, secret) {
			t.Errorf("the audit trail holds %q", secret)
		}
	}
}

// TestAuditVerifyPassesOnALiveStore: through the control socket of a
// running store, art60 audit verify reports OK and the count while other
// goroutines keep appending.
func TestAuditVerifyPassesOnALiveStore(t *testing.T) {
	e := newEnv(t)
	st := e.serveOnline(nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := st.AppendAudit(ctx, store.AuditEntry{UserID: fmt.Sprintf("u%d", g), Action: store.ActionRequestRead}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range 5 {
		if out := e.must("audit", "verify"); !strings.HasPrefix(out, "OK: ") {
			t.Errorf("verify during appends: %s", out)
		}
	}
	close(stop)
	wg.Wait()
	all, _ := st.Audit(ctx, 0, "", 1_000_000)
	want := fmt.Sprintf("OK: %d entries; head %d %s\n", len(all), len(all), all[len(all)-1].Hash)
	if out := e.must("audit", "verify"); out != want {
		t.Fatalf("verify after the appends: %q, want %q", out, want)
	}
}

// TestAuditVerifyReportsTheAlteredEntry: one audit record rewritten
// directly in a stopped store (Badger opened with the key, the entry's JSON
// changed) makes art60 audit verify exit 1 naming that entry's sequence
// number, on the stopped store and through a running server.
func TestAuditVerifyReportsTheAlteredEntry(t *testing.T) {
	e := newEnv(t)
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: e.data, Key: key, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		st.AppendAudit(context.Background(), store.AuditEntry{UserID: fmt.Sprintf("u%d", i), Action: store.ActionRequestRead})
	}
	st.Close()
	if out := e.must("audit", "verify"); !strings.HasPrefix(out, "OK: 20 entries") {
		t.Fatalf("before: %s", out)
	}

	db, err := badger.Open(badger.DefaultOptions(e.data).WithEncryptionKey(key).WithIndexCacheSize(16 << 20).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		k := []byte(fmt.Sprintf("a/%016x", 13))
		item, err := txn.Get(k)
		if err != nil {
			return err
		}
		raw, _ := item.ValueCopy(nil)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		m["userId"] = "u99" // someone else did it
		b, _ := json.Marshal(m)
		return txn.Set(k, b)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut := e.run("audit", "verify")
	if code != 1 || out != "" || !strings.Contains(errOut, "broken at entry 13:") {
		t.Fatalf("offline: exit %d, out %q, err %q", code, out, errOut)
	}
	st = e.serveOnline(nil)
	st.AppendAudit(context.Background(), store.AuditEntry{UserID: "later", Action: store.ActionRequestRead})
	if code, _, errOut := e.run("audit", "verify"); code != 1 || !strings.Contains(errOut, "broken at entry 13:") {
		t.Fatalf("online: exit %d, err %q", code, errOut)
	}
}
