package calc

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzParseNISS: ParseNISS accepts a text only if, once '.', '-' and ' '
// are dropped, it is 11 digits whose last two are the check of the first
// nine (with '2' before them for births from 2000), and then every field it
// returns agrees with the digits; conversely, nine digits with the check
// computed for either century are accepted exactly when their month and
// day can be a birth date (RULES.md §9, §12.4). Seeds:
// testdata/fuzz/FuzzParseNISS; `make fuzz` runs it.
func FuzzParseNISS(f *testing.F) {
	f.Add("85.07.30-033.28", uint32(850730033), false)
	f.Add("", uint32(12345), true)
	f.Fuzz(func(t *testing.T, s string, base uint32, from2000 bool) {
		if info, err := ParseNISS(s); err == nil {
			digits := strings.NewReplacer(".", "", "-", "", " ", "").Replace(s)
			if info.Digits != digits {
				t.Fatalf("%q: digits %q", s, info.Digits)
			}
			checkFields(t, info)
			if again, err := ParseNISS(info.Digits); err != nil || again != info {
				t.Fatalf("%q: %+v, its digits read %+v %v", s, info, again, err)
			}
		} else if err != ErrNISS {
			t.Fatalf("%q: error %v", s, err)
		}

		// The check digits computed here, for a birth in the century asked.
		nine := int64(base % 1_000_000_000)
		year := 1900 + int(nine/10_000_000)
		sum := nine
		if from2000 {
			year, sum = year+100, sum+2_000_000_000
		}
		number := fmt.Sprintf("%09d%02d", nine, 97-sum%97)
		info, err := ParseNISS(number)
		mm, dd := int(nine/100_000%100), int(nine/1000%100)
		if mm >= 40 {
			mm -= 40
		} else if mm >= 20 {
			mm -= 20
		}
		possible := mm <= 12 && dd <= 31 && (mm == 0 || dd == 0 ||
			time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).Day() == dd)
		if (err == nil) != possible {
			t.Fatalf("%s (%d): accepted %v, but month %d and day %d are possible: %v", number, year, err == nil, mm, dd, possible)
		}
		if err == nil {
			// The 1900 check is tried first; both can match only if 2 000 000 000 is a multiple of 97.
			if info.Year != year {
				t.Fatalf("%s: year %d, want %d", number, info.Year, year)
			}
			checkFields(t, info)
		}
	})
}

// checkFields holds what every field of an accepted number must say.
func checkFields(t *testing.T, info NISSInfo) {
	t.Helper()
	d := info.Digits
	var n [11]int
	for i := range 11 {
		n[i] = int(d[i] - '0')
	}
	yy, mm, dd := n[0]*10+n[1], n[2]*10+n[3], n[4]*10+n[5]
	counter := n[6]*100 + n[7]*10 + n[8]
	if info.Year%100 != yy || (info.Year != 1900+yy && info.Year != 2000+yy) {
		t.Fatalf("%s: year %d", d, info.Year)
	}
	if info.BIS != (mm >= 20) {
		t.Fatalf("%s: BIS %v", d, info.BIS)
	}
	wantSex := map[bool]string{true: "M", false: "F"}[counter%2 == 1]
	if mm >= 20 && mm < 40 {
		wantSex = ""
	}
	if info.Sex != wantSex {
		t.Fatalf("%s: sex %q, want %q", d, info.Sex, wantSex)
	}
	month := mm % 20
	if (info.BirthDate == "") != (month == 0 || dd == 0) {
		t.Fatalf("%s: birth date %q", d, info.BirthDate)
	}
	if want := fmt.Sprintf("%04d-%02d-%02d", info.Year, month, dd); info.BirthDate != "" && info.BirthDate != want {
		t.Fatalf("%s: birth date %s, want %s", d, info.BirthDate, want)
	}
}
