package api

import "strconv"

// Schema versions of the sync messages. A client sends the version it was
// built with; the server accepts MinSchemaVersion..SchemaVersion and answers
// anything else with CodeUpdateRequired, which the PWA shows as "update the
// app". Raise SchemaVersion on any incompatible change of this package or of
// calc's Case and Result. Version 2: RULES.md revision 2 (an app built
// before computes other end dates offline, so it must update) and the
// optional fields it brought (period facts, names, files, userId).
const (
	SchemaVersion    = 2
	MinSchemaVersion = 2
)

// Push limits.
const (
	MaxMutations = 100 // per push
	OpSubmit     = "submit"
)

// PushRequest carries a device's pending mutations, oldest first.
type PushRequest struct {
	ClientID string `json:"clientId"` // one per device and user
	// UserID, when given, is the user whose device data the mutations come
	// from; the server refuses them under any other session (wrong_user),
	// so a request queued by one colleague is never stored under another
	// who signed in on the same browser.
	UserID        string     `json:"userId,omitempty"`
	SchemaVersion int        `json:"schemaVersion"` // see SchemaVersion
	Mutations     []Mutation `json:"mutations"`
}

// MaxMutationID is the largest mutationId: Number.MAX_SAFE_INTEGER, 2^53 - 1.
// The browser holds ids as JavaScript numbers, which above it round to
// another integer, so a larger id could not come back unchanged in a result.
const MaxMutationID = 1<<53 - 1

// Mutation is one change a device asks for. MutationID only grows per
// (user, clientId); the server remembers the last one applied in the same
// transaction as the change, so a repeated push changes nothing and gets the
// same answer.
type Mutation struct {
	MutationID int64       `json:"mutationId"`
	Op         string      `json:"op"`
	Request    *Submission `json:"request,omitempty"` // for op "submit"
}

// Outcomes of a mutation.
const (
	OutcomeApplied  = "applied"
	OutcomeRejected = "rejected"
)

// MutationResult answers one mutation, in the order of the push.
type MutationResult struct {
	MutationID int64    `json:"mutationId"`
	Outcome    string   `json:"outcome"` // applied or rejected
	RequestID  string   `json:"requestId,omitempty"`
	Receipt    *Receipt `json:"receipt,omitempty"` // when applied
	Error      *Error   `json:"error,omitempty"`   // when rejected; paths relative to the mutation
}

// Receipt is what the server stamped on an applied submission. The whole
// request, with the authoritative result, comes back through pull.
type Receipt struct {
	Status        Status   `json:"status"`
	ReceivedAt    string   `json:"receivedAt"`
	DueDate       string   `json:"dueDate"`
	ResultDiffers bool     `json:"resultDiffers"`
	Differences   []string `json:"differences,omitempty"`
	Seq           int64    `json:"seq"`
}

// PushReply answers a push. When a mutation was rejected, Error repeats the
// first rejection with paths prefixed by "mutations[i]." and the HTTP status
// is 4xx; the other mutations' results stand either way.
type PushReply struct {
	Error   *Error           `json:"error,omitempty"`
	Results []MutationResult `json:"results"`
}

// PullReply holds the requests of the caller's CPAS changed since the cursor.
// When Full is true the cursor was unknown or too old and the pages that
// follow are a complete snapshot: the client replaces what it holds. When
// More is true the client pulls again at once with the new cursor.
type PullReply struct {
	Cursor   string    `json:"cursor"`
	Full     bool      `json:"full"`
	More     bool      `json:"more"`
	Requests []Request `json:"requests"`
}

// CheckSchema refuses a schema version the server cannot read.
func CheckSchema(v int) *Error {
	switch {
	case v == 0:
		return Invalid("schemaVersion is required", FieldError{Path: "schemaVersion", Message: "is required"})
	case v < MinSchemaVersion:
		return &Error{Code: CodeUpdateRequired, Message: "this version of the app is too old: reload it to update",
			Fields: []FieldError{{Path: "schemaVersion", Message: "no longer supported"}}}
	case v > SchemaVersion:
		return &Error{Code: CodeUpdateRequired, Message: "this app is newer than the server: try again later",
			Fields: []FieldError{{Path: "schemaVersion", Message: "not yet supported"}}}
	}
	return nil
}

// Check validates the envelope of a push (each submission is checked when
// its mutation is applied). Paths are relative to the push body.
func (p *PushRequest) Check() []FieldError {
	var fs []FieldError
	add := func(path, msg string) { fs = append(fs, FieldError{Path: path, Message: msg}) }
	if !IsClientID(p.ClientID) {
		add("clientId", "must be 1 to 64 letters, digits, '-' or '_'")
	}
	switch {
	case len(p.Mutations) == 0:
		add("mutations", "at least one mutation is required")
	case len(p.Mutations) > MaxMutations:
		add("mutations", "at most "+strconv.Itoa(MaxMutations)+" mutations per push")
	}
	var prev int64
	for i, m := range p.Mutations {
		base := "mutations[" + strconv.Itoa(i) + "]"
		switch {
		case m.MutationID <= 0:
			add(base+".mutationId", "must be a positive integer")
		case m.MutationID > MaxMutationID:
			add(base+".mutationId", "must be at most 2^53 - 1 (9007199254740991)")
		case m.MutationID <= prev:
			add(base+".mutationId", "must grow within a push")
		}
		prev = max(prev, m.MutationID)
		switch {
		case m.Op != OpSubmit:
			add(base+".op", "unknown operation")
		case m.Request == nil:
			add(base+".request", "is required")
		}
	}
	return fs
}
