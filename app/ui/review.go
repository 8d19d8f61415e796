package ui

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// reviewPage shows an agent one request: the case, the server's result
// with its explanation and timeline, where the client's differs, and the
// decision: validate (as computed or corrected, with a remark) or
// invalidate with a reason.
type reviewPage struct {
	app.Compo
	home

	Lang      i18n.Lang
	RequestID string

	loadedID string
	req      *api.Request
	parent   *api.Request // the original of a copy (its read is audited too)
	out      outcome      // the request's result in outLang (see storedOutcome)
	outLang  i18n.Lang
	recomp   bool
	err      string
	msg      string
	remark   string
	end      string
	days     string
	daysOwn  bool // the agent typed the days: a corrected end no longer sets them
	busy     bool
	next     *nextRequest // after a decision: the next request to review
}

// nextRequest is where the agent goes after a decision: the first request
// of the queue still to decide (by due date, as the queue lists them), or
// the queue itself when none is left.
type nextRequest struct {
	item  *api.QueueItem
	ready bool
}

func (p *reviewPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *reviewPage) OnMount(ctx app.Context)  { p.keep(ctx); p.load(ctx) }
func (p *reviewPage) OnUpdate(ctx app.Context) { p.keep(ctx); p.load(ctx) }

func (p *reviewPage) load(ctx app.Context) {
	eng := engine()
	if eng == nil || p.loadedID == p.RequestID {
		return
	}
	p.loadedID = p.RequestID
	// another request ("Next request"): nothing of the last one stays
	p.req, p.parent, p.err, p.msg, p.remark, p.end, p.days, p.daysOwn, p.next = nil, nil, "", "", "", "", "", false, nil
	id := p.RequestID
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var r api.Request
		var parent *api.Request
		err := eng.GetJSON(c, "/api/v1/requests/"+id, &r)
		if err == nil && r.ParentID != "" {
			var o api.Request
			if eng.GetJSON(c, "/api/v1/requests/"+r.ParentID, &o) == nil {
				parent = &o
			}
		}
		ctx.Dispatch(func(app.Context) {
			if err != nil {
				p.err = p.t("queue.failed", "error", errorText(p.Lang, err))
				return
			}
			p.req, p.parent, p.outLang = &r, parent, ""
		})
	})
}

func (p *reviewPage) Render() app.UI {
	if p.req == nil {
		return app.Section().ID("page-review").Class("page").Body(
			app.H1().Text(p.t("page.review.title")),
			app.If(p.err != "", func() app.UI { return app.P().Class("banner").Role("alert").Text(p.err) }),
		)
	}
	r := p.req
	if p.outLang != p.Lang {
		p.out, p.recomp = storedOutcome(r, p.Lang)
		c := decodeCase(r.Case)
		p.out.labels = periodLabels(&c)
		p.outLang = p.Lang
	}
	o := p.out
	return app.Section().ID("page-review").Class("page").Body(
		app.H1().Text(p.t("page.review.title")),
		app.Div().Class("card").Body(app.Dl().Class("summary").Body(
			dlRow(p.t("list.person"), personName(p.Lang, r.LastName, r.FirstName)),
			dlRow(p.t("queue.request"), r.ID),
			dlRow(p.t("queue.cpas"), r.CPASID),
			dlRow(p.t("list.status"), p.t("status."+string(r.Status))),
			dlRow(p.t("queue.received"), i18n.Date(dateOf(r.ReceivedAt))),
			dlRow(p.t("queue.due"), i18n.Date(r.DueDate)),
			dlRow(p.t("details.referenceEmail"), r.ReferenceEmail),
		),
			app.If(r.Comments != "", func() app.UI { return app.P().Class("comments").Text(r.Comments) }),
			view{p.Lang}.filesList("review-attachments", r.ID, requestFiles(r)),
		),
		app.If(p.parent != nil, func() app.UI {
			derogation := ""
			if r.Derogation != nil {
				derogation = r.Derogation.Justification
			}
			return view{p.Lang}.copyOf(r.Kind, p.parent, "/queue/"+p.parent.ID, derogation,
				caseChanges(decodeCase(p.parent.Case), decodeCase(r.Case)))
		}),
		p.caseView(),
		app.If(r.ResultDiffers, func() app.UI {
			return app.P().ID("review-differs").Class("banner").Role("status").
				Text(p.t("review.differs", "fields", strings.Join(r.Differences, ", ")))
		}),
		view{p.Lang}.rulesChanged("review-rules-changed", r), // RULES.md revised since: what the rules give now
		view{p.Lang}.requestResult(r, o, p.recomp),
		view{p.Lang}.timelinePanel(o, onemEnd(r)),
		app.If(r.Status == api.StatusSent, p.decisionForm),
		app.If(r.Decision != nil, p.decided),
		&thread{Lang: p.Lang, RequestID: r.ID, Comments: r.Thread},
	)
}

