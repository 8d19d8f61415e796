package ui

import (
	"math"
	"strconv"
	"strings"

	"art60/app/i18n"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// input describes one labelled form control bound to a JSON path of the
// case (or of the draft), so calc's errors land on the right field.
type input struct {
	path     string // "contract.start", "periods[3].to"
	label    string
	value    string
	err      string
	hint     string
	kind     string // "text", "email", "number", "date", "textarea"
	onChange func(ctx app.Context, v string)
	instant  bool // recompute on every keystroke, not only on change
	required bool
	compact  bool      // inside a table row: the label shows only where the row is a card (art60.css, "Phone")
	inline   bool      // label beside the control, for the second line of a period row
	srSuffix string    // added to the label for screen readers only (the row number)
	lang     i18n.Lang // a date field shows the format in this language (JJ/MM/AAAA in French)
	list     string    // id of a datalist the field suggests from
	describe []string  // ids of hints elsewhere on the page that describe the field
}

// fieldID turns a path into a DOM id: "periods[3].to" -> "f-periods-3-to".
func fieldID(path string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-")
	return "f-" + r.Replace(path)
}

func (in input) render() app.UI {
	id := fieldID(in.path)
	var describedBy []string
	if in.hint != "" {
		describedBy = append(describedBy, id+"-hint")
	}
	describedBy = append(describedBy, in.describe...)
	if in.err != "" {
		describedBy = append(describedBy, id+"-err")
	}
	handler := func(ctx app.Context, e app.Event) {
		in.onChange(ctx, ctx.JSSrc().Get("value").String())
	}
	var control app.UI
	if in.kind == "textarea" {
		ta := app.Textarea().ID(id).Name(in.path).Text(in.value).Aria("invalid", in.err != "").OnChange(handler)
		if len(describedBy) > 0 {
			ta = ta.Aria("describedby", strings.Join(describedBy, " "))
		}
		control = ta
	} else {
		control = in.textInput(id, describedBy, handler)
	}
	labelClass, fieldClass := "", "field"
	if in.compact {
		labelClass = "cell-label"
	}
	if in.inline {
		fieldClass = "field field-inline"
	}
	return app.Div().Class(fieldClass).Body(
		app.Label().For(id).Class(labelClass).Body(
			app.Text(in.label),
			app.If(in.srSuffix != "", func() app.UI { return app.Span().Class("visually-hidden").Text(" " + in.srSuffix) }),
		),
		control,
		app.If(in.hint != "", func() app.UI { return app.Span().ID(id + "-hint").Class("muted").Text(in.hint) }),
		app.If(in.err != "", func() app.UI { return app.Span().ID(id + "-err").Class("field-error").Text(in.err) }),
	)
}

func (in input) textInput(id string, describedBy []string, handler app.EventHandler) app.UI {
	typ, mode := "text", ""
	switch in.kind {
	case "email":
		typ = "email"
	case "number":
		mode = "decimal"
	case "date":
		mode = "numeric"
	}
	el := app.Input().ID(id).Name(in.path).Type(typ).Value(in.value).
		Aria("invalid", in.err != "").AutoComplete(false)
	if mode != "" {
		el = el.Attr("inputmode", mode)
	}
	if in.kind == "date" {
		// the format every date message names (i18n's TestDateMessagesSpeakTheFieldsFormat)
		el = el.Placeholder(i18n.T(in.lang, "date.format")).Size(10)
	}
	if in.list != "" {
		el = el.Attr("list", in.list)
	}
	if in.required {
		el = el.Required(true)
	}
	if len(describedBy) > 0 {
		el = el.Aria("describedby", strings.Join(describedBy, " "))
	}
	if in.instant {
		return el.OnInput(handler)
	}
	return el.OnChange(handler)
}

// parseNumber reads "19,5" or "19.5"; empty is nil, ok=true.
func parseNumber(s string) (*float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	// ParseFloat also reads "NaN" and "Inf": neither is a count of days or
	// hours, and JSON, in which the draft is saved and sent, cannot hold
	// them (found by FuzzParsePastedRows).
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, false
	}
	return &v, true
}

// showNumber is the editable text of an optional number ("19,5").
func showNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return strings.ReplaceAll(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",")
}

// icons are drawn as inline SVG: the fonts of the users' machines lack
// symbols such as ⧉. They are decorative; the button carries the name.
var icons = map[string]string{
	"duplicate": `<rect x="5" y="5" width="9" height="9" rx="1"/><path d="M3 11V3a1 1 0 0 1 1-1h7"/>`,
	"delete":    `<path d="M4 4l8 8M12 4l-8 8"/>`,
	"up":        `<path d="M8 13V3M4 7l4-4 4 4"/>`,
	"down":      `<path d="M8 3v10M4 9l4 4 4-4"/>`,
}

func icon(name string) app.UI {
	return app.Raw(`<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">` + icons[name] + `</svg>`)
}
