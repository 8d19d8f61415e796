package calc

import "strings"

// iso3166 holds the 249 officially assigned ISO 3166-1 alpha-2 codes. Reserved codes such as UK and EL are not in it
// (RULES.md §12.11).
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW "

// conventionDefault: the 27 EU member states, the other EEA states (IS, LI,
// NO), Switzerland and the United Kingdom (RULES.md §3, §12.11).
const conventionDefault = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK " +
	"IS LI NO CH GB "

// countrySet is a set of two-letter codes: bit 26·a + b for code "ab".
type countrySet [26*26/64 + 1]uint64

func codeIndex(code string) int {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return -1
	}
	return int(code[0]-'A')*26 + int(code[1]-'A')
}

func (s *countrySet) add(code string) {
	if i := codeIndex(code); i >= 0 {
		s[i/64] |= 1 << (i % 64)
	}
}

func (s *countrySet) has(code string) bool { return s.hasIndex(codeIndex(code)) }

func (s *countrySet) hasIndex(i int) bool { return i >= 0 && s[i/64]&(1<<(i%64)) != 0 }

// codeOf is the code of index i (the inverse of codeIndex).
func codeOf(i int) string { return string([]byte{byte('A' + i/26), byte('A' + i%26)}) }

func setOf(list string) countrySet {
	var s countrySet
	for _, c := range strings.Fields(list) {
		s.add(c)
	}
	return s
}

var (
	countries  = setOf(iso3166)
	convention = setOf(conventionDefault)
	// sixMonths: after work in Bosnia-Herzegovina, North Macedonia or
	// Montenegro, 6 months of Belgian employment instead of 3 (RULES.md §3,
	// §12.11).
	sixMonths = setOf("BA MK ME")
	// someNationalities: work there counts only for some nationalities, a
	// warning (RULES.md §12.11).
	someNationalities = setOf("DK CH DZ TN TR SM")
)

// abroadMonths is the Belgian salaried employment, in months, that must
// follow work in country for it to count (AR art. 37 § 2, RULES.md §12.11).
func abroadMonths(country string) uint8 {
	if sixMonths.has(country) {
		return 6
	}
	return 3
}

// isCountry reports whether code is an assigned ISO 3166-1 alpha-2 code in capitals.
func isCountry(code string) bool { return countries.has(code) }
