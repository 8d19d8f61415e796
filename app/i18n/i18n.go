// Package i18n is the UI's message catalogue: French, Dutch, German and
// English texts loaded from assets/i18n, Belgian date and number formats, and
// the user's language choice.
//
// The files are one flat JSON object of message id -> text, where a text is
// a string with {name} placeholders or, for a message with a {count}, an
// object of CLDR plural forms ({"one": …, "other": …}). The plural rules
// are CLDR's for whole numbers in our four languages (pluralForm, checked
// against golang.org/x/text/feature/plural's tables by the tests): "0 en
// attente d'envoi" and "1 commentaire" in French, where 0 is singular; "0
// comments", "1 comment" in English.
//
// Why not a full i18n library: github.com/nicksnyder/go-i18n/v2 was tried
// (2026-11-23) and added 632 KB of brotli to the browser binary
// (1,789,199 -> 2,421,129 bytes), 510 KB of it text/template, whose
// reflective calls keep every method of the program alive, and made a message
// with a placeholder 15 times slower. x/text's plural package added
// 76 KB (1,789,199 -> 1,864,809), 66 KB on 2026-11-29, for rules that fit
// in one line for these four languages; the placeholder substitution is a
// string replacement. BenchmarkT (amd64): plain 16 ns, placeholder 96 ns, plural
// 120 ns.
package i18n

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"art60/assets"
)

// Lang is a UI language code, as used in <html lang>.
type Lang string

// The UI languages, in the order the language switch lists them.
const (
	FR Lang = "fr"
	NL Lang = "nl"
	DE Lang = "de"
	EN Lang = "en"
)

// Default is the language of a first visit when the browser gives no hint.
const Default = FR

// Langs lists the supported languages.
var Langs = []Lang{FR, NL, DE, EN}

// Name is each language's own name, for the switch.
var Name = map[Lang]string{FR: "Français", NL: "Nederlands", DE: "Deutsch", EN: "English"}

// catalogue is one language's messages.
type catalogue struct {
	lang Lang
	// texts holds every message's text; for a plural message its "other"
	// form.
	texts map[string]string
	// plurals holds the forms of the plural messages, by CLDR name.
	plurals map[string]map[string]string
}

var (
	loadOnce   sync.Once
	catalogues map[Lang]*catalogue
)

func load() {
	catalogues = make(map[Lang]*catalogue, len(Langs))
	for _, l := range Langs {
		data, err := assets.Catalogues.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			panic("i18n: missing catalogue " + string(l) + ": " + err.Error())
		}
		c, err := parseCatalogue(data)
		if err != nil {
			panic("i18n: bad catalogue " + string(l) + ": " + err.Error())
		}
		c.lang = l
		catalogues[l] = c
	}
}

// parseCatalogue reads one catalogue file; a plural message must have an
// "other" form.
func parseCatalogue(data []byte) (*catalogue, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	c := &catalogue{texts: make(map[string]string, len(raw)), plurals: map[string]map[string]string{}}
	for id, v := range raw {
		var text string
		if json.Unmarshal(v, &text) == nil {
			c.texts[id] = text
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil || forms["other"] == "" {
			return nil, fmt.Errorf("%s: neither a text nor plural forms with \"other\"", id)
		}
		c.texts[id], c.plurals[id] = forms["other"], forms
	}
	return c, nil
}

// Catalogue returns the messages of one language (for tests and tools): the
// text of each id, the "other" form for a plural message.
func Catalogue(l Lang) map[string]string {
	loadOnce.Do(load)
	if c := catalogues[l]; c != nil {
		return c.texts
	}
	return nil
}

// Parse returns the supported language named by s ("nl", "nl-BE", "NL"),
// or ok=false.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// T returns the text of message id in language l, with its {name}
// placeholders replaced by the pairs in args ("name", value, ...). A "count"
// argument, a whole number, also picks the plural form ("1 commentaire",
// "2 commentaires"). A message missing in l is taken from English; a missing
// id shows the id itself, so a gap is visible rather than blank (tests forbid
// gaps).
func T(l Lang, id string, args ...string) string {
	loadOnce.Do(load)
	c := catalogues[l]
	if c == nil {
		c = catalogues[EN]
	}
	s, ok := c.texts[id]
	if !ok {
		c = catalogues[EN]
		if s, ok = c.texts[id]; !ok {
			return id
		}
	}
	if len(args) < 2 {
		return s
	}
	if forms := c.plurals[id]; forms != nil {
		s = c.pluralText(forms, args)
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// pluralText picks the form for the "count" argument by the language's
// CLDR rules; without a whole-number count, or without that form, "other".
func (c *catalogue) pluralText(forms map[string]string, args []string) string {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] != "count" {
			continue
		}
		n, err := strconv.Atoi(args[i+1])
		if err != nil {
			break
		}
		if n < 0 {
			n = -n
		}
		if s := forms[pluralForm(c.lang, n)]; s != "" {
			return s
		}
		break
	}
	return forms["other"]
}

// pluralForm is the CLDR cardinal form of the whole number n ≥ 0 in l
// (CLDR plurals.xml, the rules for integers: v = 0): "one" for 1, and for 0
// too in French; "other" for every other count. French's "many" applies to
// numbers written with a compact exponent (1 M), which the UI never shows.
// TestPluralRulesAreCLDRs checks these against golang.org/x/text's CLDR
// tables, which the browser build leaves out to stay small (README,
// "Performance").
func pluralForm(l Lang, n int) string {
	if n == 1 || (n == 0 && l == FR) {
		return "one"
	}
	return "other"
}
