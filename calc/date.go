package calc

import "strconv"

// Dates are handled as day numbers: days since 1970-01-01 in the proleptic
// Gregorian calendar. Only conversions at the edges (parsing, printing) touch
// year/month/day; everything else is integer arithmetic, which keeps the
// solver fast and free of time zones.

// Validation bounds of input dates (RULES.md §8): 1900-01-01 … 2100-12-31.
var (
	minInputDay = daysFromCivil(1900, 1, 1)
	maxInputDay = daysFromCivil(2100, 12, 31)
)

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// daysFromCivil converts a Gregorian date to a day number (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	if y >= 0 { // the usual case, without floor division
		yoe := uint(y) % 400
		mp := uint(m+9) % 12
		doe := yoe*365 + yoe/4 - yoe/100 + (153*mp+2)/5 + uint(d) - 1
		return int(uint(y)/400)*146097 + int(doe) - 719468
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil converts a day number back to year, month (1–12) and day.
func civil(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// weekday returns 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
func weekday(z int) int {
	w := (z + 3) % 7
	if w < 0 {
		w += 7
	}
	return w
}

// addMonths moves a date by n months day to day, clamping to the last day of
// a shorter month (RULES.md §12.2): 31 May − 3 months = 28/29 Feb.
func addMonths(z, n int) int {
	y, m, d := civil(z)
	return addMonthsCivil(y, m, d, n)
}

func addMonthsCivil(y, m, d, n int) int {
	t := y*12 + (m - 1) + n
	if i := t - monthTableFrom; i >= 0 && i+1 < len(monthStarts) { // the usual case: a look-up
		first := int(monthStarts[i])
		return first + min(d, int(monthStarts[i+1])-first) - 1
	}
	return addMonthsSlow(t, d)
}

// addMonthsSlow is addMonthsCivil for month t (12·year + month − 1).
func addMonthsSlow(t, d int) int {
	y2 := floorDiv(t, 12)
	m2 := t - y2*12 + 1
	if dim := daysIn(y2, m2); d > dim {
		d = dim
	}
	return daysFromCivil(y2, m2, d)
}

// monthStarts[i] is the first day of month monthTableFrom + i (months as
// 12·year + month − 1), from 1800 to 2300: every date the solver computes
// from inputs of 1900–2100 (§8) and its windows, 120 months of P included.
var monthStarts = func() (t [(2300-1800)*12 + 1]int32) {
	for i := range t {
		t[i] = int32(addMonthsSlow(monthTableFrom+i, 1))
	}
	return t
}()

const monthTableFrom = 1800 * 12

// parseDate reads a strict "YYYY-MM-DD" that exists in the calendar. It does
// not check the 1900–2100 bounds; see inputDay.
func parseDate(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	// each digit as a byte: one that is not a digit wraps to more than 9
	y0, y1, y2, y3 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0'
	m0, m1, d0, d1 := s[5]-'0', s[6]-'0', s[8]-'0', s[9]-'0'
	if max(y0, y1, y2, y3, m0, m1, d0, d1) > 9 {
		return 0, false
	}
	y := int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
	m, d := int(m0)*10+int(m1), int(d0)*10+int(d1)
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// isoDate prints a day number as "YYYY-MM-DD".
func isoDate(z int) string {
	var b [10]byte
	return string(appendISODate(b[:0], z))
}

// appendISODate appends isoDate(z) to b.
func appendISODate(b []byte, z int) []byte {
	y, m, d := civil(z)
	if y < 0 || y > 9999 {
		b = strconv.AppendInt(b, int64(y), 10)
		n := len(b)
		b = appendISODate(b, daysFromCivil(2000, m, d)) // then drop its "2000"
		return append(b[:n], b[n+4:]...)
	}
	var x [10]byte
	put4(x[0:4], y)
	x[4] = '-'
	put2(x[5:7], m)
	x[7] = '-'
	put2(x[8:10], d)
	return append(b, x[:]...)
}

// displayDate prints a day number as "DD/MM/YYYY", the format users read
// (DESIGN.md, conventions).
func displayDate(z int) string {
	var b [16]byte
	return string(appendDisplayDate(b[:0], z))
}

// appendDisplayDate appends displayDate(z) to b.
func appendDisplayDate(b []byte, z int) []byte {
	y, m, d := civil(z)
	if y < 0 || y > 9999 {
		return appendISODate(b, z)
	}
	var x [10]byte
	put2(x[0:2], d)
	x[2] = '/'
	put2(x[3:5], m)
	x[5] = '/'
	put4(x[6:10], y)
	return append(b, x[:]...)
}

func put2(b []byte, v int) { b[0], b[1] = byte('0'+v/10), byte('0'+v%10) }

func put4(b []byte, v int) { put2(b[0:2], v/100); put2(b[2:4], v%100) }

// ageAt returns the completed years at day c of a person born on by-bm-bd.
// Born on 29 February: the birthday is 1 March in non-leap years (RULES.md §2.1).
func ageAt(by, bm, bd, c int) int {
	cy, cm, cd := civil(c)
	age := cy - by
	m, d := bm, bd
	if m == 2 && d == 29 && !isLeap(cy) {
		m, d = 3, 1
	}
	if cm < m || (cm == m && cd < d) {
		age--
	}
	return age
}
