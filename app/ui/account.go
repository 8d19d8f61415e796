package ui

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// idleEnded says that the server ended the session after a time without use
// (api.CodeSessionExpired): the sign-in page says so, until the next
// sign-in. Read and written on the UI goroutine only.
var idleEnded bool

// onSyncState shows the engine's state in the shell and, when the server
// has just said that the session ended after a time without use, leaves the
// screen for the sign-in page: on a shared computer the next person must
// not find the files of the last one open. The device data stays: the same
// user signing in again finds it (switchUser opens that user's store).
func onSyncState(state syncer.State) {
	live.mu.Lock()
	s, ctx := live.shell, live.ctx
	live.mu.Unlock()
	if s == nil {
		return
	}
	ctx.Dispatch(func(ctx app.Context) {
		ended := state.SessionExpired && !s.sync.SessionExpired && s.session != nil
		s.sync = state
		if !ended {
			return
		}
		idleEnded = true
		rememberSession(ctx, nil)
		s.session = nil
		ctx.Async(func() { switchUser(nil) })
		ctx.Navigate("/login")
	})
}

// lastInput is when the user last pressed a key, clicked, touched or
// scrolled in this tab (Unix nanoseconds); the sync tells the server how
// long ago that was (api.IdleHeader), so that the idle timeout runs from
// the user's last input and not from the last background sync.
var lastInput atomic.Int64

func sinceLastInput() time.Duration { return time.Since(time.Unix(0, lastInput.Load())) }

var watchingInput bool

// watchInput follows the user's input in this tab, from now on.
func watchInput() {
	lastInput.Store(time.Now().UnixNano())
	if watchingInput {
		return
	}
	watchingInput = true
	seen := app.FuncOf(func(app.Value, []app.Value) any {
		lastInput.Store(time.Now().UnixNano())
		return nil
	})
	opts := map[string]any{"capture": true, "passive": true}
	for _, ev := range []string{"keydown", "pointerdown", "wheel", "touchstart"} {
		app.Window().Call("addEventListener", ev, seen, opts)
	}
}

// passwordPage lets the signed-in user change their password (the current
// one first). The server ends the user's other sessions.
type passwordPage struct {
	app.Compo
	home

	Lang  i18n.Lang
	Login string // the user's, for the password manager

	errs map[string]string // field id → message naming the field
	err  string            // a refusal that is not about one field
	done bool
	busy bool
}

// The password form's fields, by element id.
const (
	pwCurrent = "password-current"
	pwNew     = "password-new"
	pwConfirm = "password-confirm"
)

func (p *passwordPage) OnMount(ctx app.Context)  { p.keep(ctx) }
func (p *passwordPage) OnUpdate(ctx app.Context) { p.keep(ctx) }

func (p *passwordPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *passwordPage) Render() app.UI {
	return app.Section().ID("page-password").Class("page").Body(
		app.H1().Text(p.t("page.password.title")),
		app.P().ID("password-rules").Class("muted").Text(p.t("page.password.intro")),
		app.If(p.done, func() app.UI {
			return app.P().ID("password-done").Class("banner").Role("status").Text(p.t("password.done"))
		}),
		app.Form().Class("card login-form").OnSubmit(p.submit).Body(
			app.If(p.err != "", func() app.UI { return app.P().ID("password-error").Class("field-error").Role("alert").Text(p.err) }),
			// Hidden: tells a password manager whose password changes.
			app.Input().Type("text").Name("username").Attr("autocomplete", "username").Value(p.Login).ReadOnly(true).Hidden(true),
			p.field(pwCurrent, "password.current", "current-password"),
			p.field(pwNew, "password.new", "new-password"),
			p.field(pwConfirm, "password.confirm", "new-password"),
			app.Button().Type("submit").ID("password-submit").Disabled(p.busy).Text(p.t("password.submit")),
		),
	)
}

// field is one password input of the page.
func (p *passwordPage) field(id, label, autocomplete string) app.UI {
	hint := ""
	if id == pwNew {
		hint = "password-rules"
	}
	return passwordField(id, p.t(label), autocomplete, hint, p.errs[id], id != pwCurrent)
}

// passwordField is one password input with its label and, when refused,
// its message msg (linked by aria-describedby, announced by role=alert);
// hint is the id of the text stating the rules, "" for none. A new
// password asks the browser to check its length too.
func passwordField(id, label, autocomplete, hint, msg string, isNew bool) app.UI {
	in := app.Input().ID(id).Type("password").Name(id).Attr("autocomplete", autocomplete).Required(true).
		Aria("invalid", msg != "")
	if isNew {
		in = in.Attr("minlength", api.MinPasswordLength)
	}
	if msg != "" {
		in = in.Aria("describedby", id+"-err")
	} else if hint != "" {
		in = in.Aria("describedby", hint)
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		in,
		app.If(msg != "", func() app.UI { return app.P().ID(id + "-err").Class("field-error").Role("alert").Text(msg) }),
	)
}

func (p *passwordPage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx = p.back(ctx)
	eng := engine()
	if eng == nil || p.busy {
		return
	}
	value := func(id string) string { return app.Window().GetElementByID(id).Get("value").String() }
	current, next := value(pwCurrent), value(pwNew)
	p.errs, p.err, p.done = passwordErrors(p.Lang, current, next, value(pwConfirm)), "", false
	if len(p.errs) > 0 {
		return
	}
	p.busy = true
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := eng.ChangePassword(c, current, next)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			var refused *syncer.APIError
			switch {
			case err == nil:
				p.done = true
				for _, id := range []string{pwCurrent, pwNew, pwConfirm} {
					app.Window().GetElementByID(id).Set("value", "")
				}
			case errors.As(err, &refused) && refused.Body.Code == api.CodeWrongPassword:
				p.errs = map[string]string{pwCurrent: p.t("error." + api.CodeWrongPassword)}
			default:
				p.err = errorText(p.Lang, err)
			}
		})
	})
}

// passwordErrors checks the form as the server will (api.PasswordProblem),
// each message naming its field.
func passwordErrors(lang i18n.Lang, current, next, confirm string) map[string]string {
	errs := map[string]string{}
	if current == "" {
		errs[pwCurrent] = i18n.T(lang, "password.err.current")
	}
	switch {
	case api.PasswordProblem(next) != "":
		errs[pwNew] = i18n.T(lang, "password.err.short")
	case next == current:
		errs[pwNew] = i18n.T(lang, "password.err.same")
	case confirm != next:
		errs[pwConfirm] = i18n.T(lang, "password.err.mismatch")
	}
	return errs
}
