package ui

import (
	"errors"
	"strings"

	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// invitedLogin is the login of an account whose invitation was just used:
// the sign-in page fills it in. Read and written on the UI goroutine only.
var invitedLogin string

// invitePage takes a one-time invitation link (/invite#TOKEN): its holder
// chooses a password, then signs in. The token is in the URL's fragment,
// which the browser never sends to a server; the page takes it out of the
// address bar and the history at once.
type invitePage struct {
	app.Compo
	home

	Lang i18n.Lang

	token string
	errs  map[string]string // field id → message naming the field
	err   string
	busy  bool
}

const (
	invitePassword = "invite-password"
	inviteConfirm  = "invite-confirm"
)

func (p *invitePage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *invitePage) OnMount(ctx app.Context) {
	p.keep(ctx)
	loc := app.Window().Get("location")
	if hash := strings.TrimPrefix(loc.Get("hash").String(), "#"); hash != "" {
		p.token = hash
		app.Window().Get("history").Call("replaceState", nil, "", loc.Get("pathname").String())
	}
}
func (p *invitePage) OnUpdate(ctx app.Context) { p.keep(ctx) }

func (p *invitePage) Render() app.UI {
	if p.token == "" {
		return app.Section().ID("page-invite").Class("page").Body(
			app.H1().Text(p.t("page.invite.title")),
			app.P().ID("invite-missing").Class("banner").Role("alert").Text(p.t("error."+api.CodeInvitationInvalid)),
		)
	}
	return app.Section().ID("page-invite").Class("page").Body(
		app.H1().Text(p.t("page.invite.title")),
		app.P().ID("invite-rules").Class("muted").Text(p.t("invite.intro")),
		app.Form().Class("card login-form").OnSubmit(p.submit).Body(
			app.If(p.err != "", func() app.UI { return app.P().ID("invite-error").Class("field-error").Role("alert").Text(p.err) }),
			p.field(invitePassword, "password.new"),
			p.field(inviteConfirm, "password.confirm"),
			app.Button().Type("submit").ID("invite-submit").Disabled(p.busy).Text(p.t("invite.submit")),
		),
	)
}

func (p *invitePage) field(id, label string) app.UI {
	hint := ""
	if id == invitePassword {
		hint = "invite-rules"
	}
	return passwordField(id, p.t(label), "new-password", hint, p.errs[id], true)
}

func (p *invitePage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	value := func(id string) string { return app.Window().GetElementByID(id).Get("value").String() }
	pw, confirm := value(invitePassword), value(inviteConfirm)
	p.errs, p.err = map[string]string{}, ""
	switch {
	case api.PasswordProblem(pw) != "":
		p.errs[invitePassword] = p.t("password.err.short")
	case confirm != pw:
		p.errs[inviteConfirm] = p.t("password.err.mismatch")
	}
	if len(p.errs) > 0 {
		return
	}
	p.busy = true
	var done api.InvitationAccepted
	postJSON(p.back(ctx), "/api/v1/invitation", api.InvitationAccept{Token: p.token, Password: pw}, &done, func(err error) {
		p.busy = false
		var ae *syncer.APIError
		switch {
		case err == nil:
			invitedLogin = done.Login
			ctx.Navigate("/login")
		case errors.As(err, &ae) && ae.Body.Code == api.CodeInvalid:
			p.errs[invitePassword] = p.t("password.err.short")
		default:
			p.err = errorText(p.Lang, err)
		}
	})
}
