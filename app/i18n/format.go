package i18n

import (
	"strconv"
	"strings"
)

// Date shows an ISO date (YYYY-MM-DD) as DD/MM/YYYY, the Belgian format in
// every language. Anything else is returned unchanged.
func Date(iso string) string {
	if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]
}

// ParseDate reads a date as people type it and returns the ISO form, or
// ok=false: DD/MM/YYYY, also D/M/YYYY, with '/', '.', '-' or spaces
// between the parts (30/11/2026, 30.11.2026, 30-11-2026), without
// separators (30112026, 301126), with a two-digit year (30/11/26), and
// the ISO form itself. A two-digit year YY is 20YY up to 69 and 19YY from
// 70, as POSIX strptime's %y reads it: the case's dates (births from the
// 1950s, contracts up to the 2060s) fall on the right side. It does not
// check that the day exists; calc's validation does, and names the field.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' || r == ' ' })
	if len(parts) == 1 && digits(s) && (len(s) == 8 || len(s) == 6) {
		parts = []string{s[:2], s[2:4], s[4:]}
	}
	if len(parts) != 3 {
		return "", false
	}
	if len(parts[0]) == 4 { // already ISO
		parts[0], parts[2] = parts[2], parts[0]
	}
	d, m, y := parts[0], parts[1], parts[2]
	if len(y) == 2 {
		y = map[bool]string{true: "20", false: "19"}[y < "70"] + y
	}
	if len(y) != 4 || len(d) > 2 || len(m) > 2 || !digits(d+m+y) {
		return "", false
	}
	return y + "-" + pad2(m) + "-" + pad2(d), true
}

// Number shows a number the Belgian way: decimal comma, at most two decimals,
// a narrow no-break space between thousands ("1 234,5").
func Number(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("," + frac)
	}
	return b.String()
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
