package calc

import (
	"slices"
	"testing"
	"time"
)

// RULES.md §4: exactly the ten Belgian legal holidays, no replacement days.
func TestLegalHolidays(t *testing.T) {
	want := map[int][]string{
		2016: {"01-01", "03-28", "05-01", "05-05", "05-16", "07-21", "08-15", "11-01", "11-11", "12-25"},
		2024: {"01-01", "04-01", "05-01", "05-09", "05-20", "07-21", "08-15", "11-01", "11-11", "12-25"},
		2025: {"01-01", "04-21", "05-01", "05-29", "06-09", "07-21", "08-15", "11-01", "11-11", "12-25"},
		2026: {"01-01", "04-06", "05-01", "05-14", "05-25", "07-21", "08-15", "11-01", "11-11", "12-25"},
		2038: {"01-01", "04-26", "05-01", "06-03", "06-14", "07-21", "08-15", "11-01", "11-11", "12-25"},
	}
	for y, days := range want {
		var got []string
		for d := time.Date(y, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			if IsLegalHoliday(d) {
				got = append(got, d.Format("01-02"))
			}
		}
		if !slices.Equal(got, days) {
			t.Errorf("%d: %v, want %v", y, got, days)
		}
	}
	// years outside the precomputed table
	if !isHoliday(day("1900-01-01")) && !IsLegalHoliday(time.Date(2150, 12, 25, 0, 0, 0, 0, time.UTC)) {
		t.Error("holidays outside the table")
	}
	if IsLegalHoliday(time.Date(2150, 12, 26, 0, 0, 0, 0, time.UTC)) {
		t.Error("26 December is not a legal holiday")
	}
	// a Sunday holiday is not moved (no replacement day)
	if IsLegalHoliday(time.Date(2024, 7, 22, 0, 0, 0, 0, time.UTC)) {
		t.Error("replacement day")
	}
}

func TestDueDate(t *testing.T) {
	for _, tc := range []struct{ received, due string }{
		{"2025-10-31", "2025-11-07"}, // Friday: Mon 3 … Fri 7
		{"2025-11-10", "2025-11-18"}, // Tuesday 11 November skipped
		{"2025-11-08", "2025-11-17"}, // Saturday
		{"2025-12-22", "2025-12-30"}, // Christmas skipped (26 December is a working day)
		{"2024-03-28", "2024-04-05"}, // Easter Monday skipped
	} {
		r, _ := time.Parse(time.DateOnly, tc.received)
		r = r.Add(15 * time.Hour)
		if got := DueDate(r).Format(time.DateOnly); got != tc.due {
			t.Errorf("received %s: due %s, want %s", tc.received, got, tc.due)
		}
	}
	loc := time.FixedZone("CET", 3600)
	d := DueDate(time.Date(2025, 10, 31, 23, 30, 0, 0, loc))
	if d.Location() != loc || d.Hour() != 0 || d.Day() != 7 {
		t.Errorf("location kept: %v", d)
	}
}
