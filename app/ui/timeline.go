package ui

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"art60/app/i18n"
	"art60/calc"
)

// Geometry of the timeline picture, in SVG user units.
const (
	tlWidth  = 860
	tlLeft   = 150 // room for the row labels
	tlRow    = 22
	tlBar    = 14
	tlHeader = 24
)

// timelineSVG draws the window, its extension, every period coloured by
// treatment and named by its label (labels, by period index; its kind when
// it has none), the contract, E and C. It is plain SVG text (no script, no
// inline style, so the CSP holds) with a text alternative for screen readers.
func timelineSVG(tl calc.Timeline, lang i18n.Lang, labels []string) string {
	from, err1 := time.Parse(time.DateOnly, tl.From)
	to, err2 := time.Parse(time.DateOnly, tl.To)
	if err1 != nil || err2 != nil || !to.After(from) {
		return ""
	}
	span := to.Sub(from).Hours() / 24
	x := func(d string, end bool) float64 {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return tlLeft
		}
		days := t.Sub(from).Hours() / 24
		if end {
			days++
		}
		return tlLeft + (tlWidth-tlLeft-10)*clamp(days/(span+1), 0, 1)
	}
	var bars, marks []calc.TimelineSpan
	for _, s := range tl.Spans {
		if s.Role == "end" || s.Role == "claim" || s.Role == "onem-end" {
			marks = append(marks, s)
		} else {
			bars = append(bars, s)
		}
	}
	height := tlHeader + tlRow*len(bars) + 10
	box := height
	if slices.ContainsFunc(marks, func(m calc.TimelineSpan) bool { return m.Role == "onem-end" }) {
		box += 12 // a line under the bars for ONEM's letters
	}
	var b strings.Builder
	title := i18n.T(lang, "timeline.title", "from", i18n.Date(tl.From), "to", i18n.Date(tl.To))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-labelledby="tl-title" viewBox="0 0 ` +
		itoa(tlWidth) + ` ` + itoa(box) + `"><title id="tl-title">` + html.EscapeString(title) + `</title>`)
	writeYears(&b, from, to, x, height)
	for i, s := range bars {
		y := tlHeader + i*tlRow
		x1, x2 := x(s.From, false), x(s.To, true)
		if x2-x1 < 2 {
			x2 = x1 + 2
		}
		label := spanLabel(s, lang, labels)
		b.WriteString(`<text class="tl-label" x="4" y="` + itoa(y+tlBar-2) + `">` + html.EscapeString(shorten(label, 24)) + `</text>`)
		b.WriteString(`<rect class="tl-` + spanClass(s) + `" x="` + ftoa(x1) + `" y="` + itoa(y) + `" width="` + ftoa(x2-x1) +
			`" height="` + itoa(tlBar) + `"><title>` + html.EscapeString(label+i18n.T(lang, "punct.colon")+i18n.Date(s.From)+" – "+i18n.Date(s.To)) + `</title></rect>`)
	}
	// E is the contract's last day, C the day after it or later: their
	// lines may touch, so E's letter stands left of its line and C's right.
	// ONEM's end date, when its decision changed E, has its letters under
	// the bars, where no other mark's stand.
	for _, m := range marks {
		mx := x(m.From, m.Role != "claim")
		letter, lx, ly, anchor := "C", mx+3, 12, "start"
		switch m.Role {
		case "end":
			letter, lx, anchor = "E", mx-3, "end"
		case "onem-end":
			letter, lx, ly, anchor = i18n.T(lang, "timeline.onemEnd"), mx-3, height+8, "end"
		}
		b.WriteString(`<line class="tl-mark tl-` + m.Role + `" x1="` + ftoa(mx) + `" y1="14" x2="` + ftoa(mx) + `" y2="` + itoa(height-4) + `"/>`)
		b.WriteString(`<text class="tl-mark-label" text-anchor="` + anchor + `" x="` + ftoa(lx) + `" y="` + itoa(ly) + `">` + letter + `<title>` +
			html.EscapeString(i18n.T(lang, "legend."+m.Role)+" — "+i18n.Date(m.From)) + `</title></text>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// writeYears draws a thin line and the year at each 1 January.
func writeYears(b *strings.Builder, from, to time.Time, x func(string, bool) float64, height int) {
	for y := from.Year() + 1; y <= to.Year(); y++ {
		d := strconv.Itoa(y) + "-01-01"
		at := x(d, false)
		if at > tlWidth-45 { // leave the right edge to the E and C marks
			continue
		}
		px := ftoa(at)
		b.WriteString(`<line class="tl-year" x1="` + px + `" y1="16" x2="` + px + `" y2="` + itoa(height) + `"/>`)
		b.WriteString(`<text class="tl-year-label" x="` + px + `" y="12">` + strconv.Itoa(y) + `</text>`)
	}
}

func spanClass(s calc.TimelineSpan) string {
	switch s.Role {
	case "window", "extension", "contract", "reference10":
		return s.Role
	}
	switch s.Treatment {
	case "credit", "extend":
		return s.Treatment
	}
	return "none"
}

func spanLabel(s calc.TimelineSpan, lang i18n.Lang, labels []string) string {
	if s.Role == "period" {
		if s.Index < len(labels) && strings.TrimSpace(labels[s.Index]) != "" {
			return strings.TrimSpace(labels[s.Index])
		}
		return i18n.T(lang, "kind."+s.Kind)
	}
	return i18n.T(lang, "timeline."+s.Role)
}

// shorten cuts a label to n characters with an ellipsis; the bar's title
// keeps the whole of it.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
