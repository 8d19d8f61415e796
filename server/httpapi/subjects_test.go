package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/privacy"
	"art60/server/store"
)

// The person the subject tests are about, and what of theirs must go.
const (
	subjectLast  = "Vandersteenhoven"
	subjectFirst = "Anaëlle"
	subjectNote  = "rendez-vous chez le médecin du travail"
)

// personFile submits, as worker-a, a request about nissA with a file, a
// comment from ONEM and a decision, and one request about someone else.
func personFile(t *testing.T, f *fixture) (person, other string, png []byte) {
	worker, agent := f.login("worker-a"), f.login("agent-a")
	png = pngBytes()
	var info api.AttachmentInfo
	worker.do("POST", "/api/v1/attachments", png, "Content-Type", "image/png").decode(t, &info)
	s := submission()
	s.LastName, s.FirstName, s.Comments, s.Attachments = subjectLast, subjectFirst, subjectNote, []string{info.ID}
	s.Files = []api.File{{SHA256: info.ID, Name: "fiche-" + subjectLast + ".png", Type: "image/png", Size: int64(len(png))}}
	worker.submit(s)
	o := submission()
	o.Case = json.RawMessage(strings.NewReplacer(nissA, "90010100123", "1985-07-30", "1990-01-01").Replace(string(o.Case)))
	o.LastName = "Autre"
	worker.submit(o)
	agent.do("GET", "/api/v1/requests/"+s.ID, nil)
	agent.do("POST", "/api/v1/requests/"+s.ID+"/comments", api.CommentRequest{Text: "Le contrat de " + subjectFirst + " ?"})
	agent.decide(s.ID, api.StatusCalculated)
	return s.ID, o.ID, png
}

// secrets are what may not appear anywhere once the person is erased.
var secrets = []string{nissA, "850730.033-28", subjectLast, subjectFirst, subjectNote}

func TestTheAdminExportsEverythingHeldAboutOnePerson(t *testing.T) {
	f := newFixture(t)
	id, other, png := personFile(t, f)
	admin := f.login("dpo")
	res := admin.do("POST", "/api/v1/admin/subject/export", SubjectQuery{NISS: "850730 033-28"})
	var out privacy.Export
	res.decode(t, &out)
	if res.status != 200 || len(out.Requests) != 1 || out.Requests[0].Request.ID != id {
		t.Fatalf("export: %d %s", res.status, clip(res.body))
	}
	got := out.Requests[0]
	if got.Request.LastName != subjectLast || len(got.Request.Thread) != 1 || got.Request.Decision == nil {
		t.Errorf("the exported request lacks names, comments or decision: %+v", got.Request)
	}
	if len(got.Files) != 1 || !bytes.Equal(got.Files[0].Data, png) || got.Files[0].Name != "fiche-"+subjectLast+".png" {
		t.Errorf("the exported file: %+v", got.Files)
	}
	if countAction(got.Audit, store.ActionRequestRead) != 1 || countAction(got.Audit, store.ActionRequestSubmit) != 1 {
		t.Errorf("the exported audit trail: %+v", got.Audit)
	}
	if strings.Contains(string(res.body), other) {
		t.Error("the export holds another person's request")
	}
	trail, _ := f.st.Audit(context.Background(), 0, id, 1000)
	last := trail[len(trail)-1]
	if last.Action != store.ActionSubjectExport || last.UserID == "" || contains(mustJSON(t, last), secrets...) != "" {
		t.Errorf("the export's audit entry: %+v", last)
	}
}

func TestTheDataProtectionOfficerSeesWhoOpenedAPersonsFilesWithoutTheFiles(t *testing.T) {
	f := newFixture(t)
	id, _, _ := personFile(t, f)
	res := f.login("dpo").do("POST", "/api/v1/admin/subject/accesses", SubjectQuery{NISS: nissA})
	var out AccessesReply
	res.decode(t, &out)
	if res.status != 200 {
		t.Fatalf("accesses: %d %s", res.status, res.body)
	}
	var readBy []string
	for _, a := range out.Accesses {
		if a.RequestID != id {
			t.Errorf("an access to another request: %+v", a)
		}
		if a.Action == store.ActionRequestRead {
			readBy = append(readBy, a.Login+" ("+a.DisplayName+", "+a.OfficeID+")")
		}
	}
	if strings.Join(readBy, ",") != "agent-a (Test agent-a, namur)" {
		t.Errorf("who read the request: %v", readBy)
	}
	if s := contains(res.body, secrets...); s != "" {
		t.Errorf("the answer shows the file (%q): %s", s, clip(res.body))
	}
	trail, _ := f.st.Audit(context.Background(), 0, id, 1000)
	if countAction(trail, store.ActionSubjectReaders) != 1 {
		t.Error("the look at the accesses is not in the audit trail")
	}
}

func TestASubjectRouteRefusesABadNISSNamingTheField(t *testing.T) {
	f := newFixture(t)
	admin := f.login("dpo")
	for _, route := range []string{"export", "accesses", "erase"} {
		res := admin.do("POST", "/api/v1/admin/subject/"+route, SubjectQuery{NISS: "85073003329"})
		e := res.errorBody(t)
		if res.status != 422 || e.Code != api.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Path != "niss" {
			t.Errorf("%s with a wrong check digit: %d %s", route, res.status, res.body)
		}
		if strings.Contains(string(res.body), "85073003329") {
			t.Errorf("%s echoes the NISS", route)
		}
	}
}

