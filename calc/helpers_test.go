package calc

import (
	"errors"
	"testing"
	"time"
)

func fp(v float64) *float64 { return &v }
func sp(v string) *string   { return &v }
func bp(v bool) *bool       { return &v }

// newCase: full-time regime 5 contract, Q = S = 38 (the setting of RULES.md §10).
func newCase(birth, start string, periods ...Period) *Case {
	return &Case{
		Person:   Person{BirthDate: birth},
		Contract: Contract{Start: start, DaysPerWeek: fp(5), Q: fp(38), S: fp(38)},
		Periods:  periods,
	}
}

func per(kind, from, to string) Period { return Period{Kind: kind, From: from, To: to} }

func work(from, to string) Period { return per("work", from, to) }

func mustSolve(t *testing.T, c *Case) *Result {
	t.Helper()
	r, err := Solve(c, "en")
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	return r
}

func end(r *Result) string {
	if r.ContractEnd == nil {
		return "<nil>"
	}
	return *r.ContractEnd
}

func mustUnreachable(t *testing.T, c *Case) *UnreachableError {
	t.Helper()
	_, err := Solve(c, "en")
	var u *UnreachableError
	if !errors.As(err, &u) {
		t.Fatalf("want unreachable, got %v", err)
	}
	return u
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var v *ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	m := map[string]string{}
	for _, f := range v.Fields {
		m[f.Path] = f.Message
	}
	return m
}

func day(s string) int {
	z, ok := parseDate(s)
	if !ok {
		panic("bad date " + s)
	}
	return z
}

// nthWeekday returns the n-th Monday–Friday day counting from start (n ≥ 1),
// using the time package (independent of the engine's calendar code).
func nthWeekday(start string, n int) string {
	t, err := time.Parse(time.DateOnly, start)
	if err != nil {
		panic(err)
	}
	for {
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			if n--; n == 0 {
				return t.Format(time.DateOnly)
			}
		}
		t = t.AddDate(0, 0, 1)
	}
}

// shift moves an ISO date by years, months and days with the time package
// (no clamping: only used with safe days of month).
func shift(d string, y, m, dd int) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		panic(err)
	}
	return t.AddDate(y, m, dd).Format(time.DateOnly)
}

func withQS(p Period, q, s float64) Period {
	p.Q, p.S = fp(q), fp(s)
	return p
}
