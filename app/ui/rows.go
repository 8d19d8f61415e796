package ui

import (
	"strconv"

	"art60/calc"
)

// rows gives every period of the edited case an id that stays with it while
// the editor is open, whatever is added, pasted, duplicated, deleted or moved
// around it. A row's handlers carry that id and look the period up when the
// user acts, never a pointer or an index taken at render time: go-app keeps
// a row component's last render (and its closures) while the row's own
// fields are unchanged, and an append or a deletion replaces the array
// behind such a pointer, so an edit written through it would be lost
// between the screen and the draft.
//
// ids[i] is the id of periods[i]; every change to the periods goes through
// a method here so that the two stay in step. The ids live only in memory:
// the case keeps the wire form of RULES.md §7.
type rows struct {
	ids  []string
	next int
}

// reset gives n periods fresh ids (a draft was loaded or replaced).
func (r *rows) reset(n int) {
	r.ids = make([]string, n)
	for i := range r.ids {
		r.ids[i] = r.newID()
	}
}

// sync resets the ids if the periods changed under them (a length that no
// longer matches), so a stale id can never name another period.
func (r *rows) sync(ps []calc.Period) {
	if len(r.ids) != len(ps) {
		r.reset(len(ps))
	}
}

func (r *rows) newID() string {
	r.next++
	return "r" + strconv.Itoa(r.next)
}

// index is the current position of the row, or -1 once it is gone.
func (r *rows) index(id string) int {
	for i, v := range r.ids {
		if v == id {
			return i
		}
	}
	return -1
}

// edit changes the row's period in place; false when the row is gone (an
// event from a row the user just deleted changes nothing).
func (r *rows) edit(ps []calc.Period, id string, fn func(*calc.Period)) bool {
	i := r.index(id)
	if i < 0 {
		return false
	}
	fn(&ps[i])
	return true
}

// insert puts periods at position at (len(ps) appends) and returns the new
// slice and the new rows' ids.
func (r *rows) insert(ps []calc.Period, at int, add ...calc.Period) ([]calc.Period, []string) {
	ids := make([]string, len(add))
	for i := range ids {
		ids[i] = r.newID()
	}
	out := make([]calc.Period, 0, len(ps)+len(add))
	out = append(append(append(out, ps[:at]...), add...), ps[at:]...)
	r.ids = append(append(append(make([]string, 0, len(out)), r.ids[:at]...), ids...), r.ids[at:]...)
	return out, ids
}

// duplicate inserts a copy of the row just after it; "" when it is gone.
func (r *rows) duplicate(ps []calc.Period, id string) ([]calc.Period, string) {
	i := r.index(id)
	if i < 0 {
		return ps, ""
	}
	c := clonePeriod(ps[i])
	out, ids := r.insert(ps, i+1, c)
	return out, ids[0]
}

// remove deletes the row.
func (r *rows) remove(ps []calc.Period, id string) []calc.Period {
	i := r.index(id)
	if i < 0 {
		return ps
	}
	out := append(append(make([]calc.Period, 0, len(ps)-1), ps[:i]...), ps[i+1:]...)
	r.ids = append(append(make([]string, 0, len(out)), r.ids[:i]...), r.ids[i+1:]...)
	return out
}

// swap exchanges two rows (moving one up or down in its table).
func (r *rows) swap(ps []calc.Period, a, b string) []calc.Period {
	i, j := r.index(a), r.index(b)
	if i < 0 || j < 0 {
		return ps
	}
	out := append([]calc.Period(nil), ps...)
	out[i], out[j] = out[j], out[i]
	r.ids[i], r.ids[j] = r.ids[j], r.ids[i]
	return out
}

// clonePeriod copies a period with its own numbers, so that editing the
// copy never changes the original through a shared pointer.
func clonePeriod(p calc.Period) calc.Period {
	for _, f := range []**float64{&p.DaysPerWeek, &p.Q, &p.S, &p.Days, &p.Hours} {
		if *f != nil {
			v := **f
			*f = &v
		}
	}
	for _, f := range []**bool{&p.FrontierWorker, &p.ChildDisability} {
		if *f != nil {
			v := **f
			*f = &v
		}
	}
	if p.ChildBirthDate != nil {
		v := *p.ChildBirthDate
		p.ChildBirthDate = &v
	}
	return p
}

// rowKey names a field of a period by its row id ("row:r3.to") so that a
// mark (touched, a typing error) follows the row when rows before it are
// deleted or moved; other paths are their own key.
func (r *rows) rowKey(path string) string {
	i, field, ok := parsePeriodPath(path)
	if !ok || i < 0 || i >= len(r.ids) {
		return path
	}
	return "row:" + r.ids[i] + "." + field
}
