package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// editor edits one draft (or a scratch simulation) and recomputes the
// result with calc on every change. Drafts are saved to the device on every
// change; a simulation is saved only when asked.
type editor struct {
	app.Compo
	home

	Lang       i18n.Lang
	DraftID    string // "" for a new draft or a new simulation
	Simulation bool
	Offline    bool // the device is offline or the server did not answer the last sync

	loadedID string
	loaded   bool
	missing  bool
	draft    drafts.Draft
	parent   *drafts.Draft // the original of a copy, when this device has it
	out      outcome
	outLang  i18n.Lang         // the language of out's steps, warnings and errors
	local    map[string]string // parse errors of the fields, by path
	refused  map[string]string // fields the server refused at the last sending, until changed
	touched  map[string]bool   // fields the user changed: only they show errors
	showAll  bool              // after "check everything": every error shows
	saveMsg  string
	saveErr  bool
	full     bool // the last write failed for want of space on the device
	paste    string
	variant  *variant
	rows     rows // stable ids of the case's periods, see rows.go
}

// outcome is one computation of a case.
type outcome struct {
	result  *calc.Result
	unreach *calc.UnreachableError
	errs    map[string]string // calc's validation errors, by path
	labels  []string          // the periods' own labels, by index, for the timeline
}

func solve(c *calc.Case, lang i18n.Lang) outcome {
	res, err := calc.Solve(c, string(lang))
	out := outcome{result: res, errs: map[string]string{}, labels: periodLabels(c)}
	var verr *calc.ValidationError
	var uerr *calc.UnreachableError
	switch {
	case errors.As(err, &verr):
		for _, f := range verr.Fields {
			if _, seen := out.errs[f.Path]; !seen {
				out.errs[f.Path] = f.Message
				if id, ok := wireMessages(lang)[f.Message]; ok {
					out.errs[f.Path] = i18n.T(lang, id)
				}
			}
		}
	case errors.As(err, &uerr):
		out.unreach = uerr
	}
	return out
}

// calcWireMessages are, by language, calc's messages that speak the wire
// format of RULES.md §7 (a date as YYYY-MM-DD, a country as its ISO code)
// and the catalogue id of what the editor says instead, in terms of what
// its fields show (DD/MM/YYYY, country names); asked of calc once per
// language, with a case holding one of each.
var calcWireMessages = map[i18n.Lang]map[string]string{}

func wireMessages(lang i18n.Lang) map[string]string {
	if m, ok := calcWireMessages[lang]; ok {
		return m
	}
	m := map[string]string{}
	c := calc.Case{Person: calc.Person{BirthDate: "2023-02-31"},
		Periods: []calc.Period{{Kind: "work", From: "2023-01-02", To: "2023-01-06", Country: "XX"}}}
	_, err := calc.Solve(&c, string(lang))
	var verr *calc.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			switch f.Path {
			case "person.birthDate":
				m[f.Message] = "field.date.invalid"
			case "periods[0].country":
				m[f.Message] = "field.country.unknown"
			}
		}
	}
	calcWireMessages[lang] = m
	return m
}

// periodLabels are the labels the worker gave the periods ("" for none).
func periodLabels(c *calc.Case) []string {
	out := make([]string, len(c.Periods))
	for i, p := range c.Periods {
		out[i] = p.Label
	}
	return out
}

func (e *editor) OnMount(ctx app.Context) { e.keep(ctx); e.load(ctx) }
func (e *editor) OnUpdate(ctx app.Context) {
	e.keep(ctx)
	e.load(ctx)
	if e.loaded && e.outLang != e.Lang {
		e.recompute() // calc writes the explanation and warnings in one language: the new one
		if e.variant != nil {
			e.variant.recompute(e.Lang)
		}
	}
}

func (e *editor) t(id string, args ...string) string { return i18n.T(e.Lang, id, args...) }

// load reads the draft named by DraftID, or starts a new one.
func (e *editor) load(ctx app.Context) {
	if e.loaded && e.loadedID == e.DraftID {
		return
	}
	if e.loaded && e.DraftID != "" && e.DraftID == e.draft.ID {
		e.loadedID = e.DraftID // a new draft now at its own address: keep editing it
		return
	}
	e.loaded, e.loadedID, e.missing = true, e.DraftID, false
	e.local, e.touched, e.refused, e.showAll, e.variant = map[string]string{}, map[string]bool{}, map[string]string{}, false, nil
	if e.DraftID == "" {
		e.draft = drafts.New(now())
		e.draft.Simulation = e.Simulation
		e.rows.reset(0)
		e.recompute()
		return
	}
	var d drafts.Draft
	var parent *drafts.Draft
	e.parent = nil
	withStore(ctx, func(c context.Context, st drafts.Store) (err error) {
		if d, err = st.Get(c, e.DraftID); err != nil || d.ParentID == "" {
			return err
		}
		if p, err := st.Get(c, d.ParentID); err == nil {
			parent = &p
		}
		return nil
	}, func(err error) {
		if err != nil {
			e.missing = true
			return
		}
		if !d.Editable() { // sent or waiting to be sent: read-only
			ctx.Navigate(requestURL(d.ID, false))
			return
		}
		e.draft, e.parent = d, parent
		e.rows.reset(len(d.Case.Periods))
		e.markRefused()
		e.recompute()
	})
}

