package ui

import (
	"context"
	"errors"
	"time"

	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// sessionKey is where the logged-in user's public details are remembered
// (name and role for the header; the session itself is an HttpOnly cookie).
const sessionKey = "art60.session"

// signedInKey marks a device where someone has signed in (a yes, no one's
// name): before that, the footer invites to sign in rather than to sign
// in again.
const signedInKey = "art60.signedInBefore"

// loginPage opens a session; drafts and simulations work without one.
type loginPage struct {
	app.Compo
	home

	Lang i18n.Lang

	login    string
	password string
	err      string
	busy     bool
}

func (p *loginPage) OnMount(ctx app.Context) {
	p.keep(ctx)
	if invitedLogin != "" {
		p.login = invitedLogin
	}
}
func (p *loginPage) OnUpdate(ctx app.Context) { p.keep(ctx) }

func (p *loginPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *loginPage) Render() app.UI {
	return app.Section().ID("page-login").Class("page").Body(
		app.H1().Text(p.t("page.login.title")),
		app.P().Class("muted").Text(p.t("page.login.intro")),
		app.If(invitedLogin != "", func() app.UI {
			return app.P().ID("login-invited").Class("banner ok").Role("status").Text(p.t("login.invited"))
		}),
		app.If(idleEnded, func() app.UI {
			return app.P().ID("login-expired").Class("banner").Role("status").Text(p.t("login.expired"))
		}),
		app.Form().Class("card login-form").OnSubmit(p.submit).Body(
			app.If(p.err != "", func() app.UI { return app.P().ID("login-error").Class("field-error").Role("alert").Text(p.err) }),
			app.Div().Class("field").Body(
				app.Label().For("login").Text(p.t("login.login")),
				app.Input().ID("login").Name("username").AutoComplete(true).Attr("autocomplete", "username").Value(p.login).Required(true).
					OnChange(func(ctx app.Context, e app.Event) { p.login = ctx.JSSrc().Get("value").String() }),
			),
			app.Div().Class("field").Body(
				app.Label().For("password").Text(p.t("login.password")),
				app.Input().ID("password").Type("password").Name("password").Attr("autocomplete", "current-password").Required(true).
					OnChange(func(ctx app.Context, e app.Event) { p.password = ctx.JSSrc().Get("value").String() }),
			),
			app.Button().Type("submit").ID("login-submit").Disabled(p.busy).Text(p.t("login.submit")),
		),
	)
}

func (p *loginPage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx = p.back(ctx)
	eng := engine()
	if eng == nil || p.busy {
		return
	}
	// The values as typed, even if no change event fired yet (Enter key).
	p.login = app.Window().GetElementByID("login").Get("value").String()
	p.password = app.Window().GetElementByID("password").Get("value").String()
	p.busy, p.err = true, ""
	login, password := p.login, p.password
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		info, err := eng.Login(c, login, password)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			switch {
			case errors.Is(err, syncer.ErrBadLogin):
				p.err = p.t("login.refused")
			case err != nil:
				p.err = p.t("login.unreachable")
				var refused *syncer.APIError
				if errors.As(err, &refused) {
					p.err = errorText(p.Lang, err)
				}
			default:
				p.password, idleEnded = "", false
				rememberSession(ctx, &info)
				invitedLogin = ""
				toShell(func(s *shell) { s.session, s.signedInBefore = &info, true })
				ctx.Async(func() {
					switchUser(&info) // this user's device data from now on
					ctx.Dispatch(func(ctx app.Context) { ctx.Navigate(homeFor(info.Role)) })
				})
			}
		})
	})
}

// homeFor is where a role lands after logging in.
func homeFor(r api.Role) string {
	switch r {
	case api.RoleWorker:
		return "/"
	case api.RoleAgent:
		return "/queue"
	case api.RoleDPO:
		return "/privacy"
	}
	return "/users" // an administrator has no requests of their own
}

func rememberSession(ctx app.Context, info *api.SessionInfo) {
	if info == nil {
		ctx.LocalStorage().Del(sessionKey)
		return
	}
	ctx.LocalStorage().Set(sessionKey, *info)
	ctx.LocalStorage().Set(signedInKey, true)
}

// signedInBefore says whether someone has signed in on this device.
func signedInBefore(ctx app.Context) bool {
	var yes bool
	return ctx.LocalStorage().Get(signedInKey, &yes) == nil && yes
}

func rememberedSession(ctx app.Context) *api.SessionInfo {
	var info api.SessionInfo
	if err := ctx.LocalStorage().Get(sessionKey, &info); err != nil || info.UserID == "" {
		return nil
	}
	return &info
}

// logout closes the session (every session of the user when everywhere:
// one left open on a shared computer elsewhere ends too) and erases the
// user's data from this device, so that the next person at this browser
// finds nothing of theirs; when requests still wait to be sent, the user
// confirms first.
func logout(ctx app.Context, lang i18n.Lang, everywhere bool) {
	eng := engine()
	user := ""
	if info := rememberedSession(ctx); info != nil {
		user = info.UserID
	}
	if everywhere && !app.Window().Call("confirm", i18n.T(lang, "logout.all_confirm")).Bool() {
		return
	}
	if eng != nil {
		if n := eng.State().Pending; n > 0 && !app.Window().Call("confirm", i18n.T(lang, "logout.unsent", "count", itoa(n))).Bool() {
			return
		}
	}
	rememberSession(ctx, nil)
	toShell(func(s *shell) { s.session = nil })
	ctx.Async(func() {
		if eng != nil {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if everywhere {
				// The other sessions are the point: say so when they may
				// still be open (offline, refused).
				if err := eng.LogoutEverywhere(c); err != nil {
					app.Window().Call("alert", errorText(lang, err))
				}
			} else {
				eng.Logout(c)
			}
			cancel()
		}
		switchUser(nil)
		if user != "" {
			if err := forgetDevice(user); err != nil {
				app.Log("erasing the device data failed:", err)
			}
		}
		// A fresh page: nothing of the user stays in memory either. (The
		// button's context is gone with the header that held it.)
		app.Window().Get("location").Call("assign", "/login")
	})
}
