package admin

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/store"
	"art60/server/store/badgerstore"
)

type env struct {
	t             *testing.T
	data, keyFile string
}

func newEnv(t *testing.T) *env {
	root := t.TempDir()
	e := &env{t: t, data: filepath.Join(root, "db"), keyFile: filepath.Join(root, "key")}
	if _, _, err := store.LoadKey("", e.keyFile, true); err != nil {
		t.Fatal(err)
	}
	return e
}

// serveOnline opens the env's store as a running server does, with its
// control socket, until the test ends; now is the server's clock (nil: the
// wall clock).
func (e *env) serveOnline(now func() time.Time) *badgerstore.Badger {
	e.t.Helper()
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: e.data, Key: key, GCInterval: -1, Now: now})
	if err != nil {
		e.t.Fatal(err)
	}
	ctl, err := ListenControl(SocketPath(e.data), st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		st.Close()
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { ctl.Close(); st.Close() })
	return st
}

// run runs a command with the env's directory and key; it returns the exit
// code and what was printed.
func (e *env) run(cmd string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Run(cmd, append(args, "-data", e.data, "-key-file", e.keyFile), noEnv, &out, &errOut)
	return code, out.String(), errOut.String()
}

func (e *env) must(cmd string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(cmd, args...)
	if code != 0 {
		e.t.Fatalf("art60 %s %v: exit %d: %s", cmd, args, code, errOut)
	}
	return out
}

func TestAccountsCommands(t *testing.T) {
	e := newEnv(t)
	e.must("admin", "cpas", "add", "-name", "CPAS de Namur", "-enterprise", "0212.345.668", "-office", "namur")
	if code, _, msg := e.run("admin", "cpas", "add", "-name", "Again", "-enterprise", "0212345668", "-office", "namur"); code != 1 || !strings.Contains(msg, "exists") {
		t.Fatalf("duplicate CPAS: %d %s", code, msg)
	}
	if code, _, _ := e.run("admin", "cpas", "add", "-name", "X", "-enterprise", "0212345669", "-office", "namur"); code != 2 {
		t.Fatal("bad enterprise number accepted")
	}
	if code, _, _ := e.run("admin", "cpas", "add", "-name", "X", "-enterprise", "0209876524", "-office", "atlantis"); code != 2 {
		t.Fatal("unknown office accepted")
	}
	if out := e.must("admin", "cpas", "list"); !strings.Contains(out, "0212345668") || !strings.Contains(out, "CPAS de Namur") {
		t.Fatalf("cpas list: %s", out)
	}
	out := e.must("admin", "user", "add", "-login", "Marie", "-name", "Marie D.", "-role", "cpas_worker", "-cpas", "0212345668")
	if !strings.Contains(out, "password: ") {
		t.Fatalf("no generated password: %s", out)
	}
	for _, bad := range [][]string{
		{"-login", "x", "-name", "X", "-role", "cpas_worker", "-cpas", "0209876524"}, // unknown CPAS
		{"-login", "y", "-name", "Y", "-role", "onem_agent", "-cpas", "0212345668"},  // agent bound to a CPAS
		{"-login", "z", "-name", "Z", "-role", "root"},
		{"-login", "w", "-name", "W", "-role", "admin", "-password", "short"},
	} {
		if code, _, _ := e.run("admin", append([]string{"user", "add"}, bad...)...); code != 2 {
			t.Errorf("user add %v accepted", bad)
		}
	}
	e.must("admin", "user", "add", "-login", "agent", "-name", "Agent", "-role", "onem_agent", "-office", "namur")
	e.must("admin", "user", "disable", "-login", "MARIE")
	list := e.must("admin", "user", "list")
	if !strings.Contains(list, "marie") || !strings.Contains(list, "disabled") || strings.Contains(list, "argon2") {
		t.Fatalf("user list: %s", list)
	}
	if out := e.must("admin", "office", "list"); !strings.Contains(out, "admissibilite.charleroi@onem.be") {
		t.Fatalf("office list: %s", out)
	}
	if code, _, _ := e.run("admin", "user", "promote"); code != 2 {
		t.Fatal("unknown command accepted")
	}
}