func (e *editor) recompute() {
	e.rows.sync(e.draft.Case.Periods)
	e.out, e.outLang = solve(&e.draft.Case, e.Lang), e.Lang
	e.draft.Result = nil
	if r := e.out.result; r != nil {
		d := &drafts.ResultDigest{ClaimDate: r.ClaimDate}
		if r.ContractEnd != nil {
			d.ContractEnd = *r.ContractEnd
		}
		e.draft.Result = d
	}
}

// changed records an edit of path: recompute at once, then save.
func (e *editor) changed(ctx app.Context, path string) {
	e.touched[e.rows.rowKey(path)] = true
	delete(e.refused, e.rows.rowKey(path))
	e.recompute()
	if e.draft.Simulation && e.DraftID == "" {
		return // a scratch simulation is saved only when asked
	}
	e.save(ctx)
}

// save writes the draft to the device; a new draft gets its own URL so a
// reload reopens it.
func (e *editor) save(ctx app.Context) {
	e.draft.UpdatedAt = now().UTC().Format(time.RFC3339)
	d := e.draft
	firstSave := e.DraftID == ""
	withStore(e.back(ctx), func(c context.Context, st drafts.Store) error {
		return st.Put(c, d)
	}, func(err error) {
		if err != nil {
			e.storeFailed(err)
			return
		}
		e.saveMsg, e.saveErr, e.full = e.t("editor.saved", "time", now().Format("15:04:05")), false, false
		if firstSave && e.DraftID == "" {
			ctx.Navigate(requestURL(d.ID, true))
		}
	})
}

// storeFailed reports a write to the device that failed. The draft on
// screen is kept as typed; when the device is full, an alert says so and
// what to do, until a write succeeds.
func (e *editor) storeFailed(err error) {
	e.saveMsg, e.saveErr = e.t("editor.save.failed", "error", storeErrorText(e.Lang, err)), true
	e.full = errors.Is(err, drafts.ErrDeviceFull)
}

// markRefused shows at each field what the server refused at the last
// sending, in the user's language, until the field is changed.
func (e *editor) markRefused() {
	r := e.draft.Rejection
	if r == nil {
		return
	}
	for _, f := range r.Fields {
		e.refused[e.rows.rowKey(casePath(f.Path))] = apiErrorText(e.Lang, &api.Error{Code: r.Code})
	}
}

// errFor is the message to show at path: a parse error first, then calc's,
// only for touched fields unless everything is being checked.
func (e *editor) errFor(path string) string {
	key := e.rows.rowKey(path)
	if m, ok := e.local[key]; ok {
		return m
	}
	if m, ok := e.refused[key]; ok {
		return m
	}
	if !e.showAll && !e.touched[key] {
		return ""
	}
	return e.out.errs[path]
}

func (e *editor) Render() app.UI {
	if e.missing {
		return app.Section().ID("page-editor").Body(
			app.H1().Text(e.t("page.editor.title")),
			app.P().Class("banner").Role("alert").Text(e.t("editor.missing")),
		)
	}
	title := e.t("page.editor.title")
	switch {
	case e.draft.Simulation:
		title = e.t("page.simulate.title")
	case e.draft.Kind.IsCopy():
		title = e.t("kind.request." + string(e.draft.Kind))
	}
	return app.Section().ID(map[bool]string{true: "page-simulate", false: "page-editor"}[e.Simulation]).Class("page editor").Body(
		app.H1().Text(title),
		app.If(e.full, func() app.UI {
			return app.P().ID("storage-full").Class("banner no-print").Role("alert").Text(e.t("storage.full.help"))
		}),
		app.P().Class("muted no-print").Text(e.t(map[bool]string{true: "page.simulate.intro", false: "page.editor.intro"}[e.Simulation])),
		// What the worker must know while typing stays at the top of the
		// screen: that nothing leaves the device for now, and (on a phone)
		// the result.
		app.Div().Class("editor-top no-print").Body(
			app.If(e.Offline && !e.draft.Simulation, func() app.UI {
				return app.P().ID("offline-banner").Class("banner").Role("status").Text(e.t("editor.offline"))
			}),
			e.liveSummary(),
		),
		app.Div().Class("editor-grid").Body(
			app.Form().Class("editor-form").OnSubmit(func(ctx app.Context, ev app.Event) { ev.PreventDefault() }).Body(
				e.copyContext(),
				e.personSection(),
				e.contractSection(),
				e.periodSections(),
				e.optionsSection(),
				app.If(!e.draft.Simulation, e.detailsSection),
				e.countryList(),
			),
			app.Aside().Class("editor-result").Aria("label", e.t("result.title")).Body(
				e.resultPanel(),
				e.actions(),
				e.whatIf(),
			),
		),
		view{e.Lang}.timelinePanel(e.out, ""),
	)
}

