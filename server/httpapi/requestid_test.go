package httpapi

import (
	"errors"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// cpasC is a second CPAS of office namur (cpasA's office). Its number sorts
// before cpasA's, so a lookup that tried the office's CPAS in order would
// meet its copy first.
const cpasC = "0200000142"

// addNamurCPAS adds cpasC and its worker, worker-c.
func (f *fixture) addNamurCPAS() {
	f.t.Helper()
	f.addCPAS(cpasC, "CPAS C", "namur", "worker-c")
}

// TestRequestIDOfAnotherCPASIsRefused: a worker of another CPAS of the same
// office who knows a request's id cannot submit a request with it (409
// request_id_taken, again when the push is repeated), and the agent's view,
// comments and decision stay on the original; the audit of that id names
// only the original's CPAS.
func TestRequestIDOfAnotherCPASIsRefused(t *testing.T) {
	f := newFixture(t)
	f.addNamurCPAS()
	worker, intruder, agent := f.login("worker-a"), f.login("worker-c"), f.login("agent-a")
	sub := submission()
	first := worker.submit(sub)

	copied := submission()
	copied.ID, copied.Comments = sub.ID, "the intruder's copy"
	for attempt := range 2 { // the repeated push gets the same answer
		res := intruder.do("POST", "/api/v1/sync/push", pushOf("dev-c", 1, copied))
		var reply api.PushReply
		res.decode(t, &reply)
		if res.status != 409 || reply.Results[0].Outcome != api.OutcomeRejected ||
			reply.Error == nil || reply.Error.Code != api.CodeRequestIDTaken {
			t.Fatalf("push %d of a taken id: %d %s", attempt+1, res.status, res.body)
		}
	}
	var replay api.PushReply
	worker.do("POST", "/api/v1/sync/push", pushOf("dev-"+sub.ID[:8], 1, sub)).decode(t, &replay)
	if replay.Results[0].Outcome != api.OutcomeApplied || replay.Results[0].Receipt.Seq != first.Receipt.Seq {
		t.Fatalf("the owner's repeated push: %+v, first %+v", replay.Results[0], first)
	}

	var seen api.Request
	agent.do("GET", "/api/v1/requests/"+sub.ID, nil).decode(t, &seen)
	if seen.CPASID != cpasA || seen.Comments != sub.Comments {
		t.Fatalf("the agent sees CPAS %s, comments %q", seen.CPASID, seen.Comments)
	}
	path := "/api/v1/requests/" + sub.ID + "/comments"
	if res := agent.do("POST", path, api.CommentRequest{Text: "Contrat signé ?"}); res.status != 201 {
		t.Fatalf("agent's comment: %d %s", res.status, res.body)
	}
	if res := agent.decide(sub.ID, api.StatusInvalidated); res.status != 200 {
		t.Fatalf("decision: %d %s", res.status, res.body)
	}
	checkOriginalGotTheReview(t, f, worker, sub.ID)
	for _, r := range intruder.pullAll() {
		if r.ID == sub.ID {
			t.Fatalf("the intruder's CPAS holds a request %s", r.ID)
		}
	}
	if _, err := f.st.Request(t.Context(), cpasC, sub.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("intruder's copy in the store: %v", err)
	}
	entries, _ := f.st.Audit(t.Context(), 0, sub.ID, 100)
	for _, e := range entries {
		if e.CPASID != cpasA {
			t.Fatalf("audit of %s holds an entry of CPAS %s: %+v", sub.ID, e.CPASID, e)
		}
	}
}

// checkOriginalGotTheReview: the worker of the original pulls it with the
// agent's comment and decision.
func checkOriginalGotTheReview(t *testing.T, f *fixture, worker *client, id string) {
	t.Helper()
	for _, r := range worker.pullAll() {
		if r.ID != id {
			continue
		}
		if r.Status != api.StatusInvalidated || r.Decision == nil || len(r.Thread) != 1 || r.Comments != "test" {
			t.Fatalf("original after the review: status %s, decision %v, %d comments", r.Status, r.Decision, len(r.Thread))
		}
		return
	}
	t.Fatalf("the original %s is not in its CPAS's pull", id)
}
