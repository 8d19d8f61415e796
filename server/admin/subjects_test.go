package admin

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// subjectRun runs art60 subject with stdin.
func (e *env) subjectRun(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := RunSubject(append(args, "-data", e.data, "-key-file", e.keyFile), noEnv, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The subject commands, through the running server's control socket: the
// NISS comes on stdin only, and the commands find, show and erase the
// person's requests.
func TestSubjectCommandsTakeTheNISSOnStdinOnly(t *testing.T) {
	e := newEnv(t)
	st := e.serveOnline(nil)
	ctx := context.Background()
	if err := st.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	m := store.Mutation{UserID: "u", ClientID: "d", MutationID: 1, Digest: "x",
		Audit: store.AuditEntry{UserID: "u"},
		Decide: func(store.View) (*api.Request, *api.Error) {
			return &api.Request{Submission: api.Submission{ID: "r1", Kind: api.KindInitial, LastName: "Vanderelst",
				Case: []byte(`{"person":{"niss":"85073003328"}}`)}, CPASID: "0212345668", RootID: "r1", Status: api.StatusSent}, nil
		}}
	if _, err := st.ApplyMutation(ctx, m); err != nil {
		t.Fatal(err)
	}

	if code, _, errOut := e.subjectRun("", "erase", "-niss", "85073003328"); code != 2 || !strings.Contains(errOut, "standard input") {
		t.Errorf("a NISS on the command line: exit %d: %s", code, errOut)
	}
	if code, _, errOut := e.subjectRun("85073003329\n", "erase"); code != 2 || strings.Contains(errOut, "850730") {
		t.Errorf("a wrong NISS: exit %d: %s", code, errOut)
	}
	code, out, errOut := e.subjectRun("85.07.30-033.28\n", "export")
	if code != 0 || !strings.Contains(out, "Vanderelst") {
		t.Fatalf("export: exit %d: %s %s", code, out, errOut)
	}
	code, out, _ = e.subjectRun("85073003328", "accesses")
	if code != 0 || !strings.Contains(out, "request.submit") || strings.Contains(out, "Vanderelst") {
		t.Fatalf("accesses: exit %d: %s", code, out)
	}
	code, out, _ = e.subjectRun("85073003328\n", "erase")
	if code != 0 || !strings.Contains(out, "erased 1 requests and 0 files") {
		t.Fatalf("erase: exit %d: %s", code, out)
	}
	if _, err := st.Request(ctx, "0212345668", "r1"); err == nil {
		t.Fatal("the request is still there")
	}
}
