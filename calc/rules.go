package calc

import "math"

// This file is the data of RULES.md §2 and §6: the rule sets, their age rows
// and options, and the treatment of every kind under each rule set. Adding a
// reform means adding a ruleSet row (and its messages), not editing the solver.

// Kind indexes, in the order of the RULES.md §6 table.
const (
	kWork = iota
	kSicknessGuaranteedWage
	kSicknessMutual
	kWorkAccident
	kOccupationalDisease
	kMaternity
	kHoliday
	kCompensatoryRest
	kTemporaryUnemployment
	kStrike
	kUnemploymentBenefits
	kVocationalTraining
	kUnpaidLeave
	kDetention
	kForceMajeure
	kChildRaising
	kSelfEmployed
	kNotInsured
	kCareerInterruption
	kStudies
	numKinds
)

// kindIDs are the JSON names of the kinds, indexed by kind.
var kindIDs = [numKinds]string{
	"work", "sickness_guaranteed_wage", "sickness_mutual", "work_accident",
	"occupational_disease", "maternity", "holiday", "compensatory_rest",
	"temporary_unemployment", "strike", "unemployment_benefits",
	"vocational_training", "unpaid_leave", "detention", "force_majeure",
	"child_raising", "self_employed", "not_insured", "career_interruption",
	"studies",
}

// kindIndex returns the index of a kind id, or -1.
func kindIndex(id string) int {
	if len(id) == 0 {
		return -1
	}
	switch i := kindSlots[kindSlot(id)]; {
	case i >= 0:
		if kindIDs[i] == id {
			return int(i)
		}
		return -1
	case i == slotShared:
		for i, k := range kindIDs {
			if k == id {
				return i
			}
		}
	}
	return -1
}

// kindSlots maps kindSlot of an id to its kind: -1 none, slotShared when
// several kinds share the slot (then kindIndex searches them all).
var kindSlots = func() (t [64]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, k := range kindIDs {
		if s := kindSlot(k); t[s] == -1 {
			t[s] = int8(i)
		} else {
			t[s] = slotShared
		}
	}
	return t
}()

const slotShared = -2

// kindSlot hashes a non-empty id by its length and its first and last bytes.
func kindSlot(id string) int { return (len(id)*7 + int(id[0])*3 + int(id[len(id)-1])) & 63 }

// Kinds returns the kind ids in the order of the RULES.md §6 table.
func Kinds() []string {
	out := make([]string, numKinds)
	copy(out, kindIDs[:])
	return out
}

// treat is what a period does: credit, extend or none (RULES.md §6).
type treat uint8

const (
	tNone treat = iota
	tCredit
	tExtend
)

func (t treat) String() string {
	switch t {
	case tCredit:
		return "credit"
	case tExtend:
		return "extend"
	}
	return "none"
}

// kindRule is the treatment of a kind under one rule set, with its limits.
type kindRule struct {
	t         treat
	minMonths int // extend only if the period lasts at least this long (§12.2, §12.12)
	maxMonths int // extend by at most the most recent part of this length (§12.12)
	firstDays int // credit only the first n scheduled days of each calendar year (§12.8)
	// extend only the days before the child's birthday of this age, or of
	// ageDisabled with a disability (§12.19); 0: no limit
	age, ageDisabled int
	cite             string // message id of what the rule rests on; "": the rule set's default for t
}

var (
	credit = kindRule{t: tCredit}
	extend = kindRule{t: tExtend}
	none   = kindRule{t: tNone}
)

// pRule is the condition on P, the credit of the 120 months before the
// window (RULES.md §2.1): none, P ≥ min, or P ≥ factor × (base − X).
type pRule struct {
	min, factor, base float64
}

// option is one way to be admissible: X ≥ days in a window of months, and
// possibly a condition on P.
type option struct {
	id     string
	days   float64
	months int
	p      *pRule
}

// pNeeded returns the P an option requires given the window credit x.
func (o *option) pNeeded(x float64) float64 {
	if o.p.factor != 0 {
		return o.p.factor * (o.p.base - x)
	}
	return o.p.min
}

// ageRow lists the options of the ages [minAge, maxAge] (RULES.md §2.1).
type ageRow struct {
	minAge, maxAge int
	options        []option
}

