package httpapi

import (
	"bytes"
	"sync"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// TestPushIdempotentUnderConcurrency pushes the same mutation 100 times at
// once: it is stored once, audited once, and every answer is identical.
func TestPushIdempotentUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	c := f.login("worker-a")
	sub := submission()
	push := pushOf("tablet-1", 7, sub)
	const n = 100
	replies := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = c.do("POST", "/api/v1/sync/push", push)
		}()
	}
	wg.Wait()
	for i, r := range replies {
		if r.status != 200 || !bytes.Equal(r.body, replies[0].body) {
			t.Fatalf("reply %d differs: %d %s\nfirst: %s", i, r.status, r.body, replies[0].body)
		}
	}
	var reply api.PushReply
	replies[0].decode(t, &reply)
	if reply.Results[0].Outcome != api.OutcomeApplied || reply.Results[0].RequestID != sub.ID {
		t.Fatalf("not applied: %s", replies[0].body)
	}
	if all := c.pullAll(); len(all) != 1 || all[0].ID != sub.ID {
		t.Fatalf("stored %d requests, want 1", len(all))
	}
	entries, err := f.st.Audit(t.Context(), 0, sub.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if submits := countAction(entries, store.ActionRequestSubmit); submits != 1 {
		t.Fatalf("%d submit audit entries, want 1", submits)
	}
	// And later, one by one: still the same answer.
	if r := c.do("POST", "/api/v1/sync/push", push); !bytes.Equal(r.body, replies[0].body) {
		t.Fatalf("late replay differs: %s", r.body)
	}
}
