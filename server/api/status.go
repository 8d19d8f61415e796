package api

// Status is where a request stands in its life (RULES.md §11, seed 004).
// Drafts live only in the browser; the server stores a request from "sent" on.
type Status string

// The statuses of a request.
const (
	StatusDraft       Status = "draft"       // editable, on the device only
	StatusSent        Status = "sent"        // with ONEM, no longer editable by the CPAS
	StatusCalculated  Status = "calculated"  // ONEM confirmed (possibly corrected) the figures
	StatusInvalidated Status = "invalidated" // ONEM could not process it; the reason is in the decision
	// StatusErased marks what is left of a request whose person's data was
	// erased (GDPR art. 17) or whose retention period ended: its id, CPAS and
	// sequence only, so that pull tells every device to drop its copy.
	StatusErased Status = "erased"
)

// transitions lists every allowed status change. Anything else is refused.
var transitions = map[Status][]Status{
	StatusDraft: {StatusSent},
	StatusSent:  {StatusCalculated, StatusInvalidated},
}

// CanTransition says whether a request may go from one status to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// CanCopy says whether "modify" may create an editable copy of a request in
// this status: only once ONEM has answered.
func CanCopy(s Status) bool { return s == StatusCalculated || s == StatusInvalidated }

// Valid says whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusSent, StatusCalculated, StatusInvalidated, StatusErased:
		return true
	}
	return false
}

// Kind says why a request was made.
type Kind string

// The kinds of request.
const (
	KindInitial      Kind = "initial"      // first calculation, before or during the contract
	KindModification Kind = "modification" // copy after the contract data changed
	KindEndCheck     Kind = "end_check"    // copy adding events during the contract, near its end
)

// Valid says whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindInitial, KindModification, KindEndCheck:
		return true
	}
	return false
}

// IsCopy says whether requests of this kind must name a parent.
func (k Kind) IsCopy() bool { return k == KindModification || k == KindEndCheck }
