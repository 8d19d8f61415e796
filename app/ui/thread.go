package ui

import (
	"strings"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// thread is a request's comment thread: ONEM asks, the CPAS answers (seed
// 004). Reading works offline from the synced copy; writing needs the server.
type thread struct {
	app.Compo
	home

	Lang      i18n.Lang
	RequestID string
	Comments  []api.Comment

	posted []api.Comment // the thread as the server returned it after a post
	text   string
	err    string
	busy   bool
}

func (th *thread) OnMount(ctx app.Context)  { th.keep(ctx) }
func (th *thread) OnUpdate(ctx app.Context) { th.keep(ctx) }

func (th *thread) t(id string, args ...string) string { return i18n.T(th.Lang, id, args...) }

func (th *thread) shown() []api.Comment {
	if len(th.posted) > len(th.Comments) {
		return th.posted
	}
	return th.Comments
}

func (th *thread) Render() app.UI {
	list := th.shown()
	return app.Section().ID("thread").Class("card thread").Body(
		app.H2().Text(th.t("thread.title")),
		app.If(len(list) == 0, func() app.UI { return app.P().Class("muted").Text(th.t("thread.empty")) }),
		app.Ol().Class("comments").Body(app.Range(list).Slice(func(i int) app.UI {
			c := list[i]
			return app.Li().Class("comment role-"+string(c.AuthorRole)).Body(
				app.P().Class("muted").Text(joinParts(" · ", c.AuthorName, i18n.Date(dateOf(c.At))+" "+parseLocal(c.At))),
				app.P().Class("comment-text").Text(c.Text),
			)
		})),
		app.If(th.err != "", func() app.UI { return app.P().Class("field-error").Role("alert").Text(th.err) }),
		app.Div().Class("field no-print").Body(
			app.Label().For("comment-text").Text(th.t("thread.new")),
			app.Textarea().ID("comment-text").Text(th.text).
				OnInput(func(ctx app.Context, e app.Event) { th.text = ctx.JSSrc().Get("value").String() }),
		),
		app.Button().Type("button").Class("secondary no-print").ID("comment-send").Disabled(th.busy).Text(th.t("thread.send")).
			OnClick(th.post),
	)
}

func (th *thread) post(ctx app.Context, e app.Event) {
	text := strings.TrimSpace(th.text)
	if text == "" {
		return
	}
	th.busy, th.err = true, ""
	var reply api.CommentsReply
	in := map[string]string{"id": drafts.NewID(), "text": text}
	postJSON(th.back(ctx), "/api/v1/requests/"+th.RequestID+"/comments", in, &reply, func(err error) {
		th.busy = false
		if err != nil {
			th.err = th.t("thread.failed", "error", errorText(th.Lang, err))
			return
		}
		th.text, th.posted = "", reply.Comments
		if eng := engine(); eng != nil {
			eng.Kick() // bring the thread into the local copy too
		}
	})
}