// After an erasure by NISS nothing the API answers, no export, no audit
// export and no backup restored into a new store holds the person; their
// CPAS's devices are told to drop their copies; the erasure is audited.
func TestAfterErasureNothingHoldsThePerson(t *testing.T) {
	f := newFixture(t)
	id, other, _ := personFile(t, f)
	admin, worker, agent := f.login("dpo"), f.login("worker-a"), f.login("agent-a")
	res := admin.do("POST", "/api/v1/admin/subject/erase", SubjectQuery{NISS: nissA})
	var n privacy.Erased
	res.decode(t, &n)
	if res.status != 200 || n.Requests != 1 || n.Files != 1 {
		t.Fatalf("erase: %d %s", res.status, res.body)
	}

	for _, c := range []*client{worker, agent} {
		if res := c.do("GET", "/api/v1/requests/"+id, nil); res.status != 404 {
			t.Errorf("%s reads the erased request: %d", c.login, res.status)
		}
		if res := c.do("GET", "/api/v1/requests/"+id+"/comments", nil); res.status != 404 {
			t.Errorf("%s reads the erased comments: %d", c.login, res.status)
		}
	}
	if res := agent.decide(id, api.StatusInvalidated); res.status != 404 {
		t.Errorf("a decision on the erased request: %d", res.status)
	}
	var pulled []api.Request
	for _, r := range worker.pullAll() {
		if r.ID == id {
			pulled = append(pulled, r)
		}
	}
	if len(pulled) != 1 || pulled[0].Status != api.StatusErased {
		t.Errorf("pull does not tell the devices: %+v", pulled)
	}
	again := submission()
	again.ID = id
	push := worker.do("POST", "/api/v1/sync/push", pushOf("dev-again", 1, again))
	var reply api.PushReply
	push.decode(t, &reply)
	if e := reply.Results[0].Error; e == nil || e.Code != api.CodeRequestErased {
		t.Errorf("a device sends the erased request again: %s", push.body)
	}

	answers := [][]byte{
		worker.do("GET", "/api/v1/sync/pull?schemaVersion=2", nil).body,
		agent.do("GET", "/api/v1/queue?status=calculated", nil).body,
		agent.do("GET", "/api/v1/queue?status=sent", nil).body,
		admin.do("POST", "/api/v1/admin/subject/export", SubjectQuery{NISS: nissA}).body,
		admin.do("POST", "/api/v1/admin/subject/accesses", SubjectQuery{NISS: nissA}).body,
		admin.do("GET", "/api/v1/admin/audit?limit=5000", nil).body,
	}
	for i, b := range answers {
		if s := contains(b, secrets...); s != "" {
			t.Errorf("answer %d still holds %q: %s", i, s, clip(b))
		}
	}
	if !strings.Contains(string(answers[0]), other) {
		t.Error("the other person's request went too")
	}
	var out bytes.Buffer
	runOut(t, &out, "audit", "export", "-data", f.dir, "-key-file", f.keyFile)
	if s := contains(out.Bytes(), secrets...); s != "" || out.Len() == 0 {
		t.Errorf("art60 audit export holds %q", s)
	}

	trail, _ := f.st.Audit(context.Background(), 0, id, 1000)
	var erased []store.AuditEntry
	for _, e := range trail {
		if e.Action == store.ActionSubjectErase {
			erased = append(erased, e)
		}
	}
	if len(erased) != 1 || erased[0].Role != api.RoleDPO || erased[0].CPASID != cpasA {
		t.Errorf("the erasure's audit entries: %+v", erased)
	}

	file := filepath.Join(t.TempDir(), "after-erasure.backup")
	run(t, "backup", file, "-data", f.dir, "-key-file", f.keyFile)
	restored := filepath.Join(t.TempDir(), "restored")
	run(t, "restore", file, restored, "-key-file", f.keyFile)
	if s := contains(everything(t, f.reopen(restored, store.Space{})), secrets...); s != "" {
		t.Errorf("the backup restored into a new store holds %q", s)
	}
}

// everything renders all a store answers: every CPAS's changes (erased
// marks included), queues, files, audit trail and due mail.
func everything(t *testing.T, st store.Store) []byte {
	t.Helper()
	ctx := context.Background()
	var all []any
	cpas, err := st.ListCPAS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cpas {
		p, err := st.Changes(ctx, c.ID, store.Cursor{Seq: -1}, math.MaxInt32)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Requests)
	}
	st.ScanQueue(ctx, "", func(q api.QueueItem) bool { all = append(all, q); return true })
	st.ScanAttachments(ctx, func(a store.Attachment) bool {
		_, data, _ := st.Attachment(ctx, a.CPASID, a.SHA256)
		all = append(all, a, string(data))
		return true
	})
	audit, _ := st.Audit(ctx, 0, "", math.MaxInt32)
	mail, _ := st.DueMail(ctx, st.Now().AddDate(10, 0, 0), 10000)
	b, err := json.Marshal(append(all, audit, mail))
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) == 0 || len(cpas) == 0 {
		t.Fatal("an empty store proves nothing")
	}
	return b
}

// runOut runs an art60 command and keeps what it prints.
func runOut(t *testing.T, out *bytes.Buffer, cmd string, args ...string) {
	t.Helper()
	var errOut bytes.Buffer
	if code := admin.Run(cmd, args, noEnv, out, &errOut); code != 0 {
		t.Fatalf("art60 %s: exit %d: %s", cmd, code, errOut.String())
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
