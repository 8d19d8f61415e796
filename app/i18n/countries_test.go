package i18n

import (
	"errors"
	"testing"

	"art60/calc"
)

// calcAccepts says whether calc takes code as a country.
func calcAccepts(code string) bool {
	c := calc.Case{Person: calc.Person{BirthDate: "1998-06-01"}, Contract: calc.Contract{Start: "2024-01-08"},
		Options: calc.Options{ConventionCountries: []string{code}}}
	_, err := calc.Solve(&c, "en")
	var v *calc.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			if f.Path == "options.conventionCountries[0]" {
				return false
			}
		}
	}
	return true
}

// The country list of every language is exactly the countries calc
// accepts, Belgium first, each named, and each name reads back as its
// code (no two countries share a name across the four languages).
func TestEveryCountryCalcKnowsHasANameInEveryLanguage(t *testing.T) {
	var known []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if code := string([]rune{a, b}); calcAccepts(code) {
				known = append(known, code)
			}
		}
	}
	if len(known) != 249 {
		t.Fatalf("calc accepts %d codes, want the 249 of ISO 3166-1", len(known))
	}
	for _, l := range Langs {
		list := Countries(l)
		if len(list) != len(known) || list[0].Code != "BE" {
			t.Fatalf("%s: %d countries, first %v; want %d with Belgium first", l, len(list), list[0], len(known))
		}
		for _, code := range known {
			name := CountryName(l, code)
			if name == code || name == "" {
				t.Errorf("%s: no name for %s", l, code)
			}
			if got, ok := ParseCountry(name); !ok || got != code {
				t.Errorf("%s: the name %q of %s reads back as %q, %v", l, name, code, got, ok)
			}
		}
	}
	if CountryName(FR, "XX") != "XX" {
		t.Error("an unknown code is not shown as stored")
	}
}

// Pasted or typed names are recognised in French, Dutch, German and
// English, whatever the case, accents, spaces, hyphens or apostrophes;
// codes too; anything else is not a country.
func TestCountryNamesAsPeopleTypeThem(t *testing.T) {
	for in, want := range map[string]string{
		"Belgique": "BE", "België": "BE", "Belgien": "BE", "belgium": "BE", "be": "BE", " FR ": "FR",
		"Etats-Unis": "US", "États Unis": "US", "Verenigde Staten": "US", "Vereinigte Staaten": "US", "United States": "US",
		"PAYS-BAS": "NL", "Nederland": "NL", "Niederlande": "NL", "Netherlands": "NL",
		"Österreich": "AT", "Oesterreich": "", "Oostenrijk": "AT", "Autriche": "AT", "Austria": "AT",
		"Cote d'Ivoire": "CI", "Côte d’Ivoire": "CI", "Allemagne": "DE", "Duitsland": "DE", "Deutschland": "DE", "Germany": "DE",
		"Royaume-Uni": "GB", "Verenigd Koninkrijk": "GB", "Vereinigtes Königreich": "GB", "United Kingdom": "GB",
		"Maroc": "MA", "Marokko": "MA", "Morocco": "MA", "Turquie": "TR", "Turkije": "TR", "Türkei": "TR",
	} {
		got, ok := ParseCountry(in)
		if want == "" {
			if ok {
				t.Errorf("ParseCountry(%q) = %q, want not a country", in, got)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("ParseCountry(%q) = %q, %v; want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"Atlantis", "UK", "EL", "B"} {
		if got, ok := ParseCountry(bad); ok {
			t.Errorf("ParseCountry(%q) = %q, want not a country", bad, got)
		}
	}
	if got, ok := ParseCountry("  "); !ok || got != "" {
		t.Errorf("an empty country reads as %q, %v; want none", got, ok)
	}
}
