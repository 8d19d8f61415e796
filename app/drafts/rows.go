package drafts

import (
	"slices"
	"strings"

	"art60/server/api"
)

// Row is what the request list shows of one draft, kept beside it so that
// a list of 10,000 requests reads 10,000 short lines instead of 10,000
// drafts with their cases (README, "Performance"). Every write of a draft
// writes its row in the same transaction.
type Row struct {
	ID         string
	Answered   string // when ONEM decided (RFC 3339), "" before: the list's first order
	UpdatedAt  string // RFC 3339
	LastName   string
	FirstName  string
	NISS       string
	Status     api.Status // StatusOf the draft
	End        string     // the contract end in force, EndOf the draft
	Simulation bool
	Editable   bool
}

// Statuses of the device only: a request waiting in the outbox, and one
// the server refused (it came back editable, with the reason).
const (
	StatusPending api.Status = "pending"
	StatusRefused api.Status = "refused"
)

// StatusOf is the status the list shows: "pending" while queued, "refused"
// when the server refused the last send, then the server's status.
func StatusOf(d *Draft) api.Status {
	switch {
	case d.Outbox != 0:
		return StatusPending
	case d.Rejection != nil && d.Remote == nil:
		return StatusRefused
	case d.Remote != nil:
		return d.Remote.Status
	}
	return d.Status
}

// EndOf is the contract end to show for a request: ONEM's or the server's
// once sent (api.Request.ContractEnd), else the device's.
func EndOf(d *Draft) string {
	switch {
	case d.Remote != nil:
		return d.Remote.ContractEnd()
	case d.Result != nil:
		return d.Result.ContractEnd
	}
	return ""
}

// RowOf is the list row of a draft.
func RowOf(d *Draft) Row {
	r := Row{ID: d.ID, UpdatedAt: d.UpdatedAt, LastName: d.LastName, FirstName: d.FirstName,
		NISS: d.Case.Person.NISS, Status: StatusOf(d), End: EndOf(d), Simulation: d.Simulation, Editable: d.Editable()}
	if d.Remote != nil && d.Remote.Decision != nil {
		r.Answered = d.Remote.Decision.DecidedAt
	}
	return r
}

// rowVersion starts an encoded row; a row of another version is rebuilt
// from its draft (IDB.ensureRows).
const rowVersion = "r1"

// sep separates the fields of an encoded row, and rowSep the rows that
// IDB.Rows reads in one string: control characters that a name typed in a
// form does not hold (one that does loses them: fieldOf).
const (
	sep    = "\x1f"
	rowSep = "\x1e"
)

// Encode writes the row as one short string (IndexedDB keeps it as is;
// JSON would cost the list a decoder call per row).
func (r Row) Encode() string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return ""
	}
	return strings.Join([]string{rowVersion, fieldOf(r.ID), fieldOf(r.Answered), fieldOf(r.UpdatedAt), fieldOf(r.LastName),
		fieldOf(r.FirstName), fieldOf(r.NISS), fieldOf(string(r.Status)), fieldOf(r.End), b(r.Simulation), b(r.Editable)}, sep)
}

func fieldOf(s string) string {
	if !strings.ContainsAny(s, sep+rowSep) {
		return s
	}
	return strings.NewReplacer(sep, " ", rowSep, " ").Replace(s)
}

// DecodeRow reads a row written by Encode; ok is false for anything else.
func DecodeRow(s string) (Row, bool) {
	f := strings.Split(s, sep)
	if len(f) != 11 || f[0] != rowVersion {
		return Row{}, false
	}
	return Row{ID: f[1], Answered: f[2], UpdatedAt: f[3], LastName: f[4], FirstName: f[5], NISS: f[6],
		Status: api.Status(f[7]), End: f[8], Simulation: f[9] == "1", Editable: f[10] == "1"}, true
}

// SortRows orders rows as SortForList orders their drafts, rows of equal
// dates in their order in rs. It sorts small keys and moves each row once:
// a Row is ten strings.
func SortRows(rs []Row) {
	type key struct {
		answered, updated string
		i                 int
	}
	keys := make([]key, len(rs))
	for i := range rs {
		keys[i] = key{rs[i].Answered, rs[i].UpdatedAt, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if (a.answered != "") != (b.answered != "") {
			if a.answered != "" {
				return -1
			}
			return 1
		}
		if c := strings.Compare(b.answered, a.answered); c != 0 {
			return c
		}
		if c := strings.Compare(b.updated, a.updated); c != 0 {
			return c
		}
		return a.i - b.i
	})
	sorted := make([]Row, len(rs))
	for k, x := range keys {
		sorted[k] = rs[x.i]
	}
	copy(rs, sorted)
}

// RowBuckets is the number of records the rows are kept in: reading the
// list reads that many records, whatever the number of drafts (10,000
// records of one row each took IndexedDB over a second), and a save
// rewrites one bucket of about 1/64 of the rows.
const RowBuckets = 64

// BucketOf is the bucket of draft id's row (FNV-1a of the id).
func BucketOf(id string) int {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return int(h % RowBuckets)
}

// WithRow returns bucket (rows joined by rowSep) without the row of draft
// id, then with row when it is not "".
func WithRow(bucket, id, row string) string {
	prefix := rowVersion + sep + fieldOf(id) + sep
	var keep []string
	for _, line := range strings.Split(bucket, rowSep) {
		if line != "" && !strings.HasPrefix(line, prefix) {
			keep = append(keep, line)
		}
	}
	if row != "" {
		keep = append(keep, row)
	}
	return strings.Join(keep, rowSep)
}

// Buckets returns the rows of drafts ds by bucket, as stored.
func Buckets(ds []Draft) map[int]string {
	lines := map[int][]string{}
	for i := range ds {
		b := BucketOf(ds[i].ID)
		lines[b] = append(lines[b], RowOf(&ds[i]).Encode())
	}
	out := make(map[int]string, len(lines))
	for b, l := range lines {
		out[b] = strings.Join(l, rowSep)
	}
	return out
}

// SplitRows decodes the rows of buckets joined by rowSep, skipping what
// is not a row.
func SplitRows(all string) []Row {
	out := make([]Row, 0, strings.Count(all, rowSep)+1)
	for _, line := range strings.Split(all, rowSep) {
		if r, ok := DecodeRow(line); ok {
			out = append(out, r)
		}
	}
	return out
}

// listBefore is the list order (seed 004): the newest ONEM answers first,
// then the rest by last change, newest first.
func listBefore(ai, ui, aj, uj string) bool {
	if (ai != "") != (aj != "") {
		return ai != ""
	}
	if ai != aj {
		return ai > aj
	}
	return ui > uj
}
