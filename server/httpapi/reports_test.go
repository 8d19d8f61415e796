package httpapi

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// reportFixture: in Namur, three decisions and two requests still sent,
// one of them overdue on 2026-11-24; in Liège, one sent request.
//
//	received           decided             working days  hours  due
//	Mon 02/11 10:00    Wed 04/11 16:00 C   2 (3, 4)      54     09/11
//	Mon 02/11 11:00    Tue 10/11 11:00 C   6 (late)      192    09/11
//	Tue 10/11 09:00    Thu 12/11 09:00 I   1 (11/11 off) 48     18/11
//	Mon 16/11 10:00    sent, overdue on 24/11                   23/11
//	Fri 20/11 10:00    sent                                     27/11
func reportFixture(t *testing.T) *fixture {
	f := newFixture(t)
	worker, agent := f.login("worker-a"), f.login("agent-a")
	submitAt := func(at string) string {
		f.at(at)
		s := submission()
		worker.submit(s)
		return s.ID
	}
	a, b := submitAt("2026-11-02 10:00"), submitAt("2026-11-02 11:00")
	c := submitAt("2026-11-10 09:00")
	submitAt("2026-11-16 10:00")
	submitAt("2026-11-20 10:00")
	f.at("2026-11-23 10:00")
	f.login("worker-b").submit(submission())
	for _, d := range []struct {
		at, id  string
		outcome api.Status
	}{{"2026-11-04 16:00", a, api.StatusCalculated}, {"2026-11-10 11:00", b, api.StatusCalculated},
		{"2026-11-12 09:00", c, api.StatusInvalidated}} {
		f.at(d.at)
		decideOK(t, agent, d.id, api.DecisionRequest{Outcome: d.outcome, Remark: "r"})
	}
	f.at("2026-11-24 09:00")
	return f
}

func report(t *testing.T, c *client, query string) api.ReportReply {
	t.Helper()
	res := c.do("GET", "/api/v1/reports"+query, nil)
	if res.status != 200 {
		t.Fatalf("reports%s: %d %s", query, res.status, res.body)
	}
	var r api.ReportReply
	res.decode(t, &r)
	return r
}

func num(v *float64) float64 {
	if v == nil {
		return -1
	}
	return *v
}

// TestReports: per office counts, overdue, late decisions and median
// handling times, for an agent (their office) and the admin (all), with a
// period, and the same figures in /metrics.
func TestReports(t *testing.T) {
	f := reportFixture(t)
	agent := f.login("agent-a")
	r := report(t, agent, "")
	if r.Today != "2026-11-24" || len(r.Offices) != 1 {
		t.Fatalf("%+v", r)
	}
	namur := r.Offices[0]
	want := api.StatusCounts{Sent: 2, Calculated: 2, Invalidated: 1}
	if namur.OfficeID != "namur" || namur.Counts != want || namur.Overdue != 1 || namur.DecidedLate != 1 ||
		num(namur.MedianHandlingWorkingDays) != 2 || num(namur.MedianHandlingHours) != 54 {
		t.Fatalf("namur %+v %v %v", namur, num(namur.MedianHandlingWorkingDays), num(namur.MedianHandlingHours))
	}
	period := report(t, agent, "?from=2026-11-05&to=2026-11-11").Offices[0]
	if period.Counts != (api.StatusCounts{Sent: 2, Calculated: 1}) || num(period.MedianHandlingWorkingDays) != 6 ||
		num(period.MedianHandlingHours) != 192 || period.Overdue != 1 {
		t.Fatalf("period %+v", period)
	}
	liege := report(t, f.login("agent-b"), "").Offices
	if len(liege) != 1 || liege[0].OfficeID != "liege" || liege[0].Counts != (api.StatusCounts{Sent: 1}) ||
		liege[0].MedianHandlingHours != nil {
		t.Fatalf("liège %+v", liege)
	}
	all := report(t, f.login("admin"), "")
	if len(all.Offices) != len(store.Offices()) {
		t.Fatalf("admin sees %d offices", len(all.Offices))
	}
	for _, o := range all.Offices {
		if o.OfficeID == "namur" && (o.Counts != want || o.Overdue != 1) {
			t.Errorf("admin's namur %+v", o)
		}
	}
	for query, field := range map[string]string{"?from=2026-13-01": "from", "?from=2026-11-10&to=2026-11-01": "to"} {
		res := agent.do("GET", "/api/v1/reports"+query, nil)
		if res.status != 422 || !hasField(res.errorBody(t), field) {
			t.Errorf("%s: %d %s", query, res.status, res.body)
		}
	}
	if res := f.login("worker-a").do("GET", "/api/v1/reports", nil); res.status != 403 {
		t.Errorf("worker: %d", res.status)
	}
	metrics := scrape(t, f)
	for _, line := range []string{
		`art60_requests{office="namur",status="sent"} 2`,
		`art60_requests{office="namur",status="calculated"} 2`,
		`art60_requests{office="namur",status="invalidated"} 1`,
		`art60_requests{office="liege",status="sent"} 1`,
		`art60_requests_overdue{office="namur"} 1`,
		`art60_requests_decided_late{office="namur"} 1`,
		`art60_handling_seconds_count{office="namur"} 3`,
		`art60_handling_seconds_bucket{office="namur",le="259200"} 2`, // 48 h and 54 h within 3 days
		`art60_handling_working_days_median{office="namur"} 2`,
		`art60_mail_outbox{state="pending"} 3`,
	} {
		if !strings.Contains(metrics, line+"\n") {
			t.Errorf("metrics lack %s", line)
		}
	}
}

func scrape(t *testing.T, f *fixture) string {
	t.Helper()
	res, err := http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestWorkingDaysAfter: the handling time counts like the deadline.
func TestWorkingDaysAfter(t *testing.T) {
	zone, _ := time.LoadLocation("Europe/Brussels")
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, zone)
		return d.Add(10 * time.Hour)
	}
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2025-12-22", "2025-12-22", 0},
		{"2025-12-22", "2025-12-30", 5}, // received Monday, decided on its due date
		{"2025-12-24", "2026-01-02", 5}, // 25 December and 1 January off
		{"2025-04-18", "2025-04-22", 1}, // Good Friday received; Easter Monday off
		{"2025-11-08", "2025-11-10", 1}, // Saturday received
	} {
		if got := workingDaysAfter(day(tc.from), day(tc.to)); got != tc.want {
			t.Errorf("%s → %s: %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}
