package api

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of ONEM's review, checked on both sides.
const (
	MaxRemark      = 4000 // characters of a decision's remark
	MaxCommentText = 2000 // characters of one comment
	MaxThread      = 200  // comments per request
	// MaxDecisionDays bounds a corrected number of days to work: the
	// engine's horizon is 6 years, and no contract schedules more days.
	MaxDecisionDays = 2200
)

// QueueItem is one request in an agent's queue. It holds ids, dates and
// flags only, never a name or a NISS: opening the request itself is the
// audited read.
type QueueItem struct {
	RequestID      string `json:"requestId"`
	CPASID         string `json:"cpasId"`
	CPASName       string `json:"cpasName"`
	LastName       string `json:"lastName,omitempty"` // whom the request is about; the queue read is audited per request
	FirstName      string `json:"firstName,omitempty"`
	OfficeID       string `json:"officeId"`
	Kind           Kind   `json:"kind"`
	Status         Status `json:"status"`
	ReceivedAt     string `json:"receivedAt"` // RFC 3339
	DueDate        string `json:"dueDate"`    // YYYY-MM-DD
	Overdue        bool   `json:"overdue"`    // still sent after its due date (Europe/Brussels)
	DecidedAt      string `json:"decidedAt,omitempty"`
	HasAttachments bool   `json:"hasAttachments"`
	HasDerogation  bool   `json:"hasDerogation"`
	ResultDiffers  bool   `json:"resultDiffers"` // the client's calculation disagrees with the server's
	Unreachable    bool   `json:"unreachable"`   // the engine found no contract end
	CommentCount   int    `json:"commentCount"`
	LastCommentAt  string `json:"lastCommentAt,omitempty"`
}

// QueueReply answers GET /api/v1/queue: sent requests by due date (oldest
// first), decided ones by decision time (newest first). Today is the
// server's date in Europe/Brussels, the one Overdue was computed with.
type QueueReply struct {
	Items []QueueItem `json:"items"`
	Today string      `json:"today"`
	More  bool        `json:"more"` // the limit cut the list
}

// IsOverdue says whether a request in status s, due on due, is late on
// today (all dates YYYY-MM-DD): ONEM answers by the due date included.
func IsOverdue(s Status, due, today string) bool { return s == StatusSent && due != "" && today > due }

// DecisionRequest is the body of POST /api/v1/requests/{id}/decision.
// Validating ("calculated") accepts the server's figures; ContractEnd and
// Days correct them, and a correction needs a Remark. Invalidating needs a
// Remark, the reason the CPAS reads.
type DecisionRequest struct {
	Outcome     Status  `json:"outcome"` // calculated or invalidated
	Remark      string  `json:"remark,omitempty"`
	ContractEnd *string `json:"contractEnd,omitempty"` // YYYY-MM-DD
	Days        *int    `json:"days,omitempty"`        // contract days to work
}

// Check validates the body on its own; Decide checks it against the
// request. Paths are relative to the body.
func (d *DecisionRequest) Check() []FieldError {
	var fs []FieldError
	add := func(path, msg string) { fs = append(fs, FieldError{Path: path, Message: msg}) }
	remark := strings.TrimSpace(d.Remark)
	switch d.Outcome {
	case StatusCalculated:
	case StatusInvalidated:
		if remark == "" {
			add("remark", "say why the request is invalidated: the CPAS reads it")
		}
		if d.ContractEnd != nil {
			add("contractEnd", "an invalidation carries no figures")
		}
		if d.Days != nil {
			add("days", "an invalidation carries no figures")
		}
	default:
		add("outcome", "must be calculated or invalidated")
	}
	if utf8.RuneCountInString(remark) > MaxRemark {
		add("remark", "is too long (at most 4000 characters)")
	}
	if d.ContractEnd != nil && !validDate(*d.ContractEnd) {
		add("contractEnd", "must be a date YYYY-MM-DD between 1900 and 2100")
	}
	if d.Days != nil && (*d.Days < 0 || *d.Days > MaxDecisionDays) {
		add("days", "must be 0 to 2200")
	}
	return fs
}

