package badgerstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"

	"art60/calc"
	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// Values packed with the dictionary are read with the same bytes only: a
// changed dictionary would make every stored request unreadable.
func TestThePackingDictionaryNeverChanges(t *testing.T) {
	sum := sha256.Sum256(dictV1)
	if got := hex.EncodeToString(sum[:]); got != "468bc8df642b565074334b8a4a82724b5640c19b40dd83caa52b955f00d6a25a" {
		t.Fatalf("zstd-dict-v1.txt changed (sha256 %s): put it back and add a new dictionary with a new first byte", got)
	}
}

// solved is example V2 of RULES.md as the server stores it: the case, the
// authoritative result with its explanation and the device's own result.
func solved(t *testing.T, id string) *api.Request {
	t.Helper()
	c := json.RawMessage(`{"person":{"niss":"98060100132","birthDate":"1998-06-01"},` +
		`"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},` +
		`"periods":[{"kind":"work","from":"2023-01-02","to":"2023-06-30","daysPerWeek":5,"q":38,"s":38,"country":"BE"}],` +
		`"options":{"claimDays":"mon-sat"}}`)
	cs, err := calc.Parse(c, "fr")
	if err != nil {
		t.Fatal(err)
	}
	res, err := calc.Solve(cs, "fr")
	if err != nil || len(res.Steps) == 0 || len(res.Timeline.Spans) == 0 {
		t.Fatalf("solve: %+v %v", res, err)
	}
	client := *res
	return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Case: c, ClientResult: &client,
		ReferenceEmail: "referent@cpas.example", LastName: "Zwanepoel"}, CPASID: "0212345668", RootID: id,
		Status: api.StatusSent, ReceivedAt: "2025-01-02T10:00:00Z", DueDate: "2025-01-09", Result: res}
}

func submitRequest(t *testing.T, s *Badger, mutationID int64, r *api.Request) {
	t.Helper()
	m := store.Mutation{UserID: "u1", ClientID: "dev", MutationID: mutationID, Digest: r.ID,
		Decide: func(store.View) (*api.Request, *api.Error) { return r, nil }}
	if res, err := s.ApplyMutation(context.Background(), m); err != nil || res.Outcome != api.OutcomeApplied {
		t.Fatalf("submit %s: %+v %v", r.ID, res, err)
	}
}

func rawValue(t *testing.T, s *Badger, key []byte) []byte {
	t.Helper()
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err == nil {
			v, err = item.ValueCopy(nil)
		}
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return v
}

func TestARequestIsStoredPackedWithoutItsExplanationAndReadWhole(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	want := solved(t, "r1")
	full, _ := json.Marshal(want)
	submitRequest(t, s, 1, want)

	lean, expl := rawValue(t, s, requestKey("0212345668", "r1")), rawValue(t, s, explanationKey("0212345668", "r1"))
	if lean[0] != packedV1 || expl[0] != packedV1 {
		t.Fatalf("values not packed: %q… %q…", lean[:8], expl[:8])
	}
	t.Logf("one request: %d bytes of JSON, stored in %d + %d bytes", len(full), len(lean), len(expl))
	if 3*(len(lean)+len(expl)) > len(full) {
		t.Errorf("stored in %d + %d bytes for %d bytes of JSON", len(lean), len(expl), len(full))
	}

	got, err := s.Request(ctx, "0212345668", "r1")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back:\n%+v %v\nwant\n%+v", got, err, want)
	}
	var scanned []*api.Request
	s.ScanRequests(ctx, func(r *api.Request) bool { scanned = append(scanned, r); return true })
	if len(scanned) != 1 || !reflect.DeepEqual(scanned[0], want) {
		t.Errorf("scanned: %+v", scanned)
	}
	p, err := s.Changes(ctx, "0212345668", store.Cursor{}, 10)
	if wantLean, _ := want.Lean(); err != nil || len(p.Requests) != 1 || !reflect.DeepEqual(p.Requests[0], wantLean) {
		t.Fatalf("changes: %+v %v", p.Requests, err)
	}
}

// A store written before requests were packed holds each one whole, as
// plain JSON under r/: it is read as it is, with no migration.
func TestARequestStoredWholeBeforePackingIsReadWhole(t *testing.T) {
	s, ctx := openTest(t), context.Background()
	want := solved(t, "old")
	submitRequest(t, s, 1, want)
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := setJSON(txn, requestKey("0212345668", "old"), want); err != nil {
			return err
		}
		return txn.Delete(explanationKey("0212345668", "old"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Request(ctx, "0212345668", "old"); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back: %+v %v", got, err)
	}
	decided, err := s.UpdateRequest(ctx, store.Update{CPASID: "0212345668", ID: "old",
		Change: func(r *api.Request) ([]store.Mail, *api.Error) { r.Status = api.StatusCalculated; return nil, nil }})
	if err != nil || decided.Status != api.StatusCalculated || !reflect.DeepEqual(decided.Result, want.Result) {
		t.Fatalf("update: %+v %v", decided, err)
	}
	if v := rawValue(t, s, requestKey("0212345668", "old")); v[0] != packedV1 {
		t.Errorf("an updated request is not packed again: %q…", v[:8])
	}
	if got, _ := s.Request(ctx, "0212345668", "old"); !reflect.DeepEqual(got.ClientResult, want.ClientResult) {
		t.Errorf("the device's result lost in the update: %+v", got.ClientResult)
	}
}
