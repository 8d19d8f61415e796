package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"
)

func TestResolveRoutes(t *testing.T) {
	id := "0f8fad5b-d9cb-469f-a165-70867728950e"
	for path, want := range map[string]Page{
		"/": PageRequests, "/requests/new": PageEditor, "/simulate": PageSimulate, "/queue": PageQueue,
		"/login": PageLogin, "/requests/" + id: PageDetail, "/requests/" + id + "/edit": PageEditor,
		"/requests/NOT-A-UUID": PageNotFound, "/etc/passwd": PageNotFound,
	} {
		if got, _ := resolve(path); got != want {
			t.Errorf("resolve(%q) = %v, want %v", path, got, want)
		}
	}
	if _, got := resolve("/requests/" + id); got != id {
		t.Errorf("request id %q", got)
	}
}

func TestParsePastedRows(t *testing.T) {
	text := "02/01/2023\t30/06/2023\tInterim SA\t5\t19\t38\tbe\n\n" +
		"03/07/2023;29/09/2023;Titres-services\n" +
		"not a date\t30/06/2023\n" +
		"01/10/2023\t31/10/2023\tX\tfive\n"
	rows, bad := parsePastedRows(text)
	if bad != 2 || len(rows) != 2 {
		t.Fatalf("rows %d bad %d, want 2 and 2: %+v", len(rows), bad, rows)
	}
	r := rows[0]
	if r.Kind != "work" || r.From != "2023-01-02" || r.To != "2023-06-30" || r.Label != "Interim SA" ||
		*r.DaysPerWeek != 5 || *r.Q != 19 || *r.S != 38 || r.Country != "BE" {
		t.Errorf("first row %+v", r)
	}
	if rows[1].Q != nil || rows[1].Label != "Titres-services" {
		t.Errorf("second row %+v", rows[1])
	}
}

