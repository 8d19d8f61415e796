package drafts

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"art60/server/api"
)

// listDrafts is one draft of every kind the list tells apart.
func listDrafts() []Draft {
	end := "2025-03-14"
	decided := func(at string) *api.Request {
		return &api.Request{Status: api.StatusCalculated, Decision: &api.Decision{Outcome: api.StatusCalculated, ContractEnd: &end, DecidedAt: at}}
	}
	ds := []Draft{
		{ID: "a", Status: api.StatusDraft, LastName: "Alpha", FirstName: "Ann", UpdatedAt: "2026-01-03T10:00:00Z", Result: &ResultDigest{ContractEnd: "2025-01-02"}},
		{ID: "b", Status: api.StatusDraft, LastName: "Beta\x1fX\x1e", UpdatedAt: "2026-01-05T10:00:00Z", Outbox: 7},
		{ID: "c", Status: api.StatusDraft, UpdatedAt: "2026-01-04T10:00:00Z", Rejection: &api.Error{Code: "invalid"}, Simulation: true},
		{ID: "d", Status: api.StatusCalculated, UpdatedAt: "2026-01-01T10:00:00Z", Remote: decided("2026-01-02T09:00:00Z")},
		{ID: "e", Status: api.StatusCalculated, UpdatedAt: "2026-01-06T10:00:00Z", Remote: decided("2026-01-01T09:00:00Z")},
	}
	ds[0].Case.Person.NISS = "85073003328"
	return ds
}

func TestARowSaysWhatTheListShowsOfItsDraft(t *testing.T) {
	ds := listDrafts()
	want := []Row{
		{ID: "a", UpdatedAt: "2026-01-03T10:00:00Z", LastName: "Alpha", FirstName: "Ann", NISS: "85073003328", Status: api.StatusDraft, End: "2025-01-02", Editable: true},
		{ID: "b", UpdatedAt: "2026-01-05T10:00:00Z", LastName: "Beta\x1fX\x1e", Status: StatusPending},
		{ID: "c", UpdatedAt: "2026-01-04T10:00:00Z", Status: StatusRefused, Simulation: true, Editable: true},
		{ID: "d", Answered: "2026-01-02T09:00:00Z", UpdatedAt: "2026-01-01T10:00:00Z", Status: api.StatusCalculated, End: "2025-03-14"},
		{ID: "e", Answered: "2026-01-01T09:00:00Z", UpdatedAt: "2026-01-06T10:00:00Z", Status: api.StatusCalculated, End: "2025-03-14"},
	}
	for i := range ds {
		r := RowOf(&ds[i])
		if r != want[i] {
			t.Errorf("row of %s: %+v, want %+v", ds[i].ID, r, want[i])
		}
		back, ok := DecodeRow(r.Encode())
		if w := want[i]; w.LastName == "Beta\x1fX\x1e" {
			w.LastName = "Beta X " // the separators cannot survive
			want[i] = w
		}
		if !ok || back != want[i] {
			t.Errorf("row of %s decoded as %+v (%v), want %+v", ds[i].ID, back, ok, want[i])
		}
	}
	for _, bad := range []string{"", "r0\x1fa", RowOf(&ds[0]).Encode() + sep} {
		if _, ok := DecodeRow(bad); ok {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestRowsComeInTheListsOrder(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	for _, d := range listDrafts() {
		if err := m.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 { // equal dates keep the drafts' own order
		d := Draft{ID: "z" + strconv.Itoa(i), Status: api.StatusDraft, UpdatedAt: "2026-01-02T10:00:00Z"}
		if err := m.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := m.List(ctx)
	rows, err := m.Rows(ctx)
	if err != nil || len(rows) != len(ds) {
		t.Fatalf("%d rows (%v), %d drafts", len(rows), err, len(ds))
	}
	for i := range ds {
		if r := RowOf(&ds[i]); r.Answered != rows[i].Answered || r.UpdatedAt != rows[i].UpdatedAt {
			t.Errorf("row %d: %s %s, the list has %s %s", i, rows[i].Answered, rows[i].UpdatedAt, r.Answered, r.UpdatedAt)
		}
	}
	if got := rows[0].ID + rows[1].ID + rows[2].ID + rows[3].ID + rows[4].ID; got != "debca" {
		t.Errorf("order %s, want debca (answered newest first, then changed newest first)", got)
	}
}

func TestABucketKeepsOneRowPerDraft(t *testing.T) {
	ds := listDrafts()
	bucket := ""
	for i := range ds {
		bucket = WithRow(bucket, ds[i].ID, RowOf(&ds[i]).Encode())
	}
	ds[0].LastName = "Alpha2"
	bucket = WithRow(bucket, "a", RowOf(&ds[0]).Encode()) // a save replaces
	bucket = WithRow(bucket, "c", "")                     // a deletion removes
	bucket = WithRow(bucket, "zz", "")                    // removing what is not there changes nothing
	rows := SplitRows(bucket)
	SortRows(rows)
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID+":"+r.LastName)
	}
	if got := strings.Join(ids, " "); got != "d: e: b:Beta X  a:Alpha2" {
		t.Errorf("bucket holds %q", got)
	}
	all := Buckets(ds)
	n := 0
	for b, v := range all {
		for _, r := range SplitRows(v) {
			if BucketOf(r.ID) != b {
				t.Errorf("row %s in bucket %d, its bucket is %d", r.ID, b, BucketOf(r.ID))
			}
			n++
		}
	}
	if n != len(ds) {
		t.Errorf("%d rows in the buckets of %d drafts", n, len(ds))
	}
	// an id that is a prefix of another's does not take its row
	if got := WithRow(WithRow("", "ab", RowOf(&Draft{ID: "ab"}).Encode()), "a", ""); len(SplitRows(got)) != 1 {
		t.Errorf("removing a removed ab: %q", got)
	}
}