func (p *reviewPage) decisionForm() app.UI {
	return app.Section().ID("review-decision").Class("card no-print").Body(
		app.H2().Text(p.t("review.decide")),
		app.If(p.msg != "", func() app.UI { return app.P().ID("review-msg").Class("field-error").Role("alert").Text(p.msg) }),
		app.Div().Class("form-grid").Body(
			input{path: "decision.contractEnd", label: p.t("review.correctEnd"), kind: "date", lang: p.Lang, value: i18n.Date(p.end),
				hint: p.t("review.correctEnd.hint"), onChange: p.setEnd}.render(),
			input{path: "decision.days", label: p.t("review.correctDays"), kind: "number", value: p.days,
				hint: p.daysHint(),
				onChange: func(ctx app.Context, v string) {
					p.days = strings.TrimSpace(v)
					p.daysOwn = p.days != "" // emptied: the days follow the end again
					if !p.daysOwn {
						p.days = p.daysFromEnd()
					}
				}}.render(),
		),
		input{path: "decision.remark", label: p.t("review.remark"), kind: "textarea", value: p.remark, hint: p.t("review.remark.hint"),
			onChange: func(ctx app.Context, v string) { p.remark = v }}.render(),
		app.Div().Class("button-row").Body(
			app.Button().Type("button").ID("review-validate").Disabled(p.busy).Text(p.t("review.validate")).
				OnClick(func(ctx app.Context, e app.Event) { p.decide(ctx, api.StatusCalculated) }),
			app.Button().Type("button").Class("secondary").ID("review-invalidate").Disabled(p.busy).Text(p.t("review.invalidate")).
				OnClick(func(ctx app.Context, e app.Event) { p.decide(ctx, api.StatusInvalidated) }),
		),
	)
}

// setEnd takes the corrected end date; unless the agent typed the days
// themselves, the days to work follow from it as calc counts them.
func (p *reviewPage) setEnd(ctx app.Context, v string) {
	p.end = ""
	if iso, ok := i18n.ParseDate(v); ok {
		p.end = iso
	}
	if !p.daysOwn {
		p.days = p.daysFromEnd()
	}
}

// daysFromEnd is the contract's scheduled days from its start to the
// corrected end (calc.ContractScheduledDays, the count of the result's
// "days to work"); "" without a corrected end.
func (p *reviewPage) daysFromEnd() string {
	if p.end == "" || p.req == nil {
		return ""
	}
	c := decodeCase(p.req.Case)
	if n, ok := calc.ContractScheduledDays(&c, p.end); ok {
		return itoa(n)
	}
	return ""
}

// daysHint says where the days shown come from.
func (p *reviewPage) daysHint() string {
	if p.days != "" && !p.daysOwn {
		return p.t("review.correctDays.fromEnd")
	}
	return p.t("review.correctEnd.hint")
}

// decided is what was decided, then the way to the next request.
func (p *reviewPage) decided() app.UI {
	r, d := p.req, p.req.Decision
	var figures []string
	if d.ContractEnd != nil {
		figures = append(figures, p.t("result.contractEnd")+p.t("punct.colon")+i18n.Date(*d.ContractEnd))
	}
	if d.Days != nil {
		figures = append(figures, p.t("result.daysToWork")+p.t("punct.colon")+itoa(*d.Days))
	}
	return app.Div().ID("review-decided").Class("card").Body(
		app.P().ID("review-decided-text").Text(joinParts(" · ", append(append([]string{p.t("status." + string(r.Decision.Outcome))}, figures...), d.Remark)...)),
		app.If(p.next != nil && p.next.ready, p.nextLink),
	)
}

func (p *reviewPage) nextLink() app.UI {
	it := p.next.item
	if it == nil {
		return app.P().Body(app.A().ID("review-next").Class("button").Href("/queue").Text(p.t("review.queueEmpty")))
	}
	return app.P().Body(app.A().ID("review-next").Class("button").Href("/queue/" + it.RequestID).Text(
		p.t("review.next", "name", personName(p.Lang, it.LastName, it.FirstName), "due", i18n.Date(it.DueDate))))
}

// findNext asks the queue for the next request to decide and offers it,
// with the keyboard focus on the way there.
func (p *reviewPage) findNext(ctx app.Context) {
	var reply api.QueueReply
	done := p.RequestID
	fetchJSON(ctx, "/api/v1/queue", &reply, func(err error) {
		if p.RequestID != done {
			return // the agent went on meanwhile
		}
		p.next = &nextRequest{ready: true}
		for i, it := range reply.Items {
			if it.RequestID != done {
				p.next.item = &reply.Items[i]
				break
			}
		}
		if err != nil {
			p.next.item = nil
		}
		focusLater(p.back(ctx), "review-next")
	})
}

// decide sends the decision; a correction or an invalidation needs a remark.
func (p *reviewPage) decide(ctx app.Context, outcome api.Status) {
	remark := strings.TrimSpace(p.remark)
	in := api.DecisionRequest{Outcome: outcome, Remark: remark}
	if outcome == api.StatusCalculated {
		if p.end != "" {
			end := p.end
			in.ContractEnd = &end
		}
		if p.days != "" {
			n, err := strconv.Atoi(p.days)
			if err != nil {
				p.msg = p.t("field.number.format")
				return
			}
			in.Days = &n
		}
	}
	// The same checks as the server, so the agent sees them at once.
	if fs := in.Check(); len(fs) > 0 {
		p.msg = p.t("review.remark.required")
		if fs[0].Path != "remark" {
			p.msg = p.t("review.figures.invalid")
		}
		return
	}
	eng := engine()
	if eng == nil {
		return
	}
	p.busy, p.msg = true, ""
	id := p.RequestID
	ctx = p.back(ctx)
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var r api.Request
		err := eng.PostJSON(c, "/api/v1/requests/"+id+"/decision", in, &r)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.msg = p.t("queue.failed", "error", errorText(p.Lang, err))
				return
			}
			p.req, p.outLang = &r, ""
			p.findNext(ctx)
		})
	})
}

// caseView decodes the request's case for display; the server checked it.
func (p *reviewPage) caseView() app.UI {
	var c calc.Case
	if err := json.Unmarshal(p.req.Case, &c); err != nil {
		return nil
	}
	return view{p.Lang}.caseSummary(c)
}
