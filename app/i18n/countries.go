package i18n

import (
	"strings"
	"unicode"
)

//go:generate go run ../../tools/countrynames -o countries_gen.go

// Country is one entry of the country list a user picks from.
type Country struct{ Code, Name string }

var (
	countriesOf = map[Lang][]Country{}
	nameOf      = map[Lang]map[string]string{}
	// countryByName finds a code from a name in any of the four
	// languages, in its folded form (see foldName), or from the code.
	countryByName = map[string]string{}
)

func init() {
	for l, list := range countryLists {
		names := map[string]string{}
		for _, entry := range strings.Split(list, "|") {
			code, name, _ := strings.Cut(entry, ":")
			countriesOf[l] = append(countriesOf[l], Country{code, name})
			names[code] = name
			countryByName[foldName(name)] = code
			countryByName[foldName(code)] = code
		}
		nameOf[l] = names
	}
}

// Countries are the ISO 3166-1 countries calc knows, named in l (the
// Unicode CLDR's names), Belgium first and then in l's alphabetical order.
func Countries(l Lang) []Country { return countriesOf[l] }

// CountryName is the name in l of a country code, or the text itself when
// it is no code calc knows (shown as stored, to be corrected).
func CountryName(l Lang, code string) string {
	if name, ok := nameOf[l][code]; ok {
		return name
	}
	return code
}

// ParseCountry reads a country as people type or paste it: its ISO code
// in any case ("be") or its name in French, Dutch, German or English,
// without regard to case, accents, spaces, hyphens or apostrophes
// ("Etats Unis", "Duitsland", "Österreich"). "" reads as no country.
func ParseCountry(s string) (code string, ok bool) {
	f := foldName(s)
	if f == "" {
		return "", true
	}
	code, ok = countryByName[f]
	return code, ok
}

// foldName is the matching form of a name: lower case, accents dropped
// (countryFolds, generated with the names), letters and digits only.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := countryFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
