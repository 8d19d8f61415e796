package api

import (
	"encoding/json"
	"testing"
)

func TestEnterpriseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0212345668": "0212345668", "0212.345.668": "0212345668", "BE 0212 345 668": "0212345668",
		"212345668": "0212345668", "BE0451461655": "0451461655", // the UVCW (seed 003)
	} {
		if got, ok := NormalizeEnterpriseNumber(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"0212345667", "2212345668", "02123456", "02123456689", "0212a45668", "", "BE"} {
		if got, ok := NormalizeEnterpriseNumber(in); ok {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func TestTransitions(t *testing.T) {
	allowed := map[[2]Status]bool{{StatusDraft, StatusSent}: true, {StatusSent, StatusCalculated}: true, {StatusSent, StatusInvalidated}: true}
	all := []Status{StatusDraft, StatusSent, StatusCalculated, StatusInvalidated}
	for _, from := range all {
		for _, to := range all {
			if CanTransition(from, to) != allowed[[2]Status{from, to}] {
				t.Errorf("%s → %s: %v", from, to, CanTransition(from, to))
			}
		}
		if CanCopy(from) != (from == StatusCalculated || from == StatusInvalidated) {
			t.Errorf("copy of %s: %v", from, CanCopy(from))
		}
	}
}

func TestEndCheckWindow(t *testing.T) {
	just := &Derogation{Justification: "long sickness during the contract"}
	cases := []struct {
		today    string
		previous int
		d        *Derogation
		code     string
	}{
		{"2025-12-01", 0, nil, ""},                 // 30 days before 2025-12-31
		{"2025-12-16", 0, nil, ""},                 // 15 days before
		{"2025-11-30", 0, nil, CodeEndCheckWindow}, // 31 days before
		{"2025-12-17", 0, nil, CodeEndCheckWindow}, // 14 days before
		{"2025-12-10", 1, nil, CodeEndCheckUsed},
		{"2025-12-30", 3, just, ""},
		{"2025-12-30", 0, &Derogation{Justification: "short"}, CodeEndCheckWindow},
	}
	for _, c := range cases {
		e := EndCheckAllowed("2025-12-31", c.today, c.previous, c.d)
		if (e == nil) != (c.code == "") || (e != nil && e.Code != c.code) {
			t.Errorf("%s previous %d: %v, want %q", c.today, c.previous, e, c.code)
		}
	}
	if e := EndCheckAllowed("", "2025-12-10", 0, nil); e == nil || e.Code != CodeEndCheckWindow {
		t.Errorf("no contract end: %v", e)
	}
}

func TestSubmissionCheck(t *testing.T) {
	ok := Submission{ID: "0f8fad5b-d9cb-469f-a165-70867728950e", Kind: KindInitial, Case: json.RawMessage(`{}`),
		ReferenceEmail: "a@b.be"}
	if fs := ok.Check(); len(fs) != 0 {
		t.Fatalf("%v", fs)
	}
	bad := ok
	bad.ID, bad.Kind, bad.ReferenceEmail, bad.Attachments = "0F8FAD5B-D9CB-469F-A165-70867728950E", "x", "a@b.be, c@d.be", []string{"zz"}
	paths := map[string]bool{}
	for _, f := range bad.Check() {
		paths[f.Path] = true
	}
	for _, p := range []string{"id", "kind", "referenceEmail", "attachments[0]"} {
		if !paths[p] {
			t.Errorf("no error at %s: %v", p, paths)
		}
	}
}

func TestPrefixAndSchema(t *testing.T) {
	got := Prefix("mutations[2]", []FieldError{{Path: ""}, {Path: "[1]"}, {Path: "request.id"}})
	for i, want := range []string{"mutations[2]", "mutations[2][1]", "mutations[2].request.id"} {
		if got[i].Path != want {
			t.Errorf("%q, want %q", got[i].Path, want)
		}
	}
	if CheckSchema(SchemaVersion) != nil || CheckSchema(SchemaVersion+1).Code != CodeUpdateRequired ||
		CheckSchema(MinSchemaVersion-1).Code == "" {
		t.Error("schema check")
	}
}