func TestPeriodPath(t *testing.T) {
	if row, field, ok := parsePeriodPath("periods[12].to"); !ok || row != 12 || field != "to" {
		t.Errorf("got %d %q %v", row, field, ok)
	}
	for _, bad := range []string{"contract.start", "periods[x].to", "periods[3]"} {
		if _, _, ok := parsePeriodPath(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestSniffType(t *testing.T) {
	for data, want := range map[string]string{
		"%PDF-1.7 ...": "application/pdf", "\x89PNG\r\n\x1a\nrest": "image/png", "\xff\xd8\xff\xe0": "image/jpeg",
		"MZ\x90\x00 a program": "", "<svg>": "",
	} {
		if got := sniffType([]byte(data)); got != want {
			t.Errorf("sniffType(%q) = %q, want %q", data, got, want)
		}
	}
}

func TestTimelineSVG(t *testing.T) {
	tl := calc.Timeline{From: "2022-10-06", To: "2024-07-06", Spans: []calc.TimelineSpan{
		{Role: "window", From: "2022-10-06", To: "2024-07-05"},
		{Role: "period", From: "2023-01-02", To: "2023-06-30", Kind: "work", Treatment: "credit"},
		{Role: "contract", From: "2024-01-08", To: "2024-07-05"},
		{Role: "end", From: "2024-07-05", To: "2024-07-05"},
		{Role: "claim", From: "2024-07-06", To: "2024-07-06"},
	}}
	svg := timelineSVG(tl, i18n.NL, nil)
	for _, want := range []string{`role="img"`, "Tijdlijn van 06/10/2022 tot 06/07/2024", `class="tl-credit"`, `class="tl-window"`,
		`class="tl-contract"`, ">E<", ">C<", ">2023<", ">2024<", "Loontrekkende arbeid"} {
		if !strings.Contains(svg, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if strings.Contains(svg, "style=") || strings.Contains(svg, "<script") {
		t.Error("timeline has inline style or script (the CSP forbids them)")
	}
	if timelineSVG(calc.Timeline{From: "x", To: "y"}, i18n.FR, nil) != "" {
		t.Error("a timeline without dates was drawn")
	}
}

// TestTimelineNamesJobsAndKeepsEAndCApart: a job is named by its label
// (its kind when it has none, a long one cut), E's letter stands left of
// its line and C's right, so they never overlap.
func TestTimelineNamesJobsAndKeepsEAndCApart(t *testing.T) {
	tl := calc.Timeline{From: "2023-01-01", To: "2024-07-06", Spans: []calc.TimelineSpan{
		{Role: "period", Index: 0, From: "2023-01-02", To: "2023-03-31", Kind: "work", Treatment: "credit"},
		{Role: "period", Index: 1, From: "2023-04-03", To: "2023-06-30", Kind: "work", Treatment: "credit"},
		{Role: "period", Index: 2, From: "2023-07-03", To: "2023-08-31", Kind: "work", Treatment: "credit"},
		{Role: "end", From: "2024-07-05", To: "2024-07-05"},
		{Role: "claim", From: "2024-07-06", To: "2024-07-06"},
	}}
	svg := timelineSVG(tl, i18n.FR, []string{"Boulangerie Dupont", "", "Entreprise de nettoyage industriel du Hainaut"})
	for _, want := range []string{">Boulangerie Dupont<", ">Travail salarié<", ">Entreprise de nettoyage…<",
		`class="tl-mark tl-end"`, `class="tl-mark tl-claim"`, `text-anchor="end"`, `text-anchor="start"`,
		"E : fin du contrat — 05/07/2024"} {
		if !strings.Contains(svg, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
}

// TestParsePastedFrontierColumn: the optional 8th column marks a frontier
// worker (RULES.md §7, §12.11) with a yes in any of the four languages; any
// other text, or none, leaves the mark absent (calc refuses false on rows
// where the field does not apply, so absent is the only safe "no").
func TestParsePastedFrontierColumn(t *testing.T) {
	yes := []string{"1", "oui", "OUI", "ja", "Ja", "yes", "YES", "x", "X", " x "}
	no := []string{"", "0", "non", "nee", "nein", "no", "false", "vrai"}
	for _, v := range yes {
		rows, bad := parsePastedRows("02/01/2023\t30/06/2023\tLuxembourg SA\t5\t38\t38\tlu\t" + v)
		if bad != 0 || len(rows) != 1 || rows[0].FrontierWorker == nil || !*rows[0].FrontierWorker || rows[0].Country != "LU" {
			t.Errorf("frontier %q: rows %+v bad %d", v, rows, bad)
		}
	}
	for _, v := range no {
		rows, bad := parsePastedRows("02/01/2023;30/06/2023;X;5;38;38;FR;" + v)
		if bad != 0 || len(rows) != 1 || rows[0].FrontierWorker != nil {
			t.Errorf("frontier %q: rows %+v bad %d", v, rows, bad)
		}
	}
	// Seven columns, as before revision 2: nothing set.
	rows, _ := parsePastedRows("02/01/2023\t30/06/2023\tX\t5\t38\t38\tFR")
	if len(rows) != 1 || rows[0].FrontierWorker != nil || rows[0].ChildBirthDate != nil || rows[0].ChildDisability != nil {
		t.Errorf("seven columns: %+v", rows)
	}
	// The paste hint documents the column in every language.
	for lang, word := range map[i18n.Lang]string{i18n.FR: "frontalier", i18n.NL: "grensarbeider", i18n.DE: "Grenzgänger", i18n.EN: "frontier"} {
		if h := i18n.T(lang, "paste.hint"); !strings.Contains(h, word) {
			t.Errorf("%s paste hint lacks %q: %s", lang, word, h)
		}
	}
}

// TestClonePeriodCopiesRevision2Fields: a duplicated row has its own
// frontier mark, child's birth date and disability mark.
func TestClonePeriodCopiesRevision2Fields(t *testing.T) {
	yes, date := true, "2020-05-04"
	p := calc.Period{Kind: "child_raising", ChildBirthDate: &date, ChildDisability: &yes, FrontierWorker: &yes}
	c := clonePeriod(p)
	if c.ChildBirthDate == p.ChildBirthDate || c.ChildDisability == p.ChildDisability || c.FrontierWorker == p.FrontierWorker {
		t.Fatal("the copy shares a pointer with the original")
	}
	*c.ChildBirthDate, *c.ChildDisability, *c.FrontierWorker = "2019-01-01", false, false
	if *p.ChildBirthDate != "2020-05-04" || !*p.ChildDisability || !*p.FrontierWorker {
		t.Errorf("editing the copy changed the original: %+v", p)
	}
}

// TestClearInapplicable: changing a row's kind or country drops the fields
// of revision 2 that calc would refuse there (RULES.md §7).
func TestClearInapplicable(t *testing.T) {
	e := &editor{local: map[string]string{}}
	e.rows.reset(1)
	yes, date := true, "2020-05-04"
	p := calc.Period{Kind: "work", Country: "FR", FrontierWorker: &yes}
	e.clearInapplicable(&p, 0)
	if p.FrontierWorker == nil {
		t.Error("the mark was dropped on work abroad")
	}
	p.Country = "BE"
	e.clearInapplicable(&p, 0)
	if p.FrontierWorker != nil {
		t.Error("the mark stayed on Belgian work")
	}
	p = calc.Period{Kind: "child_raising", ChildBirthDate: &date, ChildDisability: &yes}
	e.local[e.rows.rowKey(periodPath(0, "childBirthDate"))] = "bad date"
	e.clearInapplicable(&p, 0)
	if p.ChildBirthDate == nil || p.ChildDisability == nil {
		t.Error("child fields dropped on child raising")
	}
	p.Kind = "studies"
	e.clearInapplicable(&p, 0)
	if p.ChildBirthDate != nil || p.ChildDisability != nil || len(e.local) != 0 {
		t.Errorf("child fields or their typing error stayed: %+v %v", p, e.local)
	}
}

// storedRequest is a request as the server keeps it: the case and the
// figures computed for it when it was received.
func storedRequest(t *testing.T, c calc.Case, res *calc.Result) *api.Request {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	r := &api.Request{Result: res}
	r.ID, r.Case = "r", data
	return r
}

// TestRulesNow: a stored request whose figures calc finds again shows no
// banner; one computed under other rules (here: another end date, as a
// request computed before revision 2 of RULES.md would have) says what the
// current rules give, and its own figures stay.
func TestRulesNow(t *testing.T) {
	five, full := 5.0, 38.0
	c := calc.Case{Person: calc.Person{BirthDate: "1998-06-01"},
		Contract: calc.Contract{Start: "2024-01-08", DaysPerWeek: &five, Q: &full, S: &full},
		Periods:  []calc.Period{{Kind: "work", From: "2023-01-02", To: "2023-06-30"}}}
	cur, err := calc.Solve(&c, "fr")
	if err != nil || cur.ContractEnd == nil || *cur.ContractEnd != "2024-07-05" {
		t.Fatalf("V2: %v %+v", err, cur)
	}
	if _, changed := rulesNow(storedRequest(t, c, cur), i18n.FR); changed {
		t.Error("the same figures are reported as changed")
	}
	old := *cur
	oldEnd := "2024-08-02"
	old.ContractEnd, old.ContractScheduledDays = &oldEnd, cur.ContractScheduledDays+20
	r := storedRequest(t, c, &old)
	now, changed := rulesNow(r, i18n.FR)
	if !changed || now.result == nil || *now.result.ContractEnd != "2024-07-05" {
		t.Fatalf("changed %v, now %+v", changed, now.result)
	}
	if *r.Result.ContractEnd != oldEnd {
		t.Error("the stored figures were replaced")
	}
	for lang, want := range map[i18n.Lang]string{
		i18n.FR: "fin du contrat le 05/07/2024", i18n.NL: "einde van het contract op 05/07/2024",
		i18n.DE: "Vertragsende am 05/07/2024", i18n.EN: "contract end on 05/07/2024",
	} {
		now, _ := rulesNow(r, lang)
		text := i18n.T(lang, "rules.changed", "now", view{lang}.rulesNowText(now))
		if !strings.Contains(text, want) || !strings.Contains(text, "06/07/2024") || strings.Contains(text, "{") {
			t.Errorf("%s: %s", lang, text)
		}
	}
	// Nothing stored, or a case that does not decode: nothing to compare.
	if _, changed := rulesNow(storedRequest(t, calc.Case{}, nil), i18n.FR); changed {
		t.Error("a request without figures is reported as changed")
	}
	bad := storedRequest(t, c, cur)
	bad.Case = []byte(`nope`)
	if _, changed := rulesNow(bad, i18n.FR); changed {
		t.Error("an undecodable case is reported as changed")
	}
	// Stored as unreachable, computed now: changed.
	unreach := storedRequest(t, c, nil)
	unreach.Unreachable = &calc.UnreachableError{}
	if _, changed := rulesNow(unreach, i18n.FR); !changed {
		t.Error("an unreachable request now computed is not reported")
	}
}

// TestSameFigures: the figures decide, not the words of the steps or the
// language.
func TestSameFigures(t *testing.T) {
	end, other := "2024-07-05", "2024-07-08"
	a := &calc.Result{ContractEnd: &end, ClaimDate: "2024-07-06", ContractScheduledDays: 129, ContractCredit: 154.8,
		RequiredDays: 312, ReferenceMonths: 21, RuleSet: calc.RuleSetRef{ID: "ar1991"},
		Window: &calc.Window{From: "2022-10-06", To: "2024-07-05"}, Steps: []string{"un"}, Warnings: []string{"w"}}
	b := *a
	b.Steps, b.Warnings, b.Option = []string{"one"}, nil, "312 days"
	if !sameFigures(a, &b) {
		t.Error("other words, same figures: reported different")
	}
	for name, change := range map[string]func(r *calc.Result){
		"end":        func(r *calc.Result) { r.ContractEnd = &other },
		"no end":     func(r *calc.Result) { r.ContractEnd = nil },
		"claim":      func(r *calc.Result) { r.ClaimDate = "2024-07-09" },
		"days":       func(r *calc.Result) { r.ContractScheduledDays++ },
		"credit":     func(r *calc.Result) { r.ContractCredit = 155 },
		"before":     func(r *calc.Result) { r.CreditedBeforeContract = 1 },
		"required":   func(r *calc.Result) { r.RequiredDays = 234 },
		"months":     func(r *calc.Result) { r.ReferenceMonths = 33 },
		"rule set":   func(r *calc.Result) { r.RuleSet.ID = "pl2025" },
		"window":     func(r *calc.Result) { r.Window = &calc.Window{From: "2022-10-01", To: "2024-07-05", ExtensionDays: 5} },
		"admissible": func(r *calc.Result) { r.AlreadyAdmissible = true },
	} {
		c := *a
		change(&c)
		if sameFigures(a, &c) {
			t.Errorf("%s changed: reported the same", name)
		}
	}
}

// TestCaseSummaryShowsTheFactsOnlySomeKindsCarry: the read-only case names
// a frontier worker and a child's birth date and disability.
func TestCaseSummaryShowsTheFactsOnlySomeKindsCarry(t *testing.T) {
	yes, born := true, "2021-03-15"
	got := view{i18n.FR}.periodNotes(calc.Period{Kind: "child_raising", Label: "Léa", ChildBirthDate: &born, ChildDisability: &yes})
	if got != "Léa · Naissance de l'enfant : 15/03/2021 · Enfant en situation de handicap" {
		t.Errorf("child raising: %q", got)
	}
	frontier := calc.Period{Kind: "work", Country: "FR", FrontierWorker: &yes}
	if got := (view{i18n.NL}).periodNotes(frontier); got != i18n.T(i18n.NL, "period.frontierWorker") {
		t.Errorf("frontier worker: %q", got)
	}
}

// TestAFailedSendGoesToTheFirstFieldOnScreen: the keyboard focus goes to
// the error highest on the screen, rows in their order (row 3 before 11).
func TestAFailedSendGoesToTheFirstFieldOnScreen(t *testing.T) {
	e := &editor{local: map[string]string{"referenceEmail": "x"}, out: outcome{errs: map[string]string{
		"periods[10].to": "x", "periods[2].from": "x", "options.claimDays": "x"}}}
	e.rows.reset(12)
	if got := e.firstErrorPath(); got != "periods[2].from" {
		t.Errorf("first error %q, want periods[2].from", got)
	}
	e.local[e.rows.rowKey("periods[1].to")] = "typing error"
	if got := e.firstErrorPath(); got != "periods[1].to" {
		t.Errorf("a typing error in row 2: first error %q", got)
	}
	e.out.errs["contract.start"] = "x"
	if got := e.firstErrorPath(); got != "contract.start" {
		t.Errorf("first error %q, want contract.start", got)
	}
}

// TestTheTimelineShowsTheEndONEMDecided: after a decision that corrected
// the end date, the picture marks ONEM's date beside the computed E, with
// its own letters under the bars and a legend entry; without a correction
// (or with the same date) nothing is added.
func TestTheTimelineShowsTheEndONEMDecided(t *testing.T) {
	tl := calc.Timeline{From: "2023-01-01", To: "2024-07-06", Spans: []calc.TimelineSpan{
		{Role: "contract", From: "2024-01-08", To: "2024-07-05"},
		{Role: "end", From: "2024-07-05", To: "2024-07-05"},
		{Role: "claim", From: "2024-07-06", To: "2024-07-06"},
	}}
	computed, corrected := "2024-07-05", "2024-07-12"
	decided := &api.Request{Result: &calc.Result{ContractEnd: &computed}, Decision: &api.Decision{ContractEnd: &corrected}}
	end := onemEnd(decided)
	if end != corrected {
		t.Fatalf("onemEnd = %q, want %q", end, corrected)
	}
	if got := withONEMEnd(tl, end).To; got != corrected {
		t.Errorf("the picture ends on %s, want ONEM's end %s, after the computed claim date", got, corrected)
	}
	svg := timelineSVG(withONEMEnd(tl, end), i18n.NL, nil)
	for _, want := range []string{`class="tl-mark tl-onem-end"`, ">E RVA<", "E RVA: einde van het contract volgens de RVA — 12/07/2024",
		`class="tl-mark tl-end"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	same := &api.Request{Result: &calc.Result{ContractEnd: &computed}, Decision: &api.Decision{ContractEnd: &computed}}
	for _, r := range []*api.Request{nil, {}, same, {Decision: &api.Decision{}}} {
		if e := onemEnd(r); e != "" {
			t.Errorf("onemEnd(%+v) = %q, want none", r, e)
		}
	}
	if svg := timelineSVG(withONEMEnd(tl, ""), i18n.FR, nil); strings.Contains(svg, "onem-end") {
		t.Error("a timeline without a correction marks ONEM's end")
	}
}
