package ui

import (
	"encoding/json"
	"strings"
	"time"

	"art60/app/i18n"
	"art60/calc"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// privacyPage is where the data protection officer (an administrator)
// answers a person's requests under the GDPR (README, "Security and
// personal data"): who opened their files, everything held about them,
// and the erasure. The NISS goes to the server in a request body only,
// never in the page's address.
type privacyPage struct {
	app.Compo
	home

	Lang i18n.Lang

	niss     string
	fieldErr string // what is wrong with the NISS typed
	busy     bool
	err      string
	accesses []access // nil: not asked yet
	confirm  bool     // the erasure waits for its confirmation
	done     string   // what the last export or erasure did
}

// access is one line of POST /api/v1/admin/subject/accesses (the fields the
// page shows of privacy.Access, which the browser build cannot import).
type access struct {
	Time        string `json:"time"`
	Action      string `json:"action"`
	Role        string `json:"role"`
	CPASID      string `json:"cpasId"`
	RequestID   string `json:"requestId"`
	Login       string `json:"login"`
	DisplayName string `json:"displayName"`
	OfficeID    string `json:"officeId"`
}

type subjectQuery struct {
	NISS string `json:"niss"`
}

func (p *privacyPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *privacyPage) OnMount(ctx app.Context)  { p.keep(ctx) }
func (p *privacyPage) OnUpdate(ctx app.Context) { p.keep(ctx) }

// query checks the NISS typed and returns the body for the server; false
// when it is not a valid NISS or BIS number (the field says why).
func (p *privacyPage) query() (subjectQuery, bool) {
	info, err := calc.ParseNISS(p.niss)
	if err != nil {
		p.fieldErr = p.t("privacy.niss.invalid")
		return subjectQuery{}, false
	}
	p.fieldErr = ""
	return subjectQuery{NISS: info.Digits}, true
}

// start begins a call to the server: it clears what the last one showed.
func (p *privacyPage) start() (subjectQuery, bool) {
	q, ok := p.query()
	if !ok || p.busy {
		return q, false
	}
	p.busy, p.err, p.done = true, "", ""
	return q, true
}

func (p *privacyPage) finish(err error) bool {
	p.busy = false
	if err != nil {
		p.err = errorText(p.Lang, err)
	}
	return err == nil
}

func (p *privacyPage) showAccesses(ctx app.Context, e app.Event) {
	q, ok := p.start()
	if !ok {
		return
	}
	var reply struct {
		Accesses []access `json:"accesses"`
	}
	postJSON(p.back(ctx), "/api/v1/admin/subject/accesses", q, &reply, func(err error) {
		if p.finish(err) {
			p.accesses = reply.Accesses
		}
	})
}

func (p *privacyPage) export(ctx app.Context, e app.Event) {
	q, ok := p.start()
	if !ok {
		return
	}
	var reply json.RawMessage
	postJSON(p.back(ctx), "/api/v1/admin/subject/export", q, &reply, func(err error) {
		if !p.finish(err) {
			return
		}
		// The file name holds the date, never the NISS.
		download("art60-export-"+now().Format("2006-01-02")+".json", reply)
		var out struct {
			Requests []json.RawMessage `json:"requests"`
		}
		json.Unmarshal(reply, &out)
		p.done = p.t("privacy.exported", "count", itoa(len(out.Requests)))
	})
}

func (p *privacyPage) erase(ctx app.Context, e app.Event) {
	q, ok := p.start()
	if !ok {
		return
	}
	p.confirm = false
	var n struct {
		Requests int `json:"requests"`
		Files    int `json:"files"`
	}
	postJSON(p.back(ctx), "/api/v1/admin/subject/erase", q, &n, func(err error) {
		if p.finish(err) {
			p.accesses = nil
			p.done = p.t("privacy.erased", "count", itoa(n.Requests), "files", itoa(n.Files))
		}
	})
}

// download saves data as a file through a blob: URL.
func download(name string, data []byte) {
	blob := app.Window().Get("Blob").New([]any{string(data)}, map[string]any{"type": "application/json"})
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	app.Window().Get("URL").Call("revokeObjectURL", url)
}

func (p *privacyPage) Render() app.UI {
	return app.Section().ID("page-privacy").Class("page").Body(
		app.H1().Text(p.t("page.privacy.title")),
		app.P().Class("muted").Text(p.t("privacy.intro")),
		app.Form().Class("card").OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.showAccesses(ctx, e)
		}).Body(
			app.Div().Class("field").Body(
				app.Label().For("privacy-niss").Text(p.t("privacy.niss")),
				app.Input().ID("privacy-niss").Type("text").Attr("inputmode", "numeric").Attr("autocomplete", "off").
					Aria("invalid", p.fieldErr != "").Aria("describedby", "privacy-niss-error").
					Value(p.niss).OnInput(func(ctx app.Context, e app.Event) {
					p.niss, p.accesses, p.confirm, p.done = ctx.JSSrc().Get("value").String(), nil, false, ""
				}),
				app.P().ID("privacy-niss-error").Class("field-error").Text(p.fieldErr),
			),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").ID("privacy-accesses").Disabled(p.busy).Text(p.t("privacy.accesses")),
				app.Button().Type("button").ID("privacy-export").Class("secondary").Disabled(p.busy).
					Text(p.t("privacy.export")).OnClick(p.export),
				app.Button().Type("button").ID("privacy-erase").Class("danger").Disabled(p.busy).
					Text(p.t("privacy.erase")).OnClick(func(ctx app.Context, e app.Event) {
					if _, ok := p.query(); ok {
						p.confirm = true
					}
				}),
			),
		),
		app.If(p.confirm, p.confirmation),
		app.If(p.err != "", func() app.UI { return app.P().ID("privacy-error").Class("banner").Role("alert").Text(p.err) }),
		app.If(p.done != "", func() app.UI { return app.P().ID("privacy-done").Class("banner ok").Role("status").Text(p.done) }),
		app.If(p.accesses != nil, p.table),
	)
}

