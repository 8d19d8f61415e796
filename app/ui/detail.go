package ui

import (
	"context"
	"strings"
	"time"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// requestDetail is the read-only view of a request: the case, ONEM's answer
// and remarks, and what the CPAS may do next (modify, end-of-contract check).
type requestDetail struct {
	app.Compo
	home

	Lang      i18n.Lang
	RequestID string
	Version   int // the shell's data version: a new one reloads the request

	loadedID      string
	loadedVersion int
	loadedLang    i18n.Lang
	d             drafts.Draft
	parent        *drafts.Draft // the original, for a copy
	endCheck      *drafts.Draft // the end-of-contract check already sent or queued
	out           outcome
	recomputed    bool // the explanation is calc's, in Lang (see storedOutcome)
	missing       bool
	cpasName      string // for the printed page's header
	justification string
	msg           string
}

func (p *requestDetail) OnMount(ctx app.Context) {
	p.keep(ctx)
	if info := rememberedSession(ctx); info != nil {
		p.cpasName = info.CPASName
	}
	p.load(ctx)
}
func (p *requestDetail) OnUpdate(ctx app.Context) { p.keep(ctx); p.load(ctx) }

func (p *requestDetail) load(ctx app.Context) {
	if p.loadedID == p.RequestID && p.loadedVersion == p.Version && p.loadedLang == p.Lang {
		return
	}
	p.loadedID, p.loadedVersion, p.loadedLang = p.RequestID, p.Version, p.Lang
	var d drafts.Draft
	var parent, check *drafts.Draft
	withStore(ctx, func(c context.Context, st drafts.Store) (err error) {
		if d, err = st.Get(c, p.RequestID); err != nil {
			return err
		}
		all, err := st.List(c)
		if err != nil {
			return err
		}
		for i := range all {
			if all[i].ID == d.ParentID {
				parent = &all[i]
			}
		}
		if c, used := drafts.EndCheckOf(all, d); used {
			check = &c
		}
		return nil
	}, func(err error) {
		p.missing = err != nil
		p.d, p.parent, p.endCheck = d, parent, check
		p.out, p.recomputed = solve(&d.Case, p.Lang), true
		if d.Remote != nil {
			p.out, p.recomputed = storedOutcome(d.Remote, p.Lang) // the server's figures are authoritative
			p.out.labels = periodLabels(&d.Case)
			if !p.recomputed && d.Remote.Result != nil && len(d.Remote.Result.Steps) == 0 {
				p.fetchExplanation(ctx, d.ID)
			}
		}
	})
}

// fetchExplanation reads the stored explanation of a request whose figures
// calc no longer finds (a rules revision since it was computed): pull
// leaves explanations out because calc recomputes them (server/README.md,
// "Sync protocol"). Offline, the figures stay without their steps.
func (p *requestDetail) fetchExplanation(ctx app.Context, id string) {
	var r api.Request
	fetchJSON(ctx, "/api/v1/requests/"+id, &r, func(err error) {
		if err == nil && r.Result != nil && p.d.ID == id {
			p.out.result = r.Result
		}
	})
}

func (p *requestDetail) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *requestDetail) Render() app.UI {
	if p.missing {
		return app.Section().ID("page-detail").Body(
			app.H1().Text(p.t("page.detail.title")),
			app.P().Class("banner").Role("alert").Text(p.t("editor.missing")),
		)
	}
	d := &p.d
	status := effectiveStatus(*d)
	name := personName(p.Lang, d.LastName, d.FirstName)
	return app.Section().ID("page-detail").Class("page").Body(
		p.printHeader(),
		app.H1().Text(p.t("page.detail.title")),
		p.sentNotice(status),
		app.Div().Class("card").Body(
			app.Dl().Class("summary").Body(
				dlRow(p.t("list.person"), name),
				dlRow(p.t("list.status"), p.t("status."+string(status))),
				dlRow(p.t("details.referenceEmail"), d.ReferenceEmail),
			),
			app.If(d.Comments != "", func() app.UI { return app.P().Class("comments").Text(d.Comments) }),
			p.files(),
		),
		p.rejection(),
		p.decision(),
		p.copyContext(),
		view{p.Lang}.caseSummary(d.Case),
		app.If(p.d.Remote != nil, func() app.UI { return view{p.Lang}.rulesChanged("detail-rules-changed", p.d.Remote) }),
		p.result(),
		view{p.Lang}.timelinePanel(p.out, onemEnd(p.d.Remote)),
		p.nextSteps(status),
		app.If(d.Remote != nil, func() app.UI {
			return &thread{Lang: p.Lang, RequestID: d.ID, Comments: d.Remote.Thread}
		}),
	)
}

