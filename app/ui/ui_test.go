package ui

import (
	"strings"
	"testing"

	"art60/app/i18n"
	"art60/calc"
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
