package calc

import "errors"

// NISSInfo is what a national register (NISS) or BIS number says
// (RULES.md §9, §12.4).
type NISSInfo struct {
	Digits    string `json:"digits"`    // the 11 digits without separators
	BirthDate string `json:"birthDate"` // "YYYY-MM-DD", "" when month or day is unknown
	Year      int    `json:"year"`      // birth year (always known once the check digits decided the century)
	BIS       bool   `json:"bis"`       // a BIS number (month + 20 or + 40)
	Sex       string `json:"sex"`       // "M", "F" or "" (BIS with month + 20)
}

// ErrNISS is returned by ParseNISS for any number that is not a valid NISS or
// BIS number. It carries no digits: personal data never goes into errors.
var ErrNISS = errors.New("invalid NISS")

// ParseNISS validates a NISS or BIS number. Separators '.', '-' and ' ' are
// ignored. Check = 97 − (first 9 digits mod 97), with '2' prefixed to the 9
// digits for births from 2000; the 1900 rule is tried first. Month 00 and
// day 00 mean unknown; a BIS number adds 20 (sex unknown) or 40 (sex known)
// to the month. A known month and day must form an existing date.
func ParseNISS(s string) (NISSInfo, error) {
	var b [11]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' || c == '-' || c == ' ':
		case c >= '0' && c <= '9' && n < 11:
			b[n] = c
			n++
		default:
			return NISSInfo{}, ErrNISS
		}
	}
	if n != 11 {
		return NISSInfo{}, ErrNISS
	}
	base, _ := digits(string(b[:9]))
	check, _ := digits(string(b[9:]))
	yy, _ := digits(string(b[0:2]))
	mm, _ := digits(string(b[2:4]))
	dd, _ := digits(string(b[4:6]))
	counter, _ := digits(string(b[6:9]))
	info := NISSInfo{Digits: string(b[:])}
	switch {
	case 97-base%97 == check:
		info.Year = 1900 + yy
	case 97-(2000000000+base)%97 == check:
		info.Year = 2000 + yy
	default:
		return NISSInfo{}, ErrNISS
	}
	sexKnown := true
	switch {
	case mm >= 40:
		info.BIS, mm = true, mm-40
	case mm >= 20:
		info.BIS, mm, sexKnown = true, mm-20, false
	}
	if mm > 12 || dd > 31 {
		return NISSInfo{}, ErrNISS
	}
	if mm > 0 && dd > 0 {
		if dd > daysIn(info.Year, mm) {
			return NISSInfo{}, ErrNISS
		}
		info.BirthDate = isoDate(daysFromCivil(info.Year, mm, dd))
	}
	if sexKnown {
		info.Sex = "F"
		if counter%2 == 1 {
			info.Sex = "M"
		}
	}
	return info, nil
}

// nissMonthDay returns the month and day carried by a parsed NISS (0 when unknown).
func nissMonthDay(info NISSInfo) (m, d int) {
	mm, _ := digits(info.Digits[2:4])
	dd, _ := digits(info.Digits[4:6])
	return mm % 20, dd
}