// result is the server's result once the request is sent, else the
// device's computation.
func (p *requestDetail) result() app.UI {
	if r := p.d.Remote; r != nil {
		return view{p.Lang}.requestResult(r, p.out, p.recomputed)
	}
	return view{p.Lang}.resultPanel(p.out)
}

func dlRow(label, value string) app.UI {
	return app.Div().Class("summary-row").Body(app.Dt().Text(label), app.Dd().Text(value))
}

// printHeader is what a printed request carries for the CPAS file: the
// CPAS, the request's reference and the day it was printed.
func (p *requestDetail) printHeader() app.UI {
	return app.P().ID("print-header").Class("print-only").Text(p.t("print.header",
		"cpas", p.cpasName, "id", p.d.ID, "date", i18n.Date(now().Format(time.DateOnly))))
}

// sentNotice confirms a sending: waiting in the outbox since when, or
// received by ONEM when and to be answered by which day (RULES.md §11).
func (p *requestDetail) sentNotice(status api.Status) app.UI {
	d := &p.d
	switch {
	case status == statusPending:
		return app.P().ID("sent-notice").Class("card banner").Role("status").Text(p.t("sent.queued",
			"date", i18n.Date(dateOf(d.UpdatedAt)), "time", clockOf(d.UpdatedAt)))
	case d.Remote != nil && d.Remote.Decision == nil && d.Remote.ReceivedAt != "":
		r := d.Remote
		return app.P().ID("sent-notice").Class("card banner").Role("status").Text(p.t("sent.received",
			"date", i18n.Date(dateOf(r.ReceivedAt)), "time", clockOf(r.ReceivedAt), "due", i18n.Date(r.DueDate)))
	}
	return nil
}

// clockOf is the local time of day ("14:05") of an RFC 3339 instant.
func clockOf(rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return ""
	}
	return t.Local().Format("15:04")
}

// files lists what was sent with the request: from the server once it has
// it (links download under the file's name), else as kept on this device.
func (p *requestDetail) files() app.UI {
	d := &p.d
	if d.Remote != nil {
		return view{p.Lang}.filesList("detail-attachments", d.ID, requestFiles(d.Remote))
	}
	if len(d.Attachments) == 0 {
		return nil
	}
	return app.Ul().ID("detail-attachments").Body(app.Range(d.Attachments).Slice(func(i int) app.UI {
		a := d.Attachments[i]
		return app.Li().Text(a.Name + " (" + fileFacts(p.Lang, a.Type, a.Size) + ")")
	}))
}

// copyContext shows, on a copy, its original, ONEM's answer to it and what
// changed.
func (p *requestDetail) copyContext() app.UI {
	o := p.parent
	if !p.d.Kind.IsCopy() || o == nil || o.Remote == nil {
		return nil
	}
	return view{p.Lang}.copyOf(p.d.Kind, o.Remote, requestURL(o.ID, false), p.d.Derogation, caseChanges(o.Case, p.d.Case))
}

// rejection shows why the server refused the last sending.
func (p *requestDetail) rejection() app.UI {
	r := p.d.Rejection
	if r == nil {
		return nil
	}
	return app.Section().ID("rejection").Class("card banner").Role("alert").Body(
		app.H2().Text(p.t("send.rejected")),
		app.P().Text(apiErrorText(p.Lang, r)),
	)
}

