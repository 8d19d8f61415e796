package api

import "strings"

// NormalizeEnterpriseNumber checks a Belgian enterprise number (BCE/KBO) and
// returns it as 10 digits. Accepted input: "0212.345.678", "BE0212345678",
// "212345678" (the old 9-digit form gets its leading 0). The first digit is 0
// or 1 and the last two are 97 − (first eight mod 97).
func NormalizeEnterpriseNumber(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "BE")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ' || r == '-':
		default:
			return "", false
		}
	}
	d := b.String()
	if len(d) == 9 {
		d = "0" + d
	}
	if len(d) != 10 || (d[0] != '0' && d[0] != '1') {
		return "", false
	}
	var n, check int
	for i := 0; i < 8; i++ {
		n = n*10 + int(d[i]-'0')
	}
	check = int(d[8]-'0')*10 + int(d[9]-'0')
	return d, 97-n%97 == check
}
