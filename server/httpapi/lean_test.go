package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"art60/calc"
	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
	"github.com/klauspost/compress/zstd"
)

// Pull sends what the device cannot compute, compressed; the full request
// with its explanation stays one GET away.
func TestPullIsLeanAndCompressed(t *testing.T) {
	f := newFixture(t)
	worker := f.login("worker-a")
	s := submission()
	worker.submit(s)
	pulled := worker.pullAll()
	full := worker.do("GET", "/api/v1/requests/"+s.ID, nil)
	var whole api.Request
	full.decode(t, &whole)
	if len(pulled) != 1 || pulled[0].Result == nil || len(whole.Result.Steps) == 0 || whole.ClientResult == nil && s.ClientResult != nil {
		t.Fatalf("pulled %+v, full %s", pulled, clip(full.body))
	}
	r := pulled[0].Result
	if len(r.Steps) != 0 || len(r.Timeline.Spans) != 0 || pulled[0].ClientResult != nil {
		t.Errorf("pull carries the explanation: %d steps, %d spans", len(r.Steps), len(r.Timeline.Spans))
	}
	if !sameFigures(r, whole.Result) || pulled[0].Status != whole.Status || string(pulled[0].Case) == "" {
		t.Errorf("pull lost figures or inputs: %+v", r)
	}
	lean, _ := json.Marshal(pulled[0])
	t.Logf("one request: %d bytes pulled, %d bytes in full", len(lean), len(full.body))
	if len(lean)*3 > len(full.body) {
		t.Errorf("pull sends %d bytes of a %d-byte request", len(lean), len(full.body))
	}

	for _, enc := range []string{"gzip", "zstd", ""} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/sync/pull?schemaVersion=2", nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		res, err := http.DefaultTransport.RoundTrip(withCookies(t, worker, req))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := res.Header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", enc, got)
		}
		if plain := decompress(t, enc, body); !bytes.Contains(plain, []byte(s.ID)) {
			t.Errorf("%s: the answer does not decode to the pull", enc)
		}
	}
}

func withCookies(t *testing.T, c *client, req *http.Request) *http.Request {
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	return req
}

func decompress(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	var err error
	switch enc {
	case "gzip":
		r, err = gzip.NewReader(r)
	case "zstd":
		var d *zstd.Decoder
		d, err = zstd.NewReader(r)
		r = d
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFigures compares what a result decides.
func sameFigures(a, b *calc.Result) bool {
	x, _ := json.Marshal([]any{a.ContractEnd, a.ClaimDate, a.RequiredDays, a.ContractScheduledDays, a.ContractCredit, a.RuleSet.ID, a.Window})
	y, _ := json.Marshal([]any{b.ContractEnd, b.ClaimDate, b.RequiredDays, b.ContractScheduledDays, b.ContractCredit, b.RuleSet.ID, b.Window})
	return string(x) == string(y)
}

// plainStore hides the store's EncodedChanges: the service pulls through
// Changes, as on a store that keeps no encoded requests.
type plainStore struct{ store.Store }

// On a store that keeps each request's lean JSON, pull writes those bytes
// as they are; the answer is the same, byte for byte, as the one built
// from decoded requests: requests decided, commented and erased included,
// page by page.
func TestBothPullsAnswerTheSame(t *testing.T) {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	var ids []string
	for range 4 {
		s := submission()
		worker.submit(s)
		ids = append(ids, s.ID)
	}
	if res := agent.decide(ids[0], api.StatusCalculated); res.status != 200 {
		t.Fatalf("decide: %d %s", res.status, res.body)
	}
	if res := agent.do("POST", "/api/v1/requests/"+ids[1]+"/comments", api.CommentRequest{ID: uuid.NewString(), Text: "which contract?"}); res.status != 201 {
		t.Fatalf("comment: %d %s", res.status, res.body)
	}
	if _, err := f.st.EraseRequest(context.Background(), cpasA, ids[2], store.AuditEntry{UserID: "cli", Action: store.ActionSubjectErase}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.st.(store.EncodedChanges); !ok {
		t.Fatal("the fixture's store keeps no encoded requests: this test would compare one path with itself")
	}
	plain, err := New(Deps{Store: plainStore{f.st}, Now: f.now, Log: quietLog(), BaseURL: "http://x"})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	pull := func(q string) api.PullReply {
		t.Helper()
		encoded := worker.do("GET", "/api/v1/sync/pull?schemaVersion=2"+q, nil)
		req := withCookies(t, worker, httptest.NewRequest("GET", f.srv.URL+"/api/v1/sync/pull?schemaVersion=2"+q, nil))
		rec := httptest.NewRecorder()
		plain.Handler().ServeHTTP(rec, req)
		if encoded.status != 200 || rec.Code != 200 || !bytes.Equal(encoded.body, rec.Body.Bytes()) {
			t.Fatalf("pull%s: encoded %d\n%s\nfrom decoded requests %d\n%s", q, encoded.status, clip(encoded.body), rec.Code, clip(rec.Body.Bytes()))
		}
		var p api.PullReply
		encoded.decode(t, &p)
		return p
	}
	if p := pull(""); len(p.Requests) != 4 || p.More {
		t.Fatalf("whole pull: %d requests, more %v", len(p.Requests), p.More)
	}
	first := pull("&limit=3")
	if second := pull("&limit=3&cursor=" + first.Cursor); len(first.Requests) != 3 || !first.More || len(second.Requests) != 1 || second.More {
		t.Fatalf("pages of 3: %d (more %v) then %d (more %v)", len(first.Requests), first.More, len(second.Requests), second.More)
	}
}

// The page of a pull is the server's (Deps.PullPage): the default when the
// client names none, and the largest limit it accepts.
func TestThePullPageIsTheServersChoice(t *testing.T) {
	f := newFixtureWith(t, func(o *setup) { o.PullPage = 3 })
	worker := f.login("worker-a")
	for range 4 {
		worker.submit(submission())
	}
	var p api.PullReply
	worker.do("GET", "/api/v1/sync/pull?schemaVersion=2", nil).decode(t, &p)
	if len(p.Requests) != 3 || !p.More {
		t.Errorf("first page: %d requests, more %v", len(p.Requests), p.More)
	}
	res := worker.do("GET", "/api/v1/sync/pull?schemaVersion=2&limit=4", nil)
	if e := res.errorBody(t); res.status != 422 || e.Code != api.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Message != "must be 1 to 3" {
		t.Errorf("a limit above the page: %d %s", res.status, res.body)
	}
}