func (e *editor) personSection() app.UI {
	p := &e.draft.Case.Person
	nissHint := ""
	if info, err := calc.ParseNISS(p.NISS); err == nil && info.BirthDate != "" {
		nissHint = e.t("person.niss.born", "date", i18n.Date(info.BirthDate))
	}
	return app.FieldSet().Class("card").Body(
		app.Legend().Text(e.t("section.person")),
		app.Div().Class("form-grid").Body(
			input{path: "lastName", label: e.t("person.lastName"), value: e.draft.LastName, instant: true,
				onChange: func(ctx app.Context, v string) { e.draft.LastName = v; e.changed(ctx, "lastName") }}.render(),
			input{path: "firstName", label: e.t("person.firstName"), value: e.draft.FirstName, instant: true,
				onChange: func(ctx app.Context, v string) { e.draft.FirstName = v; e.changed(ctx, "firstName") }}.render(),
			input{path: "person.niss", label: e.t("person.niss"), value: p.NISS, err: e.errFor("person.niss"),
				hint: nissHint, instant: true, onChange: e.setNISS}.render(),
			e.dateInput("person.birthDate", e.t("person.birthDate"), &p.BirthDate, ""),
		),
	)
}

// setNISS stores the NISS and, once it is complete and valid, the birth
// date it carries (RULES.md §9).
func (e *editor) setNISS(ctx app.Context, v string) {
	p := &e.draft.Case.Person
	p.NISS = strings.TrimSpace(v)
	if info, err := calc.ParseNISS(p.NISS); err == nil && info.BirthDate != "" {
		p.BirthDate = info.BirthDate
	}
	digits := 0
	for _, r := range p.NISS {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits >= 11 || p.NISS == "" {
		e.touched["person.niss"] = true
	}
	e.recomputeAndSave(ctx)
}

func (e *editor) recomputeAndSave(ctx app.Context) {
	e.recompute()
	if !(e.draft.Simulation && e.DraftID == "") {
		e.save(ctx)
	}
}

// dateInput is a DD/MM/YYYY text field bound to an ISO date string.
func (e *editor) dateInput(path, label string, target *string, hint string) app.UI {
	return input{path: path, label: label, kind: "date", lang: e.Lang, value: showDate(*target), err: e.errFor(path), hint: hint,
		onChange: func(ctx app.Context, v string) {
			*target = e.parseDate(path, v)
			e.changed(ctx, path)
		}}.render()
}

// parseDate turns typed text into ISO; text that is no date is kept as
// typed and flagged, so nothing the user typed is lost.
func (e *editor) parseDate(path, v string) string {
	key := e.rows.rowKey(path)
	delete(e.local, key)
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	iso, ok := i18n.ParseDate(v)
	if !ok {
		e.local[key] = e.t("field.date.format")
		return v
	}
	return iso
}

// showDate is the editable text of a stored date.
func showDate(v string) string { return i18n.Date(v) }

// numberInput is a decimal field bound to an optional number.
func (e *editor) numberInput(path, label string, target **float64) app.UI {
	return input{path: path, label: label, kind: "number", value: showNumber(*target), err: e.errFor(path), instant: true,
		onChange: func(ctx app.Context, v string) {
			if n, ok := e.parseNumberAt(path, v); ok {
				*target = n
				e.changed(ctx, path)
			}
		}}.render()
}

// parseNumberAt reads typed text as a number; text that is none is flagged
// at path (and not stored) so the user sees what to fix.
func (e *editor) parseNumberAt(path, v string) (*float64, bool) {
	key := e.rows.rowKey(path)
	delete(e.local, key)
	n, ok := parseNumber(v)
	if !ok {
		e.local[key] = e.t("field.number.format")
	}
	return n, ok
}

func (e *editor) contractSection() app.UI {
	c := &e.draft.Case.Contract
	return app.FieldSet().Class("card").Body(
		app.Legend().Text(e.t("section.contract")),
		app.Div().Class("form-grid").Body(
			e.dateInput("contract.start", e.t("contract.start"), &c.Start, ""),
			e.numberInput("contract.daysPerWeek", e.t("contract.daysPerWeek"), &c.DaysPerWeek),
			e.numberInput("contract.q", e.t("contract.q"), &c.Q),
			e.numberInput("contract.s", e.t("contract.s"), &c.S),
		),
		app.Button().Type("button").Class("secondary").ID("full-time").Text(e.t("contract.fullTime")).
			OnClick(func(ctx app.Context, ev app.Event) {
				s := 38.0
				if c.S != nil && *c.S > 0 {
					s = *c.S
				}
				q := s
				c.Q, c.S = &q, &s
				e.changed(ctx, "contract.q")
			}),
	)
}

func (e *editor) optionsSection() app.UI {
	c := &e.draft.Case
	return app.FieldSet().Class("card").Body(
		app.Legend().Text(e.t("section.options")),
		app.Div().Class("form-grid").Body(
			e.selectInput("options.claimDays", e.t("options.claimDays"), c.Options.ClaimDays,
				[][2]string{{"mon-sat", e.t("options.claimDays.monsat")}, {"mon-fri", e.t("options.claimDays.monfri")}},
				func(v string) { c.Options.ClaimDays = v }),
			e.optionalDate("lastBenefitDate", e.t("options.lastBenefitDate"), &c.LastBenefitDate),
			e.optionalDate("previousAdmissionDate", e.t("options.previousAdmissionDate"), &c.PreviousAdmissionDate),
		),
	)
}

// optionalDate binds a date that may be absent (null in the case).
func (e *editor) optionalDate(path, label string, target **string) app.UI {
	val := ""
	if *target != nil {
		val = **target
	}
	return input{path: path, label: label, kind: "date", lang: e.Lang, value: showDate(val), err: e.errFor(path),
		onChange: func(ctx app.Context, v string) {
			if d := e.parseDate(path, v); d != "" {
				*target = &d
			} else {
				*target = nil
			}
			e.changed(ctx, path)
		}}.render()
}

func (e *editor) selectInput(path, label, value string, options [][2]string, set func(string)) app.UI {
	id := fieldID(path)
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		app.Select().ID(id).Name(path).Aria("invalid", e.errFor(path) != "").
			OnChange(func(ctx app.Context, ev app.Event) {
				set(ctx.JSSrc().Get("value").String())
				e.changed(ctx, path)
			}).Body(
			app.Range(options).Slice(func(i int) app.UI {
				return app.Option().Value(options[i][0]).Selected(options[i][0] == value).Text(options[i][1])
			}),
		),
		app.If(e.errFor(path) != "", func() app.UI { return app.Span().ID(id + "-err").Class("field-error").Text(e.errFor(path)) }),
	)
}