func (p *privacyPage) confirmation() app.UI {
	return app.Div().ID("privacy-confirm").Class("card banner").Role("alertdialog").Aria("labelledby", "privacy-confirm-text").Body(
		app.P().ID("privacy-confirm-text").Text(p.t("privacy.erase.confirm")),
		app.Div().Class("actions").Body(
			app.Button().Type("button").ID("privacy-erase-yes").Class("danger").Text(p.t("privacy.erase.yes")).OnClick(p.erase),
			app.Button().Type("button").ID("privacy-erase-no").Class("secondary").Text(p.t("privacy.erase.no")).
				OnClick(func(ctx app.Context, e app.Event) { p.confirm = false }),
		),
	)
}

func (p *privacyPage) table() app.UI {
	if len(p.accesses) == 0 {
		return app.P().ID("privacy-none").Class("card").Text(p.t("privacy.none"))
	}
	return app.Div().Class("table-scroll").Body(app.Table().ID("privacy-table").Body(
		app.Caption().Text(p.t("privacy.caption", "count", itoa(len(p.accesses)))),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text(p.t("privacy.when")),
			app.Th().Scope("col").Text(p.t("privacy.what")),
			app.Th().Scope("col").Text(p.t("privacy.who")),
			app.Th().Scope("col").Text(p.t("privacy.where")),
			app.Th().Scope("col").Text(p.t("privacy.request")),
		)),
		app.TBody().Body(app.Range(p.accesses).Slice(func(i int) app.UI {
			a := p.accesses[i]
			return app.Tr().Body(
				app.Td().Text(when(a.Time)),
				app.Td().Text(a.Action),
				app.Td().Text(strings.TrimSpace(a.DisplayName+" ("+a.Login+")")),
				app.Td().Text(strings.Trim(a.CPASID+" "+a.OfficeID, " ")),
				app.Td().Class("mono").Text(short(a.RequestID)),
			)
		})),
	))
}

// when shows an audit time as DD/MM/YYYY HH:MM, the device's local time.
func when(stamp string) string {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return stamp
	}
	t = t.Local()
	return i18n.Date(t.Format("2006-01-02")) + " " + t.Format("15:04")
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
