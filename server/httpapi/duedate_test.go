package httpapi

import (
	"testing"
	"time"

	"art60/calc"
	"art60/server/api"
)

// dueDates: ONEM answers "dans les cinq jours ouvrables à compter du jour
// ouvrable suivant la réception" (seed 000; RULES.md §11): Monday to Friday,
// Belgian legal holidays excluded, day 1 being the first working day after
// the day of receipt (Europe/Brussels). Good Friday, 24 and 26 December and
// 31 December are working days in Belgium; Easter Monday, 1 May, Ascension,
// Whit Monday, 25 December and 1 January are not.
var dueDates = []struct {
	name, received, due string // received: RFC 3339
}{
	{"Easter: Thursday before, Easter Monday skipped", "2025-04-17T10:00:00+02:00", "2025-04-25"},
	{"Easter: Saturday before", "2025-04-19T11:00:00+02:00", "2025-04-28"},
	{"Easter: received on Easter Monday", "2025-04-21T09:00:00+02:00", "2025-04-28"},
	{"Easter 2026: Friday before", "2026-04-03T16:00:00+02:00", "2026-04-13"},
	{"1 May: Monday before", "2025-04-28T10:00:00+02:00", "2025-05-06"},
	{"1 May: the day before", "2025-04-30T10:00:00+02:00", "2025-05-08"},
	{"Ascension: Monday before", "2025-05-26T10:00:00+02:00", "2025-06-03"},
	{"Ascension: the day before", "2025-05-28T10:00:00+02:00", "2025-06-05"},
	{"Ascension then Whit Monday", "2025-06-04T10:00:00+02:00", "2025-06-12"},
	{"Christmas: Monday 22 December", "2025-12-22T10:00:00+01:00", "2025-12-30"},
	{"Christmas Eve to New Year: both skipped", "2025-12-24T10:00:00+01:00", "2026-01-02"},
	{"received on Christmas Day", "2025-12-25T10:00:00+01:00", "2026-01-02"},
	{"Friday 26 December", "2025-12-26T10:00:00+01:00", "2026-01-05"},
	{"New Year's Eve", "2025-12-31T10:00:00+01:00", "2026-01-08"},
	{"Christmas 2026 on a Friday", "2026-12-24T10:00:00+01:00", "2027-01-04"},
	// 23:30 UTC is already the 24th in Brussels: the Brussels date counts.
	{"late evening: the Brussels date counts", "2025-12-23T23:30:00Z", "2026-01-02"},
}

// TestDueDatesAcrossHolidays checks the due date the server stamps on a
// submission, through the API (push receipt and queue), and calc.DueDate
// on its own.
func TestDueDatesAcrossHolidays(t *testing.T) {
	f := newFixture(t)
	brussels, _ := time.LoadLocation("Europe/Brussels")
	for _, tc := range dueDates {
		t.Run(tc.name, func(t *testing.T) {
			received, err := time.Parse(time.RFC3339, tc.received)
			if err != nil {
				t.Fatal(err)
			}
			if got := calc.DueDate(received.In(brussels)).Format(time.DateOnly); got != tc.due {
				t.Errorf("calc.DueDate: %s, want %s", got, tc.due)
			}
			f.setNow(func() time.Time { return received })
			// Sessions last hours: each moment of the story signs in anew.
			agent := f.login("agent-a")
			sub := submission()
			if got := f.login("worker-a").submit(sub).Receipt.DueDate; got != tc.due {
				t.Errorf("receipt: due %s, want %s", got, tc.due)
			}
			item := queueItemOf(t, agent, sub.ID)
			if item.DueDate != tc.due || item.Overdue {
				t.Errorf("queue on the day of receipt: %+v", item)
			}
			due, _ := time.ParseInLocation(time.DateOnly, tc.due, brussels)
			f.setNow(func() time.Time { return due.Add(23 * time.Hour) }) // late on the due date: still in time
			if item := queueItemOf(t, f.login("agent-a"), sub.ID); item.Overdue {
				t.Errorf("overdue on its due date: %+v", item)
			}
			f.setNow(func() time.Time { return due.Add(25 * time.Hour) }) // the day after
			if item := queueItemOf(t, f.login("agent-a"), sub.ID); !item.Overdue {
				t.Errorf("not overdue the day after its due date: %+v", item)
			}
		})
	}
}

// queueItemOf finds a sent request in the agent's queue.
func queueItemOf(t *testing.T, agent *client, id string) api.QueueItem {
	t.Helper()
	var q api.QueueReply
	res := agent.do("GET", "/api/v1/queue", nil)
	res.decode(t, &q)
	for _, it := range q.Items {
		if it.RequestID == id {
			return it
		}
	}
	t.Fatalf("%s not in the queue: %s", id, res.body)
	return api.QueueItem{}
}
