package calc

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzDecode: any bytes decode to a case or to a *ValidationError (never a
// panic); a decoded case re-encodes to the same case; validating and solving
// it never panics and never fails otherwise than by its documented errors.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"person":{"niss":"85073003328","birthDate":"1985-07-30"},"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},"periods":[{"kind":"work","from":"2023-01-02","to":"2023-06-30"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data, "en")
		if err != nil {
			var v *ValidationError
			if !errors.As(err, &v) || len(v.Fields) == 0 {
				t.Fatalf("Decode error %T %v", err, err)
			}
			return
		}
		b1, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		c2, err := Decode(b1, "en")
		if err != nil {
			t.Fatalf("re-decode %s: %v", b1, err)
		}
		if b2, _ := json.Marshal(c2); !bytes.Equal(b1, b2) {
			t.Fatalf("round trip:\n%s\n%s", b1, b2)
		}
		if err := c.Validate("fr"); err != nil {
			checkValidationError(t, err)
			return
		}
		if _, err := Solve(c, "nl"); err != nil {
			var u *UnreachableError
			if !errors.As(err, &u) {
				t.Fatalf("valid case: %v", err)
			}
		}
	})
}

// checkValidationError: every problem has a known path and a message.
func checkValidationError(t *testing.T, err error) {
	t.Helper()
	var v *ValidationError
	if !errors.As(err, &v) || len(v.Fields) == 0 {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	for _, f := range v.Fields {
		if f.Message == "" || strings.Contains(f.Message, "{") {
			t.Fatalf("message %+v", f)
		}
		root := f.Path
		if i := strings.IndexAny(root, ".["); i >= 0 {
			root = root[:i]
		}
		switch root {
		case "person", "contract", "periods", "lastBenefitDate", "previousAdmissionDate", "options":
		default:
			t.Fatalf("path %q", f.Path)
		}
	}
}

// FuzzValidate sets the fields of a case directly (any strings and numbers,
// NaN and infinities included): Validate never panics, reports known paths,
// and a case it accepts always solves (or is unreachable).
func FuzzValidate(f *testing.F) {
	f.Add("85073003328", "", "2024-01-08", 5.0, 38.0, 38.0, "work", "2023-01-02", "2023-06-30", 0.0, 0.0, 0.0, -1.0, -1.0, "BE", "mon-sat", "")
	f.Add("", "1995-03-10", "2026-06-01", 7.0, 0.0, 38.0, "child_raising", "2025-01-01", "2025-12-31", 6.0, 19.5, 38.0, 10.0, -1.0, "", "mon-fri", "2025-05-05")
	f.Fuzz(func(t *testing.T, niss, birth, start string, cdpw, cq, cs float64, kind, from, to string,
		dpw, q, s, days, hours float64, country, claimDays, date string) {
		opt := func(v float64) *float64 { // 0 means absent
			if v == 0 {
				return nil
			}
			return &v
		}
		neg := func(v float64) *float64 { // negative means absent
			if v < 0 {
				return nil
			}
			return &v
		}
		c := &Case{
			Person:   Person{NISS: niss, BirthDate: birth},
			Contract: Contract{Start: start, DaysPerWeek: opt(cdpw), Q: opt(cq), S: opt(cs)},
			Periods: []Period{{Kind: kind, From: from, To: to, DaysPerWeek: opt(dpw), Q: opt(q), S: opt(s),
				Days: neg(days), Hours: neg(hours), Country: country}},
			Options: Options{ClaimDays: claimDays, ConventionCountries: []string{country}},
		}
		if date != "" {
			c.LastBenefitDate, c.PreviousAdmissionDate = &date, &date
		}
		switch p := &c.Periods[0]; len(date) % 3 { // the fields of revision 2, on any kind
		case 1:
			p.FrontierWorker = bp(hours > 0)
		case 2:
			p.ChildBirthDate, p.ChildDisability = &date, bp(days > 0)
		}
		if err := c.Validate("de"); err != nil {
			checkValidationError(t, err)
			if _, err2 := Solve(c, "de"); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("Solve and Validate disagree: %v / %v", err, err2)
			}
			return
		}
		r, err := Solve(c, "de")
		if err != nil {
			var u *UnreachableError
			if !errors.As(err, &u) {
				t.Fatalf("valid case: %v", err)
			}
			return
		}
		checkResult(t, c, r)
	})
}

// FuzzSolve builds valid cases from the bytes (genCase) and checks the
// invariants of checkInvariants: determinism, order independence, no
// mutation, the day-range optimisation changes nothing, the result's
// arithmetic, and that more Belgian work never makes the end later.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &byteSource{b: data}
		checkInvariants(t, genCase(s), s)
	})
}
