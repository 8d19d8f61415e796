package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// TestPluralRulesAreCLDRs: the hand-written rules of the browser build
// pick, for every count up to 100,000 and some millions, the form the Go
// team's CLDR tables pick.
func TestPluralRulesAreCLDRs(t *testing.T) {
	formName := map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one",
		plural.Two: "two", plural.Few: "few", plural.Many: "many"}
	counts := []int{1_000_000, 1_000_001, 2_000_000, 10_000_000, 1 << 40}
	for n := 0; n <= 100_000; n++ {
		counts = append(counts, n)
	}
	for _, l := range Langs {
		tag := language.Make(string(l))
		for _, n := range counts {
			if got, want := pluralForm(l, n), formName[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]; got != want {
				t.Fatalf("%s, %d: %q, CLDR says %q", l, n, got, want)
			}
		}
	}
}

// Every message exists, non-empty, in every language, with the same
// placeholders in each of its plural forms: a gap would show an id or drop a
// value in front of a user. A message with a {count} is a plural message in
// every language, with every form the language's CLDR rules can pick.
func TestCataloguesComplete(t *testing.T) {
	ref := Catalogue(EN)
	if len(ref) == 0 {
		t.Fatal("empty English catalogue")
	}
	for _, l := range Langs {
		c := catalogues[l]
		for id := range ref {
			en := placeholders(ref[id])
			if _, ok := c.texts[id]; !ok {
				t.Errorf("%s: missing %q", l, id)
				continue
			}
			forms := formsOf(c, id)
			for form, s := range forms {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q: empty %q form", l, id, form)
				}
				if p := placeholders(s); p != en {
					t.Errorf("%s: %q (%s) has placeholders %q, English has %q", l, id, form, p, en)
				}
				if rest := names.ReplaceAllString(s, ""); strings.ContainsAny(rest, "{}") {
					t.Errorf("%s: %q (%s): stray brace in %q (placeholders are {name})", l, id, form, s)
				}
			}
			if !strings.Contains(en, "{count}") {
				if len(forms) > 1 {
					t.Errorf("%s: %q has plural forms but no {count}", l, id)
				}
				continue
			}
			if len(forms) < 2 {
				t.Errorf("%s: %q has a {count} but no plural forms", l, id)
			}
			for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 100, 101, 1000, 1000000, 2000000} {
				form := pluralForm(l, n)
				if _, ok := forms[form]; !ok {
					t.Errorf("%s: %q, count %d: no %q form", l, id, n, form)
				}
			}
		}
		for id := range Catalogue(l) {
			if _, ok := ref[id]; !ok {
				t.Errorf("%s: %q is not in the English catalogue", l, id)
			}
		}
	}
}

// names matches a placeholder ({name}).
var names = regexp.MustCompile(`{[a-zA-Z]+}`)

// placeholders returns the sorted placeholders of s (word order may differ
// between languages).
func placeholders(s string) string {
	out := names.FindAllString(s, -1)
	slices.Sort(out)
	return strings.Join(out, ",")
}

// formsOf returns a message's forms by CLDR name ("other" alone for a
// message without plural forms).
func formsOf(c *catalogue, id string) map[string]string {
	if f := c.plurals[id]; f != nil {
		return f
	}
	return map[string]string{"other": c.texts[id]}
}

