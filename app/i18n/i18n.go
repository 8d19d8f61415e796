// Package i18n is the UI's message catalogue: French, Dutch, German and
// English texts loaded from assets/i18n, Belgian date and number formats, and
// the user's language choice.
//
// A small hand-written catalogue instead of a general i18n library keeps the
// browser binary within its size budget (README: wasm size); the catalogue
// files are plain JSON so translators can work on them directly.
package i18n

import (
	"encoding/json"
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

var (
	loadOnce   sync.Once
	catalogues map[Lang]map[string]string
)

func load() {
	catalogues = make(map[Lang]map[string]string, len(Langs))
	for _, l := range Langs {
		data, err := assets.Catalogues.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			panic("i18n: missing catalogue " + string(l) + ": " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			panic("i18n: bad catalogue " + string(l) + ": " + err.Error())
		}
		catalogues[l] = m
	}
}

// Catalogue returns the messages of one language (for tests and tools).
func Catalogue(l Lang) map[string]string {
	loadOnce.Do(load)
	return catalogues[l]
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

// T returns the text of message id in language l, with {name} placeholders
// replaced by the pairs in args ("name", value, ...). A missing id shows the
// id itself, so a gap is visible rather than blank (tests forbid gaps).
func T(l Lang, id string, args ...string) string {
	loadOnce.Do(load)
	s, ok := catalogues[l][id]
	if !ok {
		if s, ok = catalogues[EN][id]; !ok {
			return id
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}