// ruleSet is one dated set of parameters (RULES.md §2).
type ruleSet struct {
	id                string
	validFrom         int // day numbers of the claim dates it applies to, inclusive
	validTo           int
	nameMsg           string // message id of the human-readable name
	source            string
	rows              []ageRow
	capYears          int  // window capped at C − capYears years; 0: no cap
	previousAdmission bool // previousAdmissionDate cuts credit (§12.15)
	art42             bool // readmission without stage (§2.2, §12.5)
	abroadMaxMonths   int  // work abroad that does not count extends by at most this (§12.11, §12.12)
	kinds             [numKinds]kindRule
	cite              ruleCites
}

// ruleCites are the message ids of what each rule of a rule set rests on,
// for the steps; the rule set's source says the same for the whole table.
type ruleCites struct {
	options, extension, cap, art42 string
	abroad, abroadExtend           string    // work abroad that counts, that does not
	treat                          [3]string // per treatment, for a kind without its own cite
}

// citeOf returns the message id of what treatment t of kind k rests on:
// the kind's own, else the rule set's for t.
func (rs *ruleSet) citeOf(k int, t treat) string {
	if c := rs.kinds[k].cite; c != "" {
		return c
	}
	return rs.cite.treat[t]
}

const (
	minAge = math.MinInt32
	maxAge = math.MaxInt32
)

