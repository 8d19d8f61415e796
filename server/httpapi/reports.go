package httpapi

import (
	"context"
	"math"
	"net/http"
	"slices"
	"time"

	"art60/calc"
	"art60/server/api"
	"art60/server/store"
)

// office answers "contact your unemployment office": the office of the
// worker's CPAS, or the agent's own office (seed 002's directory).
func (s *Service) office(c *call) error {
	id := c.p.user.OfficeID
	if c.p.user.Role == api.RoleWorker {
		cp, err := s.st.CPAS(c.r.Context(), c.p.user.CPASID)
		if err != nil {
			return err
		}
		id = cp.OfficeID
	}
	o, ok := store.OfficeByID(id)
	if !ok {
		return fail(api.CodeNotFound, "no ONEM office is known for your account")
	}
	writeJSON(c.w, http.StatusOK, o)
	return nil
}

// reports gives per office the counts per status, the overdue requests and
// the handling times: an agent sees their office, an administrator all.
// ?from= and ?to= (YYYY-MM-DD, Brussels dates, both included) limit the
// decisions counted; the sent and overdue counts are always today's.
func (s *Service) reports(c *call) error {
	q := c.r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	var fs []api.FieldError
	for _, p := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if p.v != "" && !isDate(p.v) {
			fs = append(fs, api.FieldError{Path: p.name, Message: "must be a date YYYY-MM-DD"})
		}
	}
	if len(fs) == 0 && from != "" && to != "" && from > to {
		fs = append(fs, api.FieldError{Path: "to", Message: "must not be before from"})
	}
	if len(fs) > 0 {
		return fail(api.CodeInvalid, "bad report period", fs...)
	}
	offices := store.Offices()
	if c.p.user.Role == api.RoleAgent {
		o, _ := store.OfficeByID(c.p.user.OfficeID)
		offices = []api.Office{o}
	}
	today := s.today()
	reports, err := s.officeReports(c.r.Context(), offices, today, period{from, to})
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, api.ReportReply{Today: today, From: from, To: to, Offices: reports})
	return nil
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// period limits the decisions a report counts; "" leaves a side open.
type period struct{ from, to string }

func (p period) has(day string) bool {
	return (p.from == "" || day >= p.from) && (p.to == "" || day <= p.to)
}

// tally gathers one office's figures from its queue index entries.
type tally struct {
	counts      api.StatusCounts
	overdue     int
	decidedLate int
	workDays    []float64 // handling time of each decision, in working days
	seconds     []float64 // and in seconds
}

func (s *Service) officeReports(ctx context.Context, offices []api.Office, today string, p period) ([]api.OfficeReport, error) {
	one := ""
	if len(offices) == 1 {
		one = offices[0].ID
	}
	tallies, err := s.tallies(ctx, one, today, p)
	if err != nil {
		return nil, err
	}
	out := make([]api.OfficeReport, 0, len(offices))
	for _, o := range offices {
		t := tallies[o.ID]
		if t == nil {
			t = &tally{}
		}
		r := api.OfficeReport{OfficeID: o.ID, OfficeName: o.Name, Counts: t.counts, Overdue: t.overdue,
			DecidedLate: t.decidedLate, MedianHandlingWorkingDays: median(t.workDays)}
		if h := median(t.seconds); h != nil {
			hours := math.Round(*h/360) / 10
			r.MedianHandlingHours = &hours
		}
		out = append(out, r)
	}
	return out, nil
}

// tallies reads the queue index of one office ("" for all) once.
func (s *Service) tallies(ctx context.Context, officeID, today string, p period) (map[string]*tally, error) {
	out := map[string]*tally{}
	err := s.st.ScanQueue(ctx, officeID, func(it api.QueueItem) bool {
		t := out[it.OfficeID]
		if t == nil {
			t = &tally{}
			out[it.OfficeID] = t
		}
		s.count(t, it, today, p)
		return true
	})
	return out, err
}

func (s *Service) count(t *tally, it api.QueueItem, today string, p period) {
	if it.Status == api.StatusSent {
		t.counts.Sent++
		if api.IsOverdue(it.Status, it.DueDate, today) {
			t.overdue++
		}
		return
	}
	received, err1 := time.Parse(time.RFC3339, it.ReceivedAt)
	decided, err2 := time.Parse(time.RFC3339, it.DecidedAt)
	day := decided.In(s.zone).Format(time.DateOnly)
	if err1 != nil || err2 != nil || !p.has(day) {
		return
	}
	switch it.Status {
	case api.StatusCalculated:
		t.counts.Calculated++
	case api.StatusInvalidated:
		t.counts.Invalidated++
	}
	if day > it.DueDate {
		t.decidedLate++
	}
	t.workDays = append(t.workDays, float64(workingDaysAfter(received.In(s.zone), decided.In(s.zone))))
	t.seconds = append(t.seconds, max(0, decided.Sub(received).Seconds()))
}

// workingDaysAfter counts the working days (Monday–Friday, Belgian legal
// holidays excluded) after the day of from up to and including the day of
// to: the count of the 5-day deadline (RULES.md §11), so a decision on its
// due date took 5, one on the day of receipt 0.
func workingDaysAfter(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, time.UTC)
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !calc.IsLegalHoliday(d) {
			n++
		}
	}
	return n
}

// median of the values, nil when there are none.
func median(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}
