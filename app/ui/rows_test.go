package ui

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"art60/calc"
)

// model is the editor's side of the periods: the case's slice and the
// row ids, changed only the way the editor's handlers change them.
type model struct {
	ps   []calc.Period
	rows rows
}

// refRow is the reference: a plain list of (id, period) that every
// operation keeps by the obvious means.
type refRow struct {
	id string
	p  calc.Period
}

func num(v float64) *float64 { return &v }

// handler is what a rendered row keeps: the row id and the field, nothing
// that points into the slice.
type handler struct {
	id   string
	edit func(p *calc.Period)
}

// TestRowOperationsNeverLoseAnEdit runs random sequences of add, paste,
// duplicate, delete, move and edit, where edits come from handlers made at
// an earlier "render" (as go-app keeps them for an unchanged row), and
// checks after each step that the case holds exactly what the reference
// list holds, in the same order.
func TestRowOperationsNeverLoseAnEdit(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		m := &model{}
		var ref []refRow
		var rendered []handler // handlers of the last render, possibly stale
		render := func() {
			rendered = rendered[:0]
			for _, id := range m.rows.ids {
				v := rng.IntN(1000)
				rendered = append(rendered, handler{id: id, edit: func(p *calc.Period) {
					p.To = fmt.Sprintf("2020-01-%02d", v%28+1)
					p.Q = num(float64(v))
				}})
			}
		}
		pick := func() string { // an id that may be gone
			if len(rendered) == 0 || rng.IntN(10) == 0 {
				return "r-unknown"
			}
			return rendered[rng.IntN(len(rendered))].id
		}
		for step := 0; step < 60; step++ {
			op := rng.IntN(7)
			switch op {
			case 0: // add one row
				p := calc.Period{Kind: "work", From: fmt.Sprintf("2019-%02d-01", step%12+1)}
				var ids []string
				m.ps, ids = m.rows.insert(m.ps, len(m.ps), p)
				ref = append(ref, refRow{ids[0], p})
			case 1: // paste several rows
				add := []calc.Period{{Kind: "work", Label: fmt.Sprint("a", step)}, {Kind: "work", Label: fmt.Sprint("b", step)}}
				var ids []string
				m.ps, ids = m.rows.insert(m.ps, len(m.ps), add...)
				ref = append(ref, refRow{ids[0], add[0]}, refRow{ids[1], add[1]})
			case 2: // duplicate
				id := pick()
				var copyID string
				m.ps, copyID = m.rows.duplicate(m.ps, id)
				if i := refIndex(ref, id); i >= 0 {
					ref = append(ref[:i+1], append([]refRow{{copyID, clonePeriod(ref[i].p)}}, ref[i+1:]...)...)
				} else if copyID != "" {
					t.Fatalf("seed %d: duplicated a row that is gone", seed)
				}
			case 3: // delete
				id := pick()
				m.ps = m.rows.remove(m.ps, id)
				if i := refIndex(ref, id); i >= 0 {
					ref = append(ref[:i:i], ref[i+1:]...)
				}
			case 4: // move: swap two rows
				a, b := pick(), pick()
				m.ps = m.rows.swap(m.ps, a, b)
				if i, j := refIndex(ref, a), refIndex(ref, b); i >= 0 && j >= 0 {
					ref[i], ref[j] = ref[j], ref[i]
				}
			case 5, 6: // edit through a handler of the last render
				if len(rendered) == 0 {
					continue
				}
				h := rendered[rng.IntN(len(rendered))]
				ok := m.rows.edit(m.ps, h.id, h.edit)
				i := refIndex(ref, h.id)
				if ok != (i >= 0) {
					t.Fatalf("seed %d: edit of %s applied=%v, row present=%v", seed, h.id, ok, i >= 0)
				}
				if i >= 0 {
					h.edit(&ref[i].p)
				}
			}
			if rng.IntN(3) == 0 {
				render() // not every step re-renders: old handlers stay in use
			}
			checkSame(t, seed, step, m, ref)
		}
	}
}

func refIndex(ref []refRow, id string) int {
	for i, r := range ref {
		if r.id == id {
			return i
		}
	}
	return -1
}

func checkSame(t *testing.T, seed uint64, step int, m *model, ref []refRow) {
	t.Helper()
	if len(m.ps) != len(ref) || len(m.rows.ids) != len(ref) {
		t.Fatalf("seed %d step %d: %d periods, %d ids, want %d", seed, step, len(m.ps), len(m.rows.ids), len(ref))
	}
	for i, r := range ref {
		if m.rows.ids[i] != r.id || !reflect.DeepEqual(m.ps[i], r.p) {
			t.Fatalf("seed %d step %d: row %d is %s %+v, want %s %+v", seed, step, i, m.rows.ids[i], m.ps[i], r.id, r.p)
		}
	}
}

// TestADuplicateHasItsOwnNumbers: changing the copy's numbers in place
// leaves the original alone.
func TestADuplicateHasItsOwnNumbers(t *testing.T) {
	var r rows
	ps, ids := r.insert(nil, 0, calc.Period{Kind: "work", Q: num(19), S: num(38)})
	ps, copyID := r.duplicate(ps, ids[0])
	r.edit(ps, copyID, func(p *calc.Period) { *p.Q = 10 })
	if *ps[0].Q != 19 || *ps[1].Q != 10 {
		t.Fatalf("original Q %v, copy Q %v", *ps[0].Q, *ps[1].Q)
	}
}

// TestMarksFollowTheirRow: a field's mark (touched, typing error) is keyed
// by row id, so deleting a row above does not move it to another row.
func TestMarksFollowTheirRow(t *testing.T) {
	var r rows
	ps, ids := r.insert(nil, 0, calc.Period{}, calc.Period{}, calc.Period{})
	key := r.rowKey("periods[2].to")
	if key != "row:"+ids[2]+".to" {
		t.Fatalf("key %q", key)
	}
	ps = r.remove(ps, ids[0])
	if got := r.rowKey("periods[1].to"); got != key {
		t.Fatalf("after deleting row 1 the third row's key is %q, want %q", got, key)
	}
	if got := r.rowKey("contract.start"); got != "contract.start" {
		t.Fatalf("a path outside the periods became %q", got)
	}
	if got := r.rowKey("periods[9].to"); got != "periods[9].to" || len(ps) != 2 {
		t.Fatalf("a path past the rows became %q", got)
	}
}
