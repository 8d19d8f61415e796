package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/store"
)

// auditAll reads the whole trail as the admin client, page by page until
// an empty page (which its own reads must not prevent: the page that shows
// only the reader's own read is not recorded again).
func auditAll(t *testing.T, c *client) []store.AuditEntry {
	t.Helper()
	var all []store.AuditEntry
	for after, pages := int64(0), 0; ; pages++ {
		if pages > 20 {
			t.Fatal("paging through the audit trail never ends")
		}
		var page AuditReply
		res := c.do("GET", fmt.Sprintf("/api/v1/admin/audit?limit=5000&after=%d", after), nil)
		if res.status != 200 {
			t.Fatalf("audit: %d %s", res.status, res.body)
		}
		res.decode(t, &page)
		if len(page.Entries) == 0 {
			return all
		}
		all, after = append(all, page.Entries...), page.Next
	}
}

// TestEveryAuditedActionIsInTheTrail: sign-in (success, wrong password,
// unknown login), sign-out, an attachment downloaded without a request id,
// the admin reads, account and CPAS administration, an export, a backup and
// a restore each leave an entry with ids only; the chain holds and
// art60 audit verify says so through the running server.
func TestEveryAuditedActionIsInTheTrail(t *testing.T) {
	f := newFixture(t)
	ids := map[string]string{}
	for _, login := range []string{"worker-a", "admin"} {
		u, err := f.st.UserByLogin(context.Background(), login)
		if err != nil {
			t.Fatal(err)
		}
		ids[login] = u.ID
	}
	const unknown, wrongPassword = "marie.dupont@cpas.example", "Tr0ub4dor&3-wrong"

	worker := f.login("worker-a")
	var info api.AttachmentInfo
	worker.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png").decode(t, &info)
	if res := worker.do("GET", "/api/v1/attachments/"+info.ID, nil); res.status != 200 {
		t.Fatalf("download: %d %s", res.status, res.body)
	}
	if res := worker.do("DELETE", "/api/v1/session", nil); res.status != 204 {
		t.Fatalf("sign-out: %d %s", res.status, res.body)
	}
	const newPassword, resetPassword = "a new and longer passphrase", "the administrator's choice"
	worker = f.login("worker-a")
	worker.expectStatus("POST", "/api/v1/session/password", api.PasswordChange{CurrentPassword: wrongPassword, NewPassword: newPassword}, 422, api.CodeWrongPassword)
	worker.expectStatus("POST", "/api/v1/session/password", api.PasswordChange{CurrentPassword: password, NewPassword: newPassword}, 204, "")
	worker.expectStatus("DELETE", "/api/v1/sessions", nil, 204, "")
	anon := f.anonymous()
	for _, in := range []api.LoginRequest{{Login: "worker-a", Password: wrongPassword}, {Login: unknown, Password: password}} {
		if res := anon.do("POST", "/api/v1/session", in); res.status != 401 {
			t.Fatalf("bad sign-in %s: %d %s", in.Login, res.status, res.body)
		}
	}

	cli := func(cmd string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := admin.Run(cmd, append(args, "-data", f.dir, "-key-file", f.keyFile), noEnv, &out, &errOut); code != 0 {
			t.Fatalf("art60 %s %v: exit %d: %s", cmd, args, code, errOut.String())
		}
		return out.String()
	}
	cli("admin", "cpas", "add", "-name", "CPAS C", "-enterprise", "0203000214", "-office", "namur")
	cli("admin", "user", "add", "-login", "jean", "-name", "Jean Martin", "-role", "cpas_worker", "-cpas", "0203000214", "-password", password)
	cli("admin", "user", "disable", "-login", "jean")
	cli("admin", "user", "enable", "-login", "jean")
	cli("admin", "user", "reset-password", "-login", "jean", "-password", resetPassword)
	cli("audit", "export")
	backup := filepath.Join(t.TempDir(), "b.art60")
	cli("backup", backup)

	adm := f.login("admin")
	if res := adm.do("GET", "/api/v1/admin/users", nil); res.status != 200 {
		t.Fatalf("users: %d %s", res.status, res.body)
	}
	all := auditAll(t, adm)
	jean, err := f.st.UserByLogin(context.Background(), "jean")
	if err != nil {
		t.Fatal(err)
	}

	type want struct{ action, user, cpas, object, detail string }
	wants := []want{
		{store.ActionSignIn, ids["worker-a"], "", "", ""},
		{store.ActionAttachmentRead, ids["worker-a"], cpasA, info.ID, ""},
		{store.ActionSignOut, ids["worker-a"], "", "", ""},
		{store.ActionSignIn, ids["worker-a"], "", "", ""},
		{store.ActionPasswordRefused, ids["worker-a"], "", "", ""},
		{store.ActionUserPassword, ids["worker-a"], cpasA, ids["worker-a"], ""},
		{store.ActionSignOutAll, ids["worker-a"], "", "", ""},
		{store.ActionSignInFailed, ids["worker-a"], "", "", "wrong password"},
		{store.ActionSignInFailed, "", "", "", "unknown login"},
		{store.ActionCPASAdd, store.CommandUser, "0203000214", "0203000214", ""},
		{store.ActionUserAdd, store.CommandUser, "0203000214", jean.ID, ""},
		{store.ActionUserDisable, store.CommandUser, "0203000214", jean.ID, ""},
		{store.ActionUserEnable, store.CommandUser, "0203000214", jean.ID, ""},
		{store.ActionUserPassword, store.CommandUser, "0203000214", jean.ID, "reset"},
		{store.ActionAuditExport, store.CommandUser, "", "", ""},
		{store.ActionBackup, store.CommandUser, "", "", ""},
		{store.ActionSignIn, ids["admin"], "", "", ""},
		{store.ActionUserList, ids["admin"], "", "", ""},
		{store.ActionAuditRead, ids["admin"], "", "", ""},
	}
	var got []want
	for _, e := range all {
		got = append(got, want{e.Action, e.UserID, e.CPASID, e.Object, e.Detail})
		if e.Action == store.ActionAttachmentRead && e.RequestID != "" {
			t.Errorf("download without a request id names request %s", e.RequestID)
		}
		if e.Action == store.ActionSignInFailed && e.ClientAddr != "127.0.0.1" {
			t.Errorf("failed sign-in without the client address: %+v", e)
		}
	}
	// The upload is in the trail too; compare the rest in order.
	var rest []want
	for _, g := range got {
		if g.action != store.ActionAttachmentUpload {
			rest = append(rest, g)
		}
	}
	if fmt.Sprint(rest) != fmt.Sprint(wants) {
		t.Fatalf("audit trail:\n%v\nwant\n%v", rest, wants)
	}
	if reads := countAction(all, store.ActionAuditRead); reads != 1 {
		t.Errorf("%d audit.read entries for one paging through the trail, want 1", reads)
	}

	// Ids only: no login, name, e-mail address or password of anyone.
	raw := adm.do("GET", "/api/v1/admin/audit?limit=5000", nil).body
	if leak := contains(raw, unknown, wrongPassword, password, newPassword, resetPassword, "worker-a", "Jean Martin", "jean\"", "Test worker-a", "CPAS C"); leak != "" {
		t.Errorf("the audit trail holds %q", leak)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Prev != all[i-1].Hash || len(all[i].Hash) != 64 {
			t.Fatalf("entry %d is not linked to %d", all[i].Seq, all[i-1].Seq)
		}
	}
	if out := cli("audit", "verify"); !strings.HasPrefix(out, "OK: ") {
		t.Fatalf("verify: %s", out)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	cli("restore", backup, restored)
	st := f.reopen(restored, store.Space{})
	entries, err := st.Audit(context.Background(), 0, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if last := entries[len(entries)-1]; last.Action != store.ActionRestore || last.UserID != store.CommandUser {
		t.Fatalf("restored trail ends with %+v, want the restore", last)
	}
	if c, err := st.VerifyAudit(context.Background()); err != nil || !c.OK() {
		t.Fatalf("restored chain: %+v %v", c, err)
	}
}