// decision shows ONEM's answer and remarks once there is one.
func (p *requestDetail) decision() app.UI {
	r := p.d.Remote
	if r == nil || r.Decision == nil {
		return nil
	}
	dec := r.Decision
	end := r.ContractEnd()
	return app.Section().ID("decision").Class("card decision").Body(
		app.H2().Text(p.t("status."+string(dec.Outcome))),
		app.If(end != "", func() app.UI { return app.P().Text(p.t("result.contractEnd") + p.t("punct.colon") + i18n.Date(end)) }),
		app.If(dec.Remark != "", func() app.UI { return app.P().ID("decision-remark").Text(dec.Remark) }),
		app.P().Class("muted").Text(p.t("decision.decidedOn", "date", i18n.Date(dateOf(dec.DecidedAt)))),
	)
}

// nextSteps offers what RULES.md §11 allows in this status.
func (p *requestDetail) nextSteps(status api.Status) app.UI {
	d := &p.d
	if d.Editable() {
		return app.Div().Class("card no-print").Body(app.A().Class("button").Href(requestURL(d.ID, true)).Text(p.t("action.edit")))
	}
	end := ""
	if d.Remote != nil {
		end = d.Remote.ContractEnd()
	}
	open := endCheckOpen(end, now().Format(time.DateOnly))
	used := p.endCheck != nil
	from, to, hasWindow := api.EndCheckWindow(end)
	return app.Div().Class("card no-print").Body(
		app.If(status == api.StatusCalculated && hasWindow, func() app.UI {
			return app.P().ID("endcheck-window").Class("muted").Text(p.t("endCheck.window.dates", "from", i18n.Date(from), "to", i18n.Date(to)))
		}),
		app.If(used, func() app.UI {
			return app.P().ID("endcheck-used").Text(p.t("endCheck.used", "date", i18n.Date(dateOf(p.endCheck.UpdatedAt))))
		}),
		app.If(p.msg != "", func() app.UI { return app.P().Class("field-error").Role("alert").Text(p.msg) }),
		app.Div().Class("button-row").Body(
			app.If(api.CanCopy(status), func() app.UI {
				return app.Button().Type("button").ID("modify").Text(p.t("action.modify")).
					OnClick(func(ctx app.Context, e app.Event) { p.copy(ctx, api.KindModification) })
			}),
			app.If(status == api.StatusCalculated && open && !used, func() app.UI {
				return app.Button().Type("button").ID("end-check").Text(p.t("action.endCheck")).
					OnClick(func(ctx app.Context, e app.Event) { p.copy(ctx, api.KindEndCheck) })
			}),
			app.Button().Type("button").Class("secondary").Text(p.t("action.print")).
				OnClick(func(ctx app.Context, e app.Event) { app.Window().Call("print") }),
		),
		app.If(status == api.StatusCalculated && (!open || used), p.derogation),
	)
}

// derogation lets a complex case ask for an end-of-contract check outside
// the window, with a written justification (seed 000).
func (p *requestDetail) derogation() app.UI {
	return app.Details().Class("derogation").Body(
		app.Summary().Text(p.t("endCheck.derogation")),
		app.P().Class("muted").ID("derogation-hint").Text(p.t("endCheck.window")),
		app.Label().For("justification").Text(p.t("endCheck.justification")),
		app.Textarea().ID("justification").Aria("describedby", "derogation-hint").Text(p.justification).
			OnInput(func(ctx app.Context, e app.Event) { p.justification = ctx.JSSrc().Get("value").String() }),
		app.Button().Type("button").ID("end-check-derogation").Text(p.t("action.endCheck")).
			OnClick(func(ctx app.Context, e app.Event) {
				if len([]rune(strings.TrimSpace(p.justification))) < api.MinJustification {
					p.msg = p.t("endCheck.justification.short", "min", itoa(api.MinJustification))
					return
				}
				p.copy(ctx, api.KindEndCheck)
			}),
	)
}

// copy creates the editable copy and opens it.
func (p *requestDetail) copy(ctx app.Context, kind api.Kind) {
	c, err := p.d.Copy(kind, now())
	if err != nil {
		p.msg = err.Error()
		return
	}
	if kind == api.KindEndCheck {
		c.Derogation = strings.TrimSpace(p.justification)
	}
	withStore(p.back(ctx), func(cx context.Context, st drafts.Store) error { return st.Put(cx, c) }, func(err error) {
		if err != nil {
			p.msg = err.Error()
			return
		}
		ctx.Navigate(requestURL(c.ID, true))
	})
}
