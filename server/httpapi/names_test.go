package httpapi

import (
	"strings"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// TestThePersonsNameTravelsToEveryoneEntitled: the name a worker sends
// reaches the CPAS's other devices by pull and the agent in the queue and
// the request; each queue line is an audited read of the person's file.
func TestThePersonsNameTravelsToEveryoneEntitled(t *testing.T) {
	f := newFixture(t)
	sub := submission()
	sub.LastName, sub.FirstName = "Dupont", "Marie"
	f.login("worker-a").submit(sub)

	var pulled api.PullReply
	f.login("worker-a").do("GET", "/api/v1/sync/pull?schemaVersion=2", nil).decode(t, &pulled)
	if len(pulled.Requests) != 1 || pulled.Requests[0].LastName != "Dupont" || pulled.Requests[0].FirstName != "Marie" {
		t.Fatalf("another device of the CPAS pulls %+v", pulled.Requests)
	}

	agent := f.login("agent-a")
	q := agent.queue("")
	if len(q.Items) != 1 || q.Items[0].LastName != "Dupont" || q.Items[0].FirstName != "Marie" {
		t.Fatalf("queue %+v", q.Items)
	}
	entries, err := f.st.Audit(t.Context(), 0, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	read := false
	for _, e := range entries {
		read = read || (e.Action == store.ActionQueueRead && e.RequestID == sub.ID && e.CPASID == cpasA)
	}
	if !read {
		t.Errorf("the queue line of %s is not in the audit: %+v", sub.ID, entries)
	}
	var r api.Request
	agent.do("GET", "/api/v1/requests/"+sub.ID, nil).decode(t, &r)
	if r.LastName != "Dupont" {
		t.Errorf("the agent's request has last name %q", r.LastName)
	}
	if got := f.login("worker-b").do("GET", "/api/v1/sync/pull?schemaVersion=2", nil); strings.Contains(string(got.body), "Dupont") {
		t.Errorf("another CPAS pulls the name: %s", got.body)
	}
}

// TestANameMustFitOnOneLine: an over-long name or one with a line break is
// refused at its path.
func TestANameMustFitOnOneLine(t *testing.T) {
	for _, tc := range []struct{ last, first, path string }{
		{strings.Repeat("é", api.MaxName+1), "", "lastName"},
		{"Dupont", "Marie\nJeanne", "firstName"},
	} {
		sub := submission()
		sub.LastName, sub.FirstName = tc.last, tc.first
		if fs := sub.Check(); len(fs) != 1 || fs[0].Path != tc.path {
			t.Errorf("%q %q: %+v, want one error at %s", tc.last, tc.first, fs, tc.path)
		}
	}
	sub := submission()
	sub.LastName = strings.Repeat("é", api.MaxName)
	if fs := sub.Check(); len(fs) != 0 {
		t.Errorf("a name of exactly %d characters is refused: %+v", api.MaxName, fs)
	}
}

// TestAnAttachmentDownloadsUnderItsName: a file opened from its request
// downloads under the name the worker gave it; the request lists it with
// its type and size.
func TestAnAttachmentDownloadsUnderItsName(t *testing.T) {
	f := newFixture(t)
	worker := f.login("worker-a")
	var info api.AttachmentInfo
	worker.do("POST", "/api/v1/attachments", pngBytes(), "Content-Type", "image/png").decode(t, &info)
	sub := submission()
	sub.Attachments = []string{info.ID}
	sub.Files = []api.File{{SHA256: info.ID, Name: "attestation employeur é.png", Type: "image/png", Size: info.Size}}
	worker.submit(sub)

	agent := f.login("agent-a")
	var r api.Request
	agent.do("GET", "/api/v1/requests/"+sub.ID, nil).decode(t, &r)
	if len(r.Files) != 1 || r.Files[0].Name != "attestation employeur é.png" || r.Files[0].Size != info.Size {
		t.Fatalf("the agent's request lists %+v", r.Files)
	}
	res := agent.do("GET", "/api/v1/attachments/"+info.ID+"?requestId="+sub.ID, nil)
	want := "attachment; filename*=UTF-8''attestation%20employeur%20%C3%A9.png"
	if res.status != 200 || res.header.Get("Content-Disposition") != want {
		t.Fatalf("%d, Content-Disposition %q, want %q", res.status, res.header.Get("Content-Disposition"), want)
	}
}

// TestSyncRefusesAnotherUsersDeviceData: a push or a pull that names the
// user whose device data it carries is refused under another session, so a
// request queued by one colleague is never stored under the next one who
// signs in on the same browser.
func TestSyncRefusesAnotherUsersDeviceData(t *testing.T) {
	f := newFixture(t)
	a, err := f.st.UserByLogin(t.Context(), "worker-a")
	if err != nil {
		t.Fatal(err)
	}
	b := f.login("worker-b")
	push := pushOf("dev-shared", 1, submission())
	push.UserID = a.ID
	if res := b.do("POST", "/api/v1/sync/push", push); res.status != 403 || res.errorBody(t).Code != api.CodeWrongUser {
		t.Fatalf("push of another user's data: %d %s", res.status, res.body)
	}
	if res := b.do("GET", "/api/v1/sync/pull?schemaVersion=2&userId="+a.ID, nil); res.status != 403 || res.errorBody(t).Code != api.CodeWrongUser {
		t.Fatalf("pull into another user's data: %d %s", res.status, res.body)
	}
	own := f.login("worker-a")
	push.UserID = a.ID
	if res := own.do("POST", "/api/v1/sync/push", push); res.status != 200 {
		t.Fatalf("the owner's push: %d %s", res.status, res.body)
	}
}
