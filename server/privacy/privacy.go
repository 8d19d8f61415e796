// Package privacy holds what art60 does for the people whose files it
// keeps (GDPR, Regulation (EU) 2016/679): find everything held about one
// person by NISS and export it (art. 15, right of access), tell the data
// protection officer who opened those files, erase them (art. 17), and
// delete requests and uploads at the end of their retention period
// (art. 5(1)(e), storage limitation). The server's admin API and the art60
// command both call it; README "Personal data" says what it promises.
package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"art60/calc"
	"art60/server/api"
	"art60/server/store"
)

// ErrNISS is a NISS that is not a valid NISS or BIS number. Like
// calc.ErrNISS it never carries the digits.
var ErrNISS = errors.New("privacy: not a valid NISS or BIS number")

// NISS returns the 11 digits of a NISS or BIS number typed with or without
// separators.
func NISS(s string) (string, error) {
	info, err := calc.ParseNISS(s)
	if err != nil {
		return "", ErrNISS
	}
	return info.Digits, nil
}

// Requests returns every stored request about the person with this NISS
// (11 digits, see NISS), in any CPAS, erased ones left out. Requests are
// found by the NISS in their case: one without a NISS is not found (its
// CPAS can still ask for it by request id).
func Requests(ctx context.Context, st store.Store, niss string) ([]api.Request, error) {
	var out []api.Request
	var bad error
	err := st.ScanRequests(ctx, func(r *api.Request) bool {
		if bad = ctx.Err(); bad != nil {
			return false
		}
		if nissOf(r) == niss {
			out = append(out, *r)
		}
		return true
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: find the person's requests: %w", err)
	}
	return out, nil
}

// nissOf is the digits of the NISS a request's case names, "" for none.
func nissOf(r *api.Request) string {
	var c struct {
		Person struct {
			NISS string `json:"niss"`
		} `json:"person"`
	}
	if json.Unmarshal(r.Case, &c) != nil || c.Person.NISS == "" {
		return ""
	}
	if info, err := calc.ParseNISS(c.Person.NISS); err == nil {
		return info.Digits
	}
	return ""
}

// record writes one audit entry of action per request, so that the trail
// says which files were exported, looked at or erased without the NISS
// that found them.
func record(ctx context.Context, st store.Store, who store.AuditEntry, action string, reqs []api.Request) error {
	entries := make([]store.AuditEntry, len(reqs))
	for i, r := range reqs {
		e := who
		e.Action, e.CPASID, e.RequestID = action, r.CPASID, r.ID
		entries[i] = e
	}
	if len(entries) == 0 {
		e := who
		e.Action, e.Detail = action, "no request found"
		entries = append(entries, e)
	}
	if err := st.AppendAudit(ctx, entries...); err != nil {
		return fmt.Errorf("privacy: record %s in the audit trail: %w", action, err)
	}
	return nil
}

// stamp formats the store's time the way the API does.
func stamp(st store.Store) string { return st.Now().UTC().Format(time.RFC3339) }
