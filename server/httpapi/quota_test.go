package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

func TestParallelUploadsNeverPassTheCPASQuota(t *testing.T) {
	const size, fit, tries = 1000, 5, 24
	f := newFixtureWith(t, func(o *setup) { o.store.Quota = store.Quota{AttachmentBytes: fit*size + size/2} })
	w := f.login("worker-a")
	files := make([][]byte, tries)
	for i := range files {
		files[i] = append(pngBytes(), make([]byte, size-72)...)
	}
	statuses := make([]response, tries)
	var wg sync.WaitGroup
	for i := range files {
		wg.Go(func() { statuses[i] = w.do("POST", "/api/v1/attachments", files[i], "Content-Type", "image/png") })
	}
	wg.Wait()
	stored := 0
	for _, res := range statuses {
		switch {
		case res.status == 201:
			stored++
		case res.status != 507 || res.errorBody(t).Code != api.CodeQuotaExceeded:
			t.Fatalf("upload over the quota: %d %s, want 507 %s", res.status, res.body, api.CodeQuotaExceeded)
		}
	}
	u, err := f.st.(interface {
		Usage(context.Context, string) (store.Usage, error)
	}).Usage(context.Background(), cpasA)
	if err != nil {
		t.Fatal(err)
	}
	if stored != fit || u.AttachmentBytes != fit*size || u.Attachments != fit {
		t.Fatalf("%d files stored, usage %+v; want %d files of %d bytes", stored, u, fit, size)
	}
	// A refused file left nothing behind: neither its bytes nor an audit entry.
	entries, _ := f.st.Audit(context.Background(), 0, "", 10000)
	if n := countAction(entries, store.ActionAttachmentUpload); n != fit {
		t.Fatalf("%d uploads audited, want %d", n, fit)
	}
	for i, res := range statuses {
		if res.status != 201 {
			if _, _, err := f.st.Attachment(context.Background(), cpasA, sha256Hex(files[i])); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a refused file is stored: %v", err)
			}
		}
	}
	// A file already stored costs nothing again; another CPAS has its own quota.
	for i, res := range statuses {
		if res.status == 201 {
			if again := w.do("POST", "/api/v1/attachments", files[i], "Content-Type", "image/png"); again.status != 201 {
				t.Fatalf("the same file again: %d %s", again.status, again.body)
			}
			break
		}
	}
	if res := f.login("worker-b").do("POST", "/api/v1/attachments", files[0], "Content-Type", "image/png"); res.status != 201 {
		t.Fatalf("CPAS B: %d %s", res.status, res.body)
	}
}

func TestRequestsOverTheCPASQuotaAreRejected(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.store.Quota = store.Quota{Requests: 2} })
	w := f.login("worker-a")
	w.submit(submission())
	w.submit(submission())
	over := submission()
	res := w.do("POST", "/api/v1/sync/push", pushOf("dev-over", 1, over))
	var reply api.PushReply
	res.decode(t, &reply)
	if res.status != 507 || reply.Results[0].Outcome != api.OutcomeRejected || reply.Results[0].Error.Code != api.CodeQuotaExceeded {
		t.Fatalf("third request: %d %s", res.status, res.body)
	}
	if got := len(w.pullAll()); got != 2 {
		t.Fatalf("%d requests stored, want 2", got)
	}
	// The id was not taken by the refused request: another CPAS may use it.
	f.login("worker-b").submit(over)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