// ruleSets is the table of RULES.md §2, ordered by validFrom.
var ruleSets = []ruleSet{
	{
		id:        "ar1991",
		validFrom: math.MinInt32,
		validTo:   daysFromCivil(2026, 2, 28),
		nameMsg:   "ruleset.ar1991",
		source: "AR 25.11.1991 (unemployment): art. 30 and ONEM T31 for the options by age and the reference period; " +
			"art. 37 for work and art. 38 for the assimilated days that count like work (unpaid leave: the first 10 days of a year); " +
			"ONEM T39 for the events that extend the reference period and their minimum and maximum durations; " +
			"art. 37 § 2 for work abroad (it counts when followed by 3 months of Belgian salaried employment, " +
			"6 after BA, MK or ME; frontier workers need none); art. 42 for readmission within 3 years, " +
			"extended like a reference period per ONEM T39; art. 33 for the part-time route (a warning, not computed). " +
			"Secondary source (CAPAC, socialsecurity.be, CPAS federations, unions): " +
			"self-employment extends for at most 15 years; work abroad that does not count extends for at most 15 years; " +
			"days of full unemployment benefits give no credit; child raising extends only before the child's 6th birthday " +
			"(18th with a disability).",
		rows: []ageRow{
			{minAge, 35, []option{
				{id: "312/21", days: 312, months: 21},
				{id: "468/33", days: 468, months: 33},
				{id: "624/42", days: 624, months: 42},
			}},
			{36, 49, []option{
				{id: "468/33", days: 468, months: 33},
				{id: "624/42", days: 624, months: 42},
				{id: "234/33+P1560", days: 234, months: 33, p: &pRule{min: 1560}},
				{id: "312/33+P8x(468-X)", days: 312, months: 33, p: &pRule{factor: 8, base: 468}},
			}},
			{50, maxAge, []option{
				{id: "624/42", days: 624, months: 42},
				{id: "312/42+P1560", days: 312, months: 42, p: &pRule{min: 1560}},
				{id: "416/42+P8x(624-X)", days: 416, months: 42, p: &pRule{factor: 8, base: 624}},
			}},
		},
		art42:           true,
		abroadMaxMonths: 180,
		cite: ruleCites{
			options: "cite.ar30", extension: "cite.t39", art42: "cite.ar42",
			abroad: "cite.ar37.2", abroadExtend: "cite.ar37.2.max15",
			treat: [3]string{tNone: "cite.t39", tCredit: "cite.ar38", tExtend: "cite.t39"},
		},
		kinds: [numKinds]kindRule{
			kWork:                   {t: tCredit, cite: "cite.ar37"},
			kSicknessGuaranteedWage: credit,
			kSicknessMutual:         credit,
			kWorkAccident:           credit,
			kOccupationalDisease:    credit,
			kMaternity:              credit,
			kHoliday:                credit,
			kCompensatoryRest:       credit,
			kTemporaryUnemployment:  credit,
			kStrike:                 credit,
			kUnemploymentBenefits:   {t: tNone, cite: "cite.secondary"},
			kVocationalTraining:     credit,
			kUnpaidLeave:            {t: tCredit, firstDays: 10},
			kDetention:              extend,
			kForceMajeure:           extend,
			kChildRaising:           {t: tExtend, minMonths: 6, age: 6, ageDisabled: 18, cite: "cite.t39.child"},
			kSelfEmployed:           {t: tExtend, minMonths: 6, maxMonths: 180, cite: "cite.t39.max15"},
			kNotInsured:             {t: tExtend, minMonths: 6, maxMonths: 144},
			kCareerInterruption:     extend,
			kStudies:                extend,
		},
	},
	{
		id:        "pl2025",
		validFrom: daysFromCivil(2026, 3, 1),
		validTo:   math.MaxInt32,
		nameMsg:   "ruleset.pl2025",
		source: "Programme law of 18.07.2025 (MB 29.07.2025) and ONEM T200: 312 days in 36 months at any age, " +
			"reference period capped at 15 years, only days after a previous admission count, the treatment of every kind; " +
			"AR 25.11.1991 art. 37 § 2 for work abroad (it counts when followed by 3 months of Belgian salaried employment, " +
			"6 after BA, MK or ME; frontier workers need none). " +
			"Secondary source (CAPAC, socialsecurity.be, CPAS federations, unions): " +
			"work abroad that does not count extends for at most 15 years.",
		rows:              []ageRow{{minAge, maxAge, []option{{id: "312/36", days: 312, months: 36}}}},
		capYears:          15,
		previousAdmission: true,
		abroadMaxMonths:   180,
		cite: ruleCites{
			options: "cite.pl2025", extension: "cite.pl2025", cap: "cite.pl2025",
			abroad: "cite.ar37.2", abroadExtend: "cite.ar37.2.max15",
			treat: [3]string{tNone: "cite.pl2025", tCredit: "cite.pl2025", tExtend: "cite.pl2025"},
		},
		kinds: [numKinds]kindRule{
			kWork:                   credit,
			kSicknessGuaranteedWage: credit,
			kSicknessMutual:         extend,
			kWorkAccident:           extend,
			kOccupationalDisease:    extend,
			kMaternity:              credit,
			kHoliday:                credit,
			kCompensatoryRest:       credit,
			kTemporaryUnemployment:  credit,
			kStrike:                 credit,
			kUnemploymentBenefits:   none,
			kVocationalTraining:     none,
			kUnpaidLeave:            none,
			kDetention:              extend,
			kForceMajeure:           none,
			kChildRaising:           none,
			kSelfEmployed:           {t: tExtend, minMonths: 3},
			kNotInsured:             {t: tExtend, minMonths: 3},
			kCareerInterruption:     extend,
			kStudies:                none,
		},
	},
}

// ruleSetFor returns the index of the rule set in force for claim date c.
// The table covers every date, so this never fails.
func ruleSetFor(c int) int {
	for i := range ruleSets {
		if c >= ruleSets[i].validFrom && c <= ruleSets[i].validTo {
			return i
		}
	}
	return len(ruleSets) - 1
}

// optionsFor returns the options of the age row holding age.
func (rs *ruleSet) optionsFor(age int) []option {
	for _, r := range rs.rows {
		if age >= r.minAge && age <= r.maxAge {
			return r.options
		}
	}
	return rs.rows[0].options
}

// TreatmentOf returns the treatment ("credit", "extend" or "none") of a kind
// under a rule set id ("ar1991", "pl2025"), or "" if either is unknown. It is
// the base treatment of the table; limits (minimum and maximum durations, the
// 10 days of unpaid leave, work abroad) apply per period during the solve.
func TreatmentOf(ruleSetID, kind string) string {
	k := kindIndex(kind)
	if k < 0 {
		return ""
	}
	for i := range ruleSets {
		if ruleSets[i].id == ruleSetID {
			return ruleSets[i].kinds[k].t.String()
		}
	}
	return ""
}
