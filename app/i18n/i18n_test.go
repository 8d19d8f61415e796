package i18n

import (
	"strings"
	"testing"
)

// Every message exists, non-empty, in every language, with the same
// placeholders: a gap would show an id or drop a value in front of a user.
func TestCataloguesComplete(t *testing.T) {
	ref := Catalogue(EN)
	if len(ref) == 0 {
		t.Fatal("empty English catalogue")
	}
	for _, l := range Langs {
		c := Catalogue(l)
		for id, en := range ref {
			s, ok := c[id]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s: missing %q", l, id)
				continue
			}
			if placeholders(s) != placeholders(en) {
				t.Errorf("%s: %q has placeholders %q, English has %q", l, id, placeholders(s), placeholders(en))
			}
		}
		for id := range c {
			if _, ok := ref[id]; !ok {
				t.Errorf("%s: %q is not in the English catalogue", l, id)
			}
		}
	}
}

func placeholders(s string) string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+1])
		s = s[i+j+1:]
	}
	return strings.Join(out, ",")
}

func TestT(t *testing.T) {
	if got := T(NL, "page.detail.intro", "id", "42"); got != "Aanvraag 42" {
		t.Errorf("T = %q", got)
	}
	if got := T(FR, "no.such.id"); got != "no.such.id" {
		t.Errorf("missing id = %q", got)
	}
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
	for in, want := range map[string]string{"05/07/2024": "2024-07-05", "5/7/2024": "2024-07-05", "05.07.2024": "2024-07-05", "2024-07-05": "2024-07-05"} {
		if got, ok := ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "5/7/24", "aa/bb/cccc", "1/2", "123/1/2024"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %q, want failure", bad, got)
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
