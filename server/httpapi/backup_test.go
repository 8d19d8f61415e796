package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/store"
)

// TestBackupRestore: an online backup of a running server, restored into an
// empty directory, holds the same requests, attachments and audit trail,
// and devices resynchronise (their cursor names the old epoch).
func TestBackupRestore(t *testing.T) {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	att := worker.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png")
	var info api.AttachmentInfo
	att.decode(t, &info)
	var ids []string
	for i := range 5 {
		s := submission()
		if i == 0 {
			s.Attachments = []string{info.ID}
		}
		worker.submit(s)
		ids = append(ids, s.ID)
	}
	agent.decide(ids[1], api.StatusCalculated)
	agent.do("GET", "/api/v1/requests/"+ids[2], nil)
	worker.do("GET", "/api/v1/attachments/"+info.ID, nil)
	var cursor api.PullReply
	worker.do("GET", "/api/v1/sync/pull?schemaVersion=2", nil).decode(t, &cursor)

	wantRequests, wantAudit := dump(t, f.st)
	file := filepath.Join(t.TempDir(), "art60.backup")
	run(t, "backup", file, "-data", f.dir, "-key-file", f.keyFile) // the server runs: goes through its socket

	restored := filepath.Join(t.TempDir(), "restored")
	run(t, "restore", file, restored, "-key-file", f.keyFile)
	if code := admin.Run("restore", []string{file, restored, "-key-file", f.keyFile}, noEnv, &bytes.Buffer{}, &bytes.Buffer{}); code == 0 {
		t.Fatal("restore into a non-empty directory succeeded")
	}

	st := f.reopen(restored, store.Space{})
	gotRequests, _ := dump(t, st)
	if gotRequests != wantRequests {
		t.Fatalf("requests differ after restore:\n%s\nwant\n%s", gotRequests, wantRequests)
	}
	// The backup recorded itself before the copy, and the restore in the
	// restored store: the trail is the one dumped, then these two.
	all, err := st.Audit(context.Background(), 0, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all); n < 2 || all[n-2].Action != store.ActionBackup || all[n-1].Action != store.ActionRestore {
		t.Fatalf("the restored trail does not end with the backup and the restore: %+v", all[max(0, n-2):])
	}
	a, _ := json.MarshalIndent(all[:len(all)-2], "", " ")
	if gotAudit := string(a); gotAudit != wantAudit {
		t.Fatalf("audit trail differs after restore:\n%s\nwant\n%s", gotAudit, wantAudit)
	}
	_, data, err := st.Attachment(context.Background(), cpasA, info.ID)
	if err != nil || len(data) != int(info.Size) {
		t.Fatalf("attachment after restore: %v", err)
	}
	page, err := st.Changes(context.Background(), cpasA, parseCursor(cursor.Cursor), 100)
	if err != nil || !page.Full || len(page.Requests) != 5 {
		t.Fatalf("old cursor after restore: full=%v n=%d err=%v, want a full snapshot", page.Full, len(page.Requests), err)
	}
}

func run(t *testing.T, cmd string, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := admin.Run(cmd, args, noEnv, &out, &errOut); code != 0 {
		t.Fatalf("art60 %s: exit %d: %s", cmd, code, errOut.String())
	}
}

// dump renders every request of CPAS A and the whole audit trail.
func dump(t *testing.T, st store.Store) (string, string) {
	t.Helper()
	ctx := context.Background()
	page, err := st.Changes(ctx, cpasA, store.Cursor{Seq: -1}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := st.Audit(ctx, 0, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Requests) == 0 || len(audit) == 0 {
		t.Fatal("nothing to compare")
	}
	r, _ := json.MarshalIndent(page.Requests, "", " ")
	a, _ := json.MarshalIndent(audit, "", " ")
	return string(r), string(a)
}