// TestPlurals: a count picks a real singular or plural form, never "(s)";
// French counts 0 as singular.
func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		l          Lang
		id         string
		n0, n1, n2 string
	}{
		{FR, "queue.comments", "0 commentaire", "1 commentaire", "2 commentaires"},
		{NL, "queue.comments", "0 opmerkingen", "1 opmerking", "2 opmerkingen"},
		{DE, "queue.comments", "0 Kommentare", "1 Kommentar", "2 Kommentare"},
		{EN, "queue.comments", "0 comments", "1 comment", "2 comments"},
		{FR, "paste.skipped", "0 ligne illisible ignorée.", "1 ligne illisible ignorée.", "2 lignes illisibles ignorées."},
		{NL, "paste.skipped", "0 onleesbare regels overgeslagen.", "1 onleesbare regel overgeslagen.", "2 onleesbare regels overgeslagen."},
		{DE, "paste.skipped", "0 unlesbare Zeilen übersprungen.", "1 unlesbare Zeile übersprungen.", "2 unlesbare Zeilen übersprungen."},
		{EN, "paste.skipped", "0 unreadable lines skipped.", "1 unreadable line skipped.", "2 unreadable lines skipped."},
		{FR, "result.incomplete", "Le calcul attend encore 0 correction :", "Le calcul attend encore 1 correction :", "Le calcul attend encore 2 corrections :"},
		{NL, "result.incomplete", "De berekening wacht nog op 0 correcties:", "De berekening wacht nog op 1 correctie:", "De berekening wacht nog op 2 correcties:"},
		{DE, "result.incomplete", "Die Berechnung wartet noch auf 0 Korrekturen:", "Die Berechnung wartet noch auf 1 Korrektur:", "Die Berechnung wartet noch auf 2 Korrekturen:"},
		{EN, "result.incomplete", "The calculation still needs 0 corrections:", "The calculation still needs 1 correction:", "The calculation still needs 2 corrections:"},
		// The browser tests wait for "0 en attente d'envoi".
		{FR, "sync.pending", "0 en attente d'envoi", "1 en attente d'envoi", "2 en attente d'envoi"},
		{NL, "sync.pending", "0 wachtend op verzending", "1 wachtend op verzending", "2 wachtend op verzending"},
		{DE, "sync.pending", "0 warten auf Versand", "1 wartet auf Versand", "2 warten auf Versand"},
		{EN, "sync.pending", "0 waiting to be sent", "1 waiting to be sent", "2 waiting to be sent"},
	} {
		for n, want := range map[string]string{"0": tc.n0, "1": tc.n1, "2": tc.n2} {
			if got := T(tc.l, tc.id, "count", n); got != want {
				t.Errorf("%s %s, count %s = %q, want %q", tc.l, tc.id, n, got, want)
			}
		}
	}
	// Large and decimal counts; a count that is not a number gets the
	// "other" form rather than an error.
	for _, tc := range []struct {
		l       Lang
		n, want string
	}{
		{FR, "1000000", "1000000 commentaires"}, // x/text's CLDR tables have no French "many"
		{EN, "-1", "-1 comment"},
		{EN, "1.5", "1.5 comments"}, // counts are whole numbers; anything else reads "other"
		{EN, "x", "x comments"},
	} {
		if got := T(tc.l, "queue.comments", "count", tc.n); got != tc.want {
			t.Errorf("%s queue.comments, count %s = %q, want %q", tc.l, tc.n, got, tc.want)
		}
	}
	// No hand-made plural left in a message with a count: "(s)", "(en)", "(e)".
	handMade := regexp.MustCompile(`\(\p{L}{1,2}\)`)
	for _, l := range Langs {
		for id := range catalogues[l].texts {
			for form, s := range formsOf(catalogues[l], id) {
				if strings.Contains(s, "{count}") && handMade.MatchString(s) {
					t.Errorf("%s: %q (%s) = %q: the count picks the plural form", l, id, form, s)
				}
			}
		}
	}
}

func TestT(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{T(NL, "page.detail.intro", "id", "42"), "Aanvraag 42"},
		{T(FR, "editor.saved", "time", "14:05"), "Enregistré sur cet appareil à 14:05"},
		{T(FR, "result.window.value", "from", "01/02/2024", "to", "03/04/2025", "count", "7"), "du 01/02/2024 au 03/04/2025 (prolongée de 7 jours)"},
		{T(FR, "result.window.value", "from", "01/02/2024", "to", "03/04/2025", "count", "0"), "du 01/02/2024 au 03/04/2025 (prolongée de 0 jour)"},
		{T(NL, "result.window.value", "from", "01/02/2024", "to", "03/04/2025", "count", "1"), "van 01/02/2024 tot 03/04/2025 (verlengd met 1 dag)"},
		{T(FR, "action.send"), "Envoyer à l'ONEM"},
		// A missing id shows itself.
		{T(FR, "no.such.id"), "no.such.id"},
		{T(FR, "no.such.id", "count", "2"), "no.such.id"},
		// A language without a catalogue reads English.
		{T(Lang("es"), "queue.comments", "count", "1"), "1 comment"},
	} {
		if tc.got != tc.want {
			t.Errorf("T = %q, want %q", tc.got, tc.want)
		}
	}
}

