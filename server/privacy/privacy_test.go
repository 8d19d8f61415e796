package privacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/badgerstore"
)

const cpas = "0212345668"

// now is the tests' clock: a fixed instant, nowhere near the day they run.
var now = time.Date(2033, 3, 14, 9, 30, 0, 0, time.UTC)

func openStore(t *testing.T) *badgerstore.Badger {
	t.Helper()
	st, err := badgerstore.Open(badgerstore.Config{Dir: t.TempDir(), Key: bytes.Repeat([]byte{9}, 32), GCInterval: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutCPAS(context.Background(), store.CPAS{ID: cpas, Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	return st
}

var mutations int64

// put stores a request about niss, decided at decided ("" for waiting),
// naming the files.
func put(t *testing.T, st store.Store, id, niss, decided string, files ...string) {
	t.Helper()
	mutations++
	r := &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Attachments: files,
		Case: []byte(fmt.Sprintf(`{"person":{"niss":%q}}`, niss)), LastName: "Name of " + id},
		CPASID: cpas, RootID: id, Status: api.StatusSent, ReceivedAt: "2020-01-02T10:00:00Z", DueDate: "2020-01-09"}
	if decided != "" {
		r.Status, r.Decision = api.StatusCalculated, &api.Decision{Outcome: api.StatusCalculated, DecidedAt: decided}
	}
	m := store.Mutation{UserID: "u", ClientID: "d", MutationID: mutations, Digest: id,
		Decide: func(store.View) (*api.Request, *api.Error) { return r, nil }}
	if res, err := st.ApplyMutation(context.Background(), m); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("put %s: %+v %v", id, res, err)
	}
}

func upload(t *testing.T, st store.Store, sha string, at time.Time) {
	t.Helper()
	a := store.Attachment{CPASID: cpas, SHA256: sha, UploadedAt: at.Format(time.RFC3339)}
	if err := st.PutAttachment(context.Background(), a, []byte("%PDF "+sha), store.AuditEntry{UserID: "u"}); err != nil {
		t.Fatal(err)
	}
}

func ids(t *testing.T, st store.Store) string {
	t.Helper()
	var out []string
	st.ScanRequests(context.Background(), func(r *api.Request) bool { out = append(out, r.ID); return true })
	return strings.Join(out, ",")
}

func files(st store.Store) string {
	var out []string
	st.ScanAttachments(context.Background(), func(a store.Attachment) bool { out = append(out, a.SHA256); return true })
	return strings.Join(out, ",")
}

func TestRequestsAreFoundByNISSWhateverItsSeparators(t *testing.T) {
	st := openStore(t)
	put(t, st, "a", "85.07.30-033.28", "")
	put(t, st, "b", "85073003328", "")
	put(t, st, "c", "90010100123", "")
	put(t, st, "d", "", "")
	niss, err := NISS("850730 033 28")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Requests(context.Background(), st, niss)
	if err != nil || len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Fatalf("found %+v %v", got, err)
	}
	if _, err := NISS("85073003329"); err != ErrNISS || strings.Contains(err.Error(), "850730") {
		t.Errorf("a wrong check digit: %v", err)
	}
}

func TestRetentionErasesDecidedRequestsPastTheirTimeAndNothingElse(t *testing.T) {
	st := openStore(t)
	old, recent := now.AddDate(-5, 0, -1), now.AddDate(-5, 0, 1)
	put(t, st, "decided-long-ago", "85073003328", old.Format(time.RFC3339), "f1")
	put(t, st, "decided-recently", "85073003328", recent.Format(time.RFC3339), "f2")
	put(t, st, "waiting-for-years", "85073003328", "")
	upload(t, st, "f1", now.AddDate(-6, 0, 0))
	upload(t, st, "f2", now.AddDate(-6, 0, 0))
	upload(t, st, "loose-old", now.AddDate(0, 0, -31))
	upload(t, st, "loose-new", now.AddDate(0, 0, -29))
	who := store.AuditEntry{UserID: store.RetentionUser}

	n, err := Retain(context.Background(), st, DefaultPolicy, now, who)
	if err != nil {
		t.Fatal(err)
	}
	if n.Requests != 1 || n.Files != 2 { // f1 with its request, loose-old alone
		t.Errorf("retention removed %+v", n)
	}
	if got := ids(t, st); got != "decided-recently,waiting-for-years" {
		t.Errorf("requests left: %s", got)
	}
	if got := files(st); got != "f2,loose-new" {
		t.Errorf("files left: %s", got)
	}
	trail, _ := st.Audit(context.Background(), 0, "decided-long-ago", 100)
	if last := trail[len(trail)-1]; last.Action != store.ActionRequestExpire || last.UserID != store.RetentionUser {
		t.Errorf("the expiry's audit entry: %+v", last)
	}
	all, _ := st.Audit(context.Background(), 0, "", 1000)
	var loose []string
	for _, e := range all {
		if e.Action == store.ActionUploadExpire {
			loose = append(loose, e.Object)
		}
	}
	if strings.Join(loose, ",") != "loose-old" {
		t.Errorf("uploads expired in the audit trail: %v", loose)
	}

	again, err := Retain(context.Background(), st, DefaultPolicy, now, who)
	if err != nil || again != (Erased{}) {
		t.Errorf("a second pass the same day: %+v %v", again, err)
	}
}

func TestTheZeroPolicyKeepsEverything(t *testing.T) {
	st := openStore(t)
	put(t, st, "decided-long-ago", "85073003328", now.AddDate(-30, 0, 0).Format(time.RFC3339))
	upload(t, st, "loose", now.AddDate(-30, 0, 0))
	n, err := Retain(context.Background(), st, Policy{}, now, store.AuditEntry{})
	if err != nil || n != (Erased{}) || ids(t, st) != "decided-long-ago" || files(st) != "loose" {
		t.Fatalf("the zero policy removed %+v (%v)", n, err)
	}
}

func TestErasingAPersonWithNoRequestIsRecordedAndChangesNothing(t *testing.T) {
	st := openStore(t)
	put(t, st, "other", "90010100123", "")
	n, err := ErasePerson(context.Background(), st, "85073003328", store.AuditEntry{UserID: store.CommandUser})
	if err != nil || n != (Erased{}) || ids(t, st) != "other" {
		t.Fatalf("erase: %+v %v", n, err)
	}
	all, _ := st.Audit(context.Background(), 0, "", 100)
	last := all[len(all)-1]
	if last.Action != store.ActionSubjectErase || last.RequestID != "" || last.Detail != "no request found" {
		t.Errorf("the audit entry: %+v", last)
	}
}

// noCompact is a store that cannot compact, as the D1 store.
type noCompact struct{ store.Store }

func (noCompact) Compact(context.Context) error { return errors.ErrUnsupported }

// On a store that cannot compact (D1), an erasure is done once the rows are
// gone: the person is erased and the DPO is not told it failed.
func TestAnErasureOnAStoreWithoutCompactIsDone(t *testing.T) {
	st := openStore(t)
	put(t, st, "theirs", "85073003328", "")
	put(t, st, "old", "90010100123", "2020-01-10T10:00:00Z")
	n, err := ErasePerson(context.Background(), noCompact{st}, "85073003328", store.AuditEntry{UserID: store.CommandUser})
	if err != nil || n.Requests != 1 {
		t.Fatalf("erase: %+v %v", n, err)
	}
	n, err = Retain(context.Background(), noCompact{st}, Policy{Decided: 365 * 24 * time.Hour}, now, store.AuditEntry{UserID: store.RetentionUser})
	if err != nil || n.Requests != 1 {
		t.Fatalf("retain: %+v %v", n, err)
	}
}
