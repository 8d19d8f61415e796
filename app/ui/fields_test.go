package ui

import (
	"strings"
	"testing"

	"art60/app/i18n"
	"art60/calc"
)

// calc's messages speak the wire format (a date as YYYY-MM-DD, a country
// as an ISO code); the editor's fields show DD/MM/YYYY and country names,
// so their messages say that instead, in every language.
func TestCalcsWireMessagesSpeakWhatTheFieldsShow(t *testing.T) {
	c := calc.Case{Person: calc.Person{BirthDate: "2023-02-30"}, Contract: calc.Contract{Start: "2024-01-08"},
		Periods: []calc.Period{{Kind: "work", From: "2023-01-02", To: "2023-13-01", Country: "ZZ"}}}
	for _, l := range i18n.Langs {
		out := solve(&c, l)
		for path, id := range map[string]string{"person.birthDate": "field.date.invalid", "periods[0].to": "field.date.invalid",
			"periods[0].country": "field.country.unknown"} {
			if got := out.errs[path]; got != i18n.T(l, id) {
				t.Errorf("%s: %s says %q, want %q", l, path, got, i18n.T(l, id))
			}
		}
		for path, msg := range out.errs {
			if strings.Contains(msg, "MM-") || strings.Contains(msg, "3166") {
				t.Errorf("%s: %s speaks the wire format: %q", l, path, msg)
			}
		}
	}
}

// A spreadsheet's country column may hold a name in any of the four
// languages or a code; a name nobody knows is kept for calc to flag.
func TestPastedRowsTakeCountryNames(t *testing.T) {
	rows, bad := parsePastedRows("02/01/2023;31/03/2023;A;;;;Pays-Bas\n03/04/2023;30/06/2023;B;;;;Duitsland\n" +
		"01/07/2023;31/07/2023;C;;;;fr\n01/08/2023;31/08/2023;D;;;;Atlantis")
	if bad != 0 || len(rows) != 4 {
		t.Fatalf("%d rows, %d unread", len(rows), bad)
	}
	for i, want := range []string{"NL", "DE", "FR", "ATLANTIS"} {
		if rows[i].Country != want {
			t.Errorf("row %d: country %q, want %q", i+1, rows[i].Country, want)
		}
	}
}