// Decide checks the decision against the request it answers (which must
// still be sent) and returns what to store. A figure equal to the server's
// is not a correction and is dropped, so a form that always sends both
// figures needs a remark only when one of them changed.
func (d *DecisionRequest) Decide(r *Request, by, now string) (*Decision, *Error) {
	if r.Status != StatusSent {
		code, msg := CodeForbiddenTransition, "this request is not waiting for a decision"
		if CanCopy(r.Status) {
			code, msg = CodeAlreadyDecided, "ONEM already decided this request"
		}
		return nil, &Error{Code: code, Message: msg,
			Fields: []FieldError{{Path: "outcome", Message: "the request is " + string(r.Status)}}}
	}
	end, days := d.corrections(r)
	var fs []FieldError
	add := func(path, msg string) { fs = append(fs, FieldError{Path: path, Message: msg}) }
	if d.Outcome == StatusCalculated && r.Result == nil {
		if end == nil {
			add("contractEnd", "the calculation found no contract end: give it")
		}
		if days == nil {
			add("days", "the calculation found no contract end: give the days to work")
		}
	}
	if (end != nil || days != nil) && strings.TrimSpace(d.Remark) == "" {
		add("remark", "say why the figures are corrected: the CPAS reads it")
	}
	if start := contractStart(r.Case); end != nil && start != "" && *end < start {
		add("contractEnd", "must not be before the contract start ("+start+")")
	}
	if len(fs) > 0 {
		return nil, Invalid("the decision is not valid", fs...)
	}
	return &Decision{Outcome: d.Outcome, Remark: strings.TrimSpace(d.Remark), ContractEnd: end, Days: days,
		DecidedAt: now, DecidedBy: by}, nil
}

// corrections returns the figures that differ from the server's.
func (d *DecisionRequest) corrections(r *Request) (end *string, days *int) {
	end, days = d.ContractEnd, d.Days
	if r.Result == nil {
		return end, days
	}
	if end != nil && r.Result.ContractEnd != nil && *end == *r.Result.ContractEnd {
		end = nil
	}
	if days != nil && *days == r.Result.ContractScheduledDays {
		days = nil
	}
	return end, days
}

func contractStart(raw json.RawMessage) string {
	var c struct {
		Contract struct {
			Start string `json:"start"`
		} `json:"contract"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return ""
	}
	return c.Contract.Start
}

func validDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Year() >= 1900 && t.Year() <= 2100
}

// Comment is one message of a request's thread, where ONEM asks and the
// CPAS answers. The author is an account (its display name and role),
// never the person the request is about.
type Comment struct {
	ID         string `json:"id"` // UUID
	AuthorID   string `json:"authorId"`
	AuthorRole Role   `json:"authorRole"`
	AuthorName string `json:"authorName"`
	Text       string `json:"text"`
	At         string `json:"at"` // RFC 3339
}

// CommentRequest is the body of POST /api/v1/requests/{id}/comments. ID,
// a UUID made by the client, makes a retried post harmless.
type CommentRequest struct {
	ID   string `json:"id,omitempty"`
	Text string `json:"text"`
}

// Check validates a comment body; paths are relative to it.
func (c *CommentRequest) Check() []FieldError {
	var fs []FieldError
	if c.ID != "" && !IsUUID(c.ID) {
		fs = append(fs, FieldError{Path: "id", Message: "must be a lowercase UUID"})
	}
	n := utf8.RuneCountInString(strings.TrimSpace(c.Text))
	switch {
	case n == 0:
		fs = append(fs, FieldError{Path: "text", Message: "is required"})
	case n > MaxCommentText:
		fs = append(fs, FieldError{Path: "text", Message: "is too long (at most 2000 characters)"})
	}
	return fs
}

// CommentsReply answers GET /api/v1/requests/{id}/comments, oldest first.
type CommentsReply struct {
	RequestID string    `json:"requestId"`
	Comments  []Comment `json:"comments"`
}

// Office is an ONEM office (bureau de chômage) with its first-line contact
// for CPAS (seed 002): GET /api/v1/office.
type Office struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Address string   `json:"address,omitempty"` // not in seed 002: empty until an administrator adds it
	Phone   string   `json:"phone"`
	Emails  []string `json:"emails"`
}

// ReportReply answers GET /api/v1/reports: one entry per office the
// caller may see (an agent: theirs; an administrator: all).
type ReportReply struct {
	Today   string         `json:"today"`          // Europe/Brussels
	From    string         `json:"from,omitempty"` // decisions from this day on, if asked
	To      string         `json:"to,omitempty"`   // decisions up to this day, if asked
	Offices []OfficeReport `json:"offices"`
}

// OfficeReport holds one office's figures. Counts.Sent and Overdue are
// today's; the decided counts and the handling times cover the decisions
// of the period (all of them when no period is asked).
type OfficeReport struct {
	OfficeID    string       `json:"officeId"`
	OfficeName  string       `json:"officeName"`
	Counts      StatusCounts `json:"counts"`
	Overdue     int          `json:"overdue"`     // sent and past the due date
	DecidedLate int          `json:"decidedLate"` // decided after the due date
	// Handling time runs from receipt to decision. In working days it is
	// the number of working days after the day of receipt up to the day of
	// the decision, the count of the 5-day deadline: a decision on the due
	// date took 5. Null when nothing was decided.
	MedianHandlingWorkingDays *float64 `json:"medianHandlingWorkingDays"`
	MedianHandlingHours       *float64 `json:"medianHandlingHours"` // wall-clock hours, one decimal
}

// StatusCounts counts requests per status.
type StatusCounts struct {
	Sent        int `json:"sent"`
	Calculated  int `json:"calculated"`
	Invalidated int `json:"invalidated"`
}
