// Package calc is the admissibility engine of RULES.md: it takes one case
// (a person, an article 60 § 7 contract and their past periods) and finds the
// first contract end date at which the person is admissible to unemployment
// benefits, explaining each step. The same code runs in the browser (wasm)
// and on the server, so it imports only the standard library and the holiday
// library.
package calc

// Case is the input of the engine, RULES.md §7. Dates are "YYYY-MM-DD".
type Case struct {
	Person                Person   `json:"person"`
	Contract              Contract `json:"contract"`
	Periods               []Period `json:"periods"`
	LastBenefitDate       *string  `json:"lastBenefitDate"`
	PreviousAdmissionDate *string  `json:"previousAdmissionDate"`
	Options               Options  `json:"options"`
}

// Person identifies whose case it is; only the birth date matters to the rules.
type Person struct {
	NISS      string `json:"niss,omitempty"`
	BirthDate string `json:"birthDate,omitempty"`
}

// Contract is the article 60 § 7 employment.
type Contract struct {
	Start       string   `json:"start"`
	DaysPerWeek *float64 `json:"daysPerWeek,omitempty"`
	Q           *float64 `json:"q,omitempty"`
	S           *float64 `json:"s,omitempty"`
}

// Period is one past or concurrent event of the person's career.
type Period struct {
	Kind        string   `json:"kind"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	DaysPerWeek *float64 `json:"daysPerWeek,omitempty"`
	Q           *float64 `json:"q,omitempty"`
	S           *float64 `json:"s,omitempty"`
	Days        *float64 `json:"days,omitempty"`
	Hours       *float64 `json:"hours,omitempty"`
	Country     string   `json:"country,omitempty"`
	Label       string   `json:"label,omitempty"`
	// Optional fields of revision 2 (RULES.md §7); nil is absent, and a
	// present field is only allowed on the kinds named.
	FrontierWorker  *bool   `json:"frontierWorker,omitempty"`  // work abroad: lived in Belgium, worked across the border (§12.11)
	ChildBirthDate  *string `json:"childBirthDate,omitempty"`  // child_raising: the child's birth date (§12.19)
	ChildDisability *bool   `json:"childDisability,omitempty"` // child_raising: the limit is the 18th birthday, not the 6th
}

// Options holds the conventions that vary in practice (RULES.md §4, §3).
type Options struct {
	ClaimDays           string   `json:"claimDays,omitempty"` // "mon-sat" (default) or "mon-fri"
	ConventionCountries []string `json:"conventionCountries,omitempty"`
}

// RuleSetRef names the rule set that applied.
type RuleSetRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

// Window is the reference period [From, To] with its extension.
type Window struct {
	From          string `json:"from"`
	To            string `json:"to"`
	ExtensionDays int    `json:"extensionDays"`
}

// PeriodResult says what one input period did (same index as the input).
type PeriodResult struct {
	Index          int     `json:"index"`
	Treatment      string  `json:"treatment"` // credit, extend or none
	CreditInWindow float64 `json:"creditInWindow"`
}

// Result is the output of Solve, RULES.md §7 and §12.16. Numbers are already
// rounded half-up to 2 decimals; decisions were taken on exact values.
type Result struct {
	RuleSet                RuleSetRef     `json:"ruleSet"`
	AlreadyAdmissible      bool           `json:"alreadyAdmissible"`
	Reason                 string         `json:"reason"`
	AgeAtClaim             int            `json:"ageAtClaim"`
	Option                 string         `json:"option"`   // label of the option that held, in the requested language
	OptionID               string         `json:"optionId"` // stable id of that option, e.g. "312/21", "234/33+P1560"
	RequiredDays           float64        `json:"requiredDays"`
	ReferenceMonths        int            `json:"referenceMonths"`
	Window                 *Window        `json:"window"`
	CreditedBeforeContract float64        `json:"creditedBeforeContract"`
	ContractCredit         float64        `json:"contractCredit"`
	WindowCredit           float64        `json:"windowCredit"`
	ContractScheduledDays  int            `json:"contractScheduledDays"`
	ContractEnd            *string        `json:"contractEnd"`
	ClaimDate              string         `json:"claimDate"`
	Periods                []PeriodResult `json:"periods"`
	Steps                  []string       `json:"steps"`
	Warnings               []string       `json:"warnings"`
	Timeline               Timeline       `json:"timeline"`
}

// Timeline is what a UI needs to draw the window: every span with its role.
type Timeline struct {
	From  string         `json:"from"` // earliest day worth drawing
	To    string         `json:"to"`   // the claim date
	Spans []TimelineSpan `json:"spans"`
}

// TimelineSpan is one bar of the timeline picture.
// Role is "window", "extension", "contract", "reference10" (the 120 months
// before the window, drawn only when an option with a condition on them held),
// or "period" (then Index, Kind and Treatment say which input period and what
// it did, clipped to the timeline); E and C are marks with From == To and Role
// "end" or "claim".
type TimelineSpan struct {
	Role      string `json:"role"`
	From      string `json:"from"`
	To        string `json:"to"`
	Index     int    `json:"index,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Treatment string `json:"treatment,omitempty"`
}

// FieldError is one validation problem at a JSON path such as "periods[3].to".
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// ValidationError carries every problem of a case at once (code "invalid").
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

// TooLargeError is the error for an input over a caller's size limit: one
// problem at path "" in lang.
func TooLargeError(lang string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Path: "", Message: tr(langOf(lang), "input.too_large")}}}
}

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "invalid case"
	}
	return "invalid case: " + e.Fields[0].Path + ": " + e.Fields[0].Message
}

// UnreachableError says that no end date within the 6-year horizon makes the
// person admissible (RULES.md §12.14).
type UnreachableError struct {
	Message          string  `json:"message"`
	Horizon          string  `json:"horizon"`
	BestCredit       float64 `json:"bestCredit"`
	BestRequiredDays float64 `json:"bestRequiredDays"`
	BestContractEnd  string  `json:"bestContractEnd"`
}

func (e *UnreachableError) Error() string { return e.Message }

// Languages the engine explains itself in.
const (
	LangFR = "fr"
	LangNL = "nl"
	LangDE = "de"
	LangEN = "en"
)