func TestAuditExportAndOnlineCommands(t *testing.T) {
	e := newEnv(t)
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: e.data, Key: key, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st.AppendAudit(ctx, store.AuditEntry{UserID: "u1", Action: store.ActionRequestRead, RequestID: "0f8fad5b-d9cb-469f-a165-70867728950e"},
		store.AuditEntry{UserID: "u2", Action: store.ActionRequestSubmit, RequestID: "1f8fad5b-d9cb-469f-a165-70867728950e"})
	ctl, err := ListenControl(SocketPath(e.data), st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// The store is open here: the commands go through the control socket.
	// The export records itself first, so it holds its own entry.
	lines := strings.Split(strings.TrimSpace(e.must("audit", "export")), "\n")
	var first store.AuditEntry
	if len(lines) != 3 || json.Unmarshal([]byte(lines[0]), &first) != nil || first.UserID != "u1" ||
		!strings.Contains(lines[2], `"action":"audit.export"`) {
		t.Fatalf("jsonl: %q", lines)
	}
	// (The -request filter reads the audit of a stored request through its
	// holder; the store's tests cover it. These entries name no stored one.)
	rows, err := csv.NewReader(strings.NewReader(e.must("audit", "export", "-format", "csv"))).ReadAll()
	if err != nil || len(rows) != 5 || rows[2][2] != "u2" || rows[4][4] != store.ActionAuditExport {
		t.Fatalf("csv: %v %v", rows, err)
	}
	e.must("admin", "cpas", "add", "-name", "Online", "-enterprise", "0209876524", "-office", "liege")
	if code, _, msg := e.run("admin", "cpas", "add", "-name", "X", "-enterprise", "1", "-office", "liege"); code != 2 || !strings.Contains(msg, "enterprise") {
		t.Fatalf("usage error through the socket: %d %s", code, msg)
	}
	backup := filepath.Join(t.TempDir(), "b.art60")
	e.must("backup", backup)
	if err := ctl.Close(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	restored := filepath.Join(t.TempDir(), "restored")
	var out, errOut bytes.Buffer
	if code := Run("restore", []string{backup, restored, "-key-file", e.keyFile}, noEnv, &out, &errOut); code != 0 {
		t.Fatalf("restore: %s", errOut.String())
	}
	e.data = restored
	if out := e.must("admin", "cpas", "list"); !strings.Contains(out, "0209876524") {
		t.Fatalf("restored cpas list: %s", out)
	}
	// Two entries, two exports, the CPAS, the backup, then in the restored
	// store the restore and this export.
	if got := actions(t, e.must("audit", "export")); got != "request.read request.submit audit.export audit.export cpas.add store.backup store.restore audit.export" {
		t.Fatalf("restored audit: %s", got)
	}
	if out := e.must("audit", "verify"); !strings.HasPrefix(out, "OK: 8 entries; head 8 ") {
		t.Fatalf("verify the restored store: %s", out)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run("admin", []string{"-h"}, noEnv, &out, &errOut); code != 0 || !strings.Contains(out.String(), "art60 backup FILE") {
		t.Fatalf("%d %s", code, out.String())
	}
	if code := Run("restore", []string{"only-one"}, noEnv, &out, &errOut); code != 2 {
		t.Fatalf("restore with one argument: %d", code)
	}
}

// TestOnlineCommandsStampByTheServersClock: a CPAS and a user added through
// the control socket of a server whose clock reads 2031 are created in 2031,
// not at the wall clock of the command's process.
func TestOnlineCommandsStampByTheServersClock(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2031, 6, 15, 8, 0, 0, 0, time.UTC)
	st := e.serveOnline(func() time.Time { return at })
	e.must("admin", "cpas", "add", "-name", "Online", "-enterprise", "0209876524", "-office", "liege")
	e.must("admin", "user", "add", "-login", "agent", "-name", "Agent", "-role", "onem_agent", "-office", "liege")
	ctx := context.Background()
	c, err := st.CPAS(ctx, "0209876524")
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByLogin(ctx, "agent")
	if err != nil {
		t.Fatal(err)
	}
	if want := "2031-06-15T08:00:00Z"; c.CreatedAt != want || u.CreatedAt != want {
		t.Errorf("CPAS created %s, user created %s, want %s", c.CreatedAt, u.CreatedAt, want)
	}
}