func (e *editor) detailsSection() app.UI {
	return app.FieldSet().Class("card").Body(
		app.Legend().Text(e.t("section.details")),
		input{path: "referenceEmail", label: e.t("details.referenceEmail"), kind: "email", value: e.draft.ReferenceEmail,
			hint: e.t("details.referenceEmail.hint"), err: e.local["referenceEmail"],
			onChange: func(ctx app.Context, v string) {
				e.draft.ReferenceEmail = strings.TrimSpace(v)
				e.changed(ctx, "referenceEmail")
			}}.render(),
		input{path: "comments", label: e.t("details.comments"), kind: "textarea", value: e.draft.Comments,
			onChange: func(ctx app.Context, v string) { e.draft.Comments = v; e.changed(ctx, "comments") }}.render(),
		e.attachmentsField(),
	)
}

// copyContext says what a copy is, of which request and why, and what
// changed since the original (nothing for a first request).
func (e *editor) copyContext() app.UI {
	p := e.parent
	if !e.draft.Kind.IsCopy() || p == nil || p.Remote == nil {
		return nil
	}
	return view{e.Lang}.copyOf(e.draft.Kind, p.Remote, requestURL(p.ID, false), e.draft.Derogation,
		caseChanges(p.Case, e.draft.Case))
}

// requestURL is the address of a request's page; ids only, never a name.
func requestURL(id string, edit bool) string {
	if edit {
		return "/requests/" + id + "/edit"
	}
	return "/requests/" + id
}

func itoa(i int) string { return strconv.Itoa(i) }
