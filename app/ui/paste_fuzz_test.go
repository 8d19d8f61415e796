package ui

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"art60/app/i18n"
	"art60/calc"
)

// FuzzParsePastedRows: whatever a spreadsheet (or anything else) puts on
// the clipboard, the paste box reads every non-blank line either into a
// work period or into the count of lines it skipped; each period has ISO
// dates and finite numbers (the draft is saved as JSON, which has no NaN or
// infinity), and the same row written back as a tab-separated line, the way
// the editor shows it (DD/MM/YYYY, decimal comma), reads back the same.
// Seeds: testdata/fuzz/FuzzParsePastedRows; `make fuzz` runs it.
func FuzzParsePastedRows(f *testing.F) {
	f.Add("01/01/2023\t30/06/2023\tMagasin\t5\t38\t38\nbad line\n2023-07-01;2023-12-31;;4,5;;;FR;oui\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		rows, bad := parsePastedRows(text)
		lines := 0
		for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if len(rows)+bad != lines || bad < 0 {
			t.Fatalf("%q: %d rows and %d skipped of %d lines", text, len(rows), bad, lines)
		}
		for _, p := range rows {
			if p.Kind != "work" || !isoShaped(p.From) || !isoShaped(p.To) {
				t.Fatalf("%q: row %+v", text, p)
			}
			for _, v := range []*float64{p.DaysPerWeek, p.Q, p.S} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
					t.Fatalf("%q: row with a number JSON cannot hold: %v", text, *v)
				}
			}
			if _, err := json.Marshal(p); err != nil {
				t.Fatalf("%q: row %+v does not encode: %v", text, p, err)
			}
			again, bad := parsePastedRows(pastedLine(p))
			if bad != 0 || len(again) != 1 || !reflect.DeepEqual(again[0], p) {
				t.Fatalf("%q: row %+v written as %q reads %+v (%d skipped)", text, p, pastedLine(p), again, bad)
			}
		}
	})
}

func isoShaped(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// pastedLine writes a period as a spreadsheet line, the columns in the
// order of the paste box's hint.
func pastedLine(p calc.Period) string {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strings.ReplaceAll(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",")
	}
	frontier := ""
	if p.FrontierWorker != nil && *p.FrontierWorker {
		frontier = "x"
	}
	return strings.Join([]string{i18n.Date(p.From), i18n.Date(p.To), p.Label, num(p.DaysPerWeek), num(p.Q), num(p.S),
		p.Country, frontier}, "\t")
}