// BenchmarkT: T runs a few hundred times per render in the browser; most
// messages have no placeholder.
func BenchmarkT(b *testing.B) {
	T(FR, "queue.empty") // load the catalogues
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			T(FR, "queue.empty")
		}
	})
	b.Run("placeholder", func(b *testing.B) {
		for b.Loop() {
			T(FR, "editor.saved", "time", "14:05")
		}
	})
	b.Run("plural", func(b *testing.B) {
		for b.Loop() {
			T(FR, "queue.comments", "count", "3")
		}
	})
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"nl-BE": NL, "FR": FR, " de ": DE, "en_GB": EN} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := Parse("es"); ok {
		t.Error("Parse(es) accepted")
	}
}

func TestDates(t *testing.T) {
	if got := Date("2024-07-05"); got != "05/07/2024" {
		t.Errorf("Date = %q", got)
	}
	for in, want := range map[string]string{"05/07/2024": "2024-07-05", "5/7/2024": "2024-07-05", "05.07.2024": "2024-07-05",
		"2024-07-05": "2024-07-05", "05-07-2024": "2024-07-05", " 05 07 2024 ": "2024-07-05"} {
		if got, ok := ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "aa/bb/cccc", "1/2", "123/1/2024", "5/7/2024/1", "3011202", "301120261", "30/11/026", "30/11/2o26"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %q, want failure", bad, got)
		}
	}
}

// People type dates as they write them: without separators, with a
// two-digit year, with dashes or dots; a two-digit year is of this
// century up to 69 and of the last from 70 (strptime's %y).
func TestDatesAsPeopleTypeThem(t *testing.T) {
	for in, want := range map[string]string{
		"30/11/26": "2026-11-30", "30112026": "2026-11-30", "301126": "2026-11-30", "30-11-2026": "2026-11-30",
		"30.11.2026": "2026-11-30", "1/6/98": "1998-06-01", "01061998": "1998-06-01", "31.12.69": "2069-12-31",
		"01.01.70": "1970-01-01", "8/1/24": "2024-01-08",
	} {
		if got, ok := ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// dateShape is how a message writes a date's format (JJ/MM/AAAA, DD/MM/YYYY…).
var dateShape = regexp.MustCompile(`\b[A-Z]{2}/[A-Z]{2}/[A-Z]{4}\b`)

// Every message that names the date format names the one the date fields
// show in that language (their placeholder is date.format): JJ/MM/AAAA in
// French, DD/MM/JJJJ in Dutch, TT/MM/JJJJ in German, DD/MM/YYYY in English.
func TestDateMessagesSpeakTheFieldsFormat(t *testing.T) {
	want := map[Lang]string{FR: "JJ/MM/AAAA", NL: "DD/MM/JJJJ", DE: "TT/MM/JJJJ", EN: "DD/MM/YYYY"}
	for _, l := range Langs {
		if got := T(l, "date.format"); got != want[l] {
			t.Errorf("%s: the date fields show %q, want %q", l, got, want[l])
		}
		for _, id := range []string{"field.date.format", "field.date.invalid"} {
			if !strings.Contains(T(l, id), want[l]) {
				t.Errorf("%s: %s does not name the format %s: %q", l, id, want[l], T(l, id))
			}
		}
		for id, text := range Catalogue(l) {
			for _, shape := range dateShape.FindAllString(text, -1) {
				if shape != want[l] {
					t.Errorf("%s: %s names the format %s, the fields show %s", l, id, shape, want[l])
				}
			}
		}
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[float64]string{312: "312", 16.105263: "16,11", 1234.5: "1\u202f234,5", -7.25: "-7,25", 0: "0"} {
		if got := Number(in); got != want {
			t.Errorf("Number(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestColon: French typography puts a space before a colon, the other
// languages do not ("Date de fin : …", "End date: …").
func TestColon(t *testing.T) {
	for l, want := range map[Lang]string{FR: " : ", NL: ": ", DE: ": ", EN: ": "} {
		if got := T(l, "punct.colon"); got != want {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
	}
}
