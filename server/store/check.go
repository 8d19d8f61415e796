package store

import (
	"context"
	"fmt"
)

// CheckReport is what Check found: keys read by kind, the index entries
// compared, the audit chain, and each problem in words.
type CheckReport struct {
	Keys     map[string]int // by kind ("request", "attachment data"...)
	Indexed  int            // index entries compared with the data
	Audit    AuditCheck
	Problems []string
}

// OK says whether nothing is wrong.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// Checker is a store that can check itself (art60 admin check).
type Checker interface {
	Check(ctx context.Context) (CheckReport, error)
}

// maxProblems bounds the report: a badly damaged store would list every key.
const maxProblems = 100

func (r *CheckReport) Problem(format string, a ...any) {
	if len(r.Problems) == maxProblems {
		r.Problems = append(r.Problems, "… more problems not listed")
	}
	if len(r.Problems) <= maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
	}
}
