package store

import (
	"strings"
	"testing"
)

// seed002 is the directory of seed 002 ("Contact de première ligne"),
// digits of the telephone numbers as printed. The slide gives Namur a
// Brussels number (02) and Brussels a Namur one (081); offices.json puts
// them back, which this test spells out.
var seed002 = map[string]struct{ phone, email string }{
	"nivelles":    {"3267892152", "admissibilite.nivelles@onem.be"},
	"charleroi":   {"3271270845", "admissibilite.charleroi@onem.be"},
	"mons":        {"3265394632", "admissibilite.mons@onem.be"},
	"la-louviere": {"3264236278", "admissibilite.lalouviere@onem.be"},
	"liege":       {"3243492875", "admissibilite.liege@onem.be"},
	"verviers":    {"3287394756", "admissibilite.verviers@onem.be"},
	"arlon":       {"3263245716", "admissibilite.arlon@onem.be"},
	"namur":       {"3281235082", "admissibilite.namur@onem.be"},     // slide: 32 2542 16 37 (swapped)
	"bruxelles":   {"3225421637", "admissibilite.bruxelles@onem.be"}, // slide: 32 81 23 5082 (swapped)
}

func TestOfficesMatchSeed002(t *testing.T) {
	if len(Offices()) != len(seed002) {
		t.Fatalf("%d offices, seed 002 lists %d", len(Offices()), len(seed002))
	}
	for _, o := range Offices() {
		want, ok := seed002[o.ID]
		if !ok {
			t.Errorf("%s is not in seed 002", o.ID)
			continue
		}
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, o.Phone)
		if digits != want.phone || !strings.HasPrefix(o.Phone, "+32 ") {
			t.Errorf("%s: phone %q, seed %s", o.ID, o.Phone, want.phone)
		}
		found := false
		for _, e := range o.Emails {
			found = found || e == want.email
		}
		if !found || o.Name == "" {
			t.Errorf("%s: %+v, seed %s", o.ID, o, want.email)
		}
	}
}
