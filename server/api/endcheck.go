package api

import "time"

// End-of-contract check window (seed 000: "entre 30 et 15 jours avant la fin
// du contrat"; RULES.md §11).
const (
	EndCheckFirstDay = 30 // days before the contract end when the window opens
	EndCheckLastDay  = 15 // days before the contract end when it closes
)

// EndCheckAllowed decides whether an end-of-contract check may be sent on
// day today (YYYY-MM-DD) for a request whose contract ends on end, when
// previous checks were already sent for the same original request. Outside
// the window, or after the first check, only a derogation with a written
// justification lets it through. It returns nil when allowed. The field
// paths are relative to the submission.
func EndCheckAllowed(end, today string, previous int, derogation *Derogation) *Error {
	if derogation != nil && derogation.check() == nil {
		return nil
	}
	if previous > 0 {
		return &Error{Code: CodeEndCheckUsed,
			Message: "the end-of-contract check was already sent for this request; a derogation with a justification is needed",
			Fields:  []FieldError{{Path: "derogation", Message: "required for a second check"}}}
	}
	from, to, ok := EndCheckWindow(end)
	if !ok || today < from || today > to {
		msg := "the end-of-contract check is possible from 30 to 15 days before the contract end"
		if ok {
			msg += " (" + from + " to " + to + ")"
		}
		return &Error{Code: CodeEndCheckWindow, Message: msg + "; otherwise a derogation with a justification is needed",
			Fields: []FieldError{{Path: "derogation", Message: "required outside the window"}}}
	}
	return nil
}

// EndCheckWindow returns the first and last day (YYYY-MM-DD) on which an
// end-of-contract check may be sent for a contract ending on end.
func EndCheckWindow(end string) (from, to string, ok bool) {
	e, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return "", "", false
	}
	return e.AddDate(0, 0, -EndCheckFirstDay).Format(time.DateOnly),
		e.AddDate(0, 0, -EndCheckLastDay).Format(time.DateOnly), true
}
