package calc

import (
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/be"
)

// legalHolidays are the ten Belgian legal holidays of RULES.md §4 (law of
// 4.1.1974), taken one by one from the holiday library rather than through
// be.Holidays, so that a future library version adding regional or
// non-legal days cannot change the rules. No replacement days are used.
var legalHolidays = []*cal.Holiday{
	be.Nieuwjaar,                // 1 January
	be.Paasmaandag,              // Easter Monday
	be.DagVanDeArbeid,           // 1 May
	be.OnzeLieveHeerHemelvaart,  // Ascension
	be.Pinkstermaandag,          // Whit Monday
	be.NationaleFeestdag,        // 21 July
	be.OnzeLieveVrouwHemelvaart, // 15 August
	be.Allerheiligen,            // 1 November
	be.Wapenstilstand,           // 11 November
	be.Kerstmis,                 // 25 December
}

// The holidays of the years the engine can meet are computed once into a
// bitmap indexed by day number; other years are computed on demand.
const holidayFirstYear, holidayLastYear = 1780, 2120

var (
	holidayOnce sync.Once
	holidayLo   int
	holidayBits []uint64
)

func initHolidays() {
	holidayLo = daysFromCivil(holidayFirstYear, 1, 1)
	n := daysFromCivil(holidayLastYear+1, 1, 1) - holidayLo
	holidayBits = make([]uint64, (n+63)/64)
	for y := holidayFirstYear; y <= holidayLastYear; y++ {
		for _, z := range holidaysOf(y) {
			i := z - holidayLo
			holidayBits[i/64] |= 1 << (i % 64)
		}
	}
}

func holidaysOf(year int) []int {
	out := make([]int, 0, len(legalHolidays))
	for _, h := range legalHolidays {
		t, _ := h.Calc(year)
		if t.IsZero() {
			continue
		}
		y, m, d := t.Date()
		out = append(out, daysFromCivil(y, int(m), d))
	}
	return out
}

// isHoliday reports whether day number z is a Belgian legal holiday.
func isHoliday(z int) bool {
	holidayOnce.Do(initHolidays)
	i := z - holidayLo
	if i >= 0 && i/64 < len(holidayBits) {
		return holidayBits[i/64]&(1<<(i%64)) != 0
	}
	y, _, _ := civil(z)
	for _, h := range holidaysOf(y) {
		if h == z {
			return true
		}
	}
	return false
}

// IsLegalHoliday reports whether the calendar date of t is a Belgian legal
// holiday (RULES.md §4).
func IsLegalHoliday(t time.Time) bool {
	y, m, d := t.Date()
	return isHoliday(daysFromCivil(y, int(m), d))
}

// isWorkingDay: Monday to Friday and not a legal holiday (RULES.md §11).
func isWorkingDay(z int) bool { return weekday(z) < 5 && !isHoliday(z) }

// DueDate is the date by which ONEM answers a request received on the date
// of received: 5 working days (Monday–Friday, legal holidays excluded),
// counted from the working day after receipt, which is day 1 (RULES.md §11).
// The result is midnight in received's location.
func DueDate(received time.Time) time.Time {
	y, m, d := received.Date()
	z := daysFromCivil(y, int(m), d)
	for n := 0; n < 5; {
		z++
		if isWorkingDay(z) {
			n++
		}
	}
	y, mm, dd := civil(z)
	return time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, received.Location())
}

// isClaimDay: not a Sunday (nor a Saturday under mon-fri) and not a legal
// holiday (RULES.md §4).
func isClaimDay(z int, monFri bool) bool {
	w := weekday(z)
	if w == 6 || (monFri && w == 5) {
		return false
	}
	return !isHoliday(z)
}

// claimAfter returns C, the first claim day after E (RULES.md §4).
func claimAfter(e int, monFri bool) int {
	c := e + 1
	for !isClaimDay(c, monFri) {
		c++
	}
	return c
}
