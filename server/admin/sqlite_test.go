package admin

import (
	"bytes"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/store"
	"art60/server/store/sqlite"
	"art60/server/store/stores"
)

// TestCommandsOnASQLiteStore: the commands find a SQLite store by its
// files, online through the running server's socket and offline; its
// backup restores as a SQLite store with its audit trail continued.
func TestCommandsOnASQLiteStore(t *testing.T) {
	e := newEnv(t)
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := sqlite.Open(sqlite.Config{Dir: e.data, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	ctl, err := ListenControl(SocketPath(e.data), st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e.must("admin", "cpas", "add", "-name", "Online", "-enterprise", "0209876524", "-office", "liege")
	online := filepath.Join(t.TempDir(), "online.art60")
	e.must("backup", online)
	ctl.Close()
	st.Close()
	offline := filepath.Join(t.TempDir(), "offline.art60")
	e.must("backup", offline)
	for _, backup := range []string{online, offline} {
		restored := filepath.Join(t.TempDir(), "restored")
		var out, errOut bytes.Buffer
		if code := Run("restore", []string{backup, restored, "-key-file", e.keyFile}, noEnv, &out, &errOut); code != 0 {
			t.Fatalf("restore %s: %s", backup, errOut.String())
		}
		if stores.Held(restored) != stores.SQLite {
			t.Fatalf("restored as %q", stores.Held(restored))
		}
		r := &env{t: t, data: restored, keyFile: e.keyFile}
		if out := r.must("admin", "cpas", "list"); !strings.Contains(out, "0209876524") {
			t.Fatalf("restored cpas list: %s", out)
		}
		if out := r.must("admin", "check"); !strings.Contains(out, "no problem found") {
			t.Fatalf("check the restored store: %s", out)
		}
		if out := r.must("audit", "verify"); !strings.HasPrefix(out, "OK: ") {
			t.Fatalf("verify the restored store: %s", out)
		}
		if got := actions(t, r.must("audit", "export")); !strings.HasPrefix(got, "cpas.add store.backup") || !strings.Contains(got, "store.restore") {
			t.Fatalf("restored audit: %s", got)
		}
	}
}
