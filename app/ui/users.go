package ui

import (
	"errors"
	"slices"

	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// usersPage is where an administrator manages the accounts of their
// tenant (server/README.md, "Accounts and roles"): a CPAS administrator
// those of their CPAS, an office administrator the agents of their office
// and the administrators of its CPAS. A new colleague gets a one-time
// link and chooses their own password; the page shows that link once.
// Rows are addressed by account id, never by position.
type usersPage struct {
	app.Compo
	home

	Lang i18n.Lang

	list    *api.AccountsReply // nil until loaded
	loadErr string
	form    api.NewAccount
	cpas    api.CPASInfo      // the CPAS being registered
	errs    map[string]string // field path → message naming the field
	formErr string
	busy    bool
	invite  *api.Invitation // the link to hand over, shown once
	done    string          // what the last action did
}

func (p *usersPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *usersPage) OnMount(ctx app.Context) {
	p.keep(ctx)
	p.load(ctx)
}
func (p *usersPage) OnUpdate(ctx app.Context) { p.keep(ctx) }

func (p *usersPage) load(ctx app.Context) {
	var reply api.AccountsReply
	fetchJSON(p.back(ctx), "/api/v1/admin/users", &reply, func(err error) {
		if err != nil {
			p.loadErr = errorText(p.Lang, err)
			return
		}
		p.list, p.loadErr = &reply, ""
		if !slices.Contains(reply.Invites, p.form.Role) && len(reply.Invites) > 0 {
			p.form.Role = reply.Invites[0]
		}
	})
}

func (p *usersPage) Render() app.UI {
	return app.Section().ID("page-users").Class("page").Body(
		app.H1().Text(p.t("page.users.title")),
		app.P().Class("muted").Text(p.t("users.intro")),
		app.If(p.loadErr != "", func() app.UI { return app.P().ID("users-error").Class("banner").Role("alert").Text(p.loadErr) }),
		app.If(p.formErr != "", func() app.UI {
			return app.P().ID("users-form-error").Class("banner").Role("alert").Text(p.formErr)
		}),
		app.If(p.invite != nil, p.invitation),
		app.If(p.done != "", func() app.UI { return app.P().ID("users-done").Class("banner ok").Role("status").Text(p.done) }),
		app.If(p.list != nil, func() app.UI { return app.Div().Body(p.inviteForm(), p.cpasForm(), p.table()) }),
	)
}

// invitation shows the link to hand over, with a button that copies it.
func (p *usersPage) invitation() app.UI {
	inv := p.invite
	return app.Div().ID("users-invitation").Class("card banner ok").Role("status").Body(
		app.P().Text(p.t("users.invitation", "name", inv.Account.DisplayName, "date", when(inv.ExpiresAt))),
		app.Label().For("users-link").Text(p.t("users.link")),
		app.Input().ID("users-link").Type("text").ReadOnly(true).Value(inv.Link).Class("mono"),
		app.Div().Class("actions").Body(
			app.Button().Type("button").ID("users-copy").Class("secondary").Text(p.t("users.copy")).
				OnClick(func(ctx app.Context, e app.Event) {
					app.Window().Get("navigator").Get("clipboard").Call("writeText", inv.Link)
					p.done = p.t("users.copied")
				}),
		),
	)
}

func (p *usersPage) inviteForm() app.UI {
	l := p.list
	return app.Form().ID("users-form").Class("card").OnSubmit(p.create).Body(
		app.H2().Text(p.t("users.add")),
		app.Div().Class("form-grid").Body(
			p.textField("users-displayName", "users.name", "name", p.form.DisplayName, func(v string) { p.form.DisplayName = v }),
			p.textField("users-login", "users.login", "off", p.form.Login, func(v string) { p.form.Login = v }),
			p.selectField("users-role", "users.role", string(p.form.Role), roleOptions(p.Lang, l.Invites),
				func(v string) { p.form.Role = api.Role(v) }),
			app.If(p.form.Role.Binding() == "cpas" && len(l.CPAS) > 1, func() app.UI {
				return p.selectField("users-cpasId", "users.cpas", p.form.CPASID, cpasOptions(l.CPAS), func(v string) { p.form.CPASID = v })
			}),
			app.If(p.form.Role.Binding() == "office" && len(l.Offices) > 1, func() app.UI {
				return p.selectField("users-officeId", "users.office", p.form.OfficeID, officeOptions(l.Offices), func(v string) { p.form.OfficeID = v })
			}),
		),
		app.Button().Type("submit").ID("users-submit").Disabled(p.busy).Text(p.t("users.submit")),
	)
}

// field wraps a control with its label and its message; id is the
// control's, and p.errs is keyed by it.
func (p *usersPage) field(id, label string, control app.UI, msg string) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(p.t(label)),
		control,
		app.If(msg != "", func() app.UI { return app.P().ID(id + "-err").Class("field-error").Text(msg) }),
	)
}

func (p *usersPage) textField(id, label, autocomplete, value string, set func(string)) app.UI {
	msg := p.errs[id]
	in := app.Input().ID(id).Type("text").Attr("autocomplete", autocomplete).Required(true).Value(value).
		Aria("invalid", msg != "").OnInput(func(ctx app.Context, e app.Event) {
		set(ctx.JSSrc().Get("value").String())
		delete(p.errs, id)
	})
	if msg != "" {
		in = in.Aria("describedby", id+"-err")
	}
	return p.field(id, label, in, msg)
}

// cpasForm registers a CPAS: for those who may bind accounts to an office
// (an office administrator, the system administrator).
func (p *usersPage) cpasForm() app.UI {
	l := p.list
	if len(l.Offices) == 0 {
		return nil
	}
	return app.Form().ID("cpas-form").Class("card").OnSubmit(p.addCPAS).Body(
		app.H2().Text(p.t("cpas.add")),
		app.Div().Class("form-grid").Body(
			p.textField("cpas-name", "cpas.name", "off", p.cpas.Name, func(v string) { p.cpas.Name = v }),
			p.textField("cpas-id", "cpas.id", "off", p.cpas.ID, func(v string) { p.cpas.ID = v }),
			app.If(len(l.Offices) > 1, func() app.UI {
				return p.selectField("cpas-officeId", "users.office", p.cpas.OfficeID, officeOptions(l.Offices), func(v string) { p.cpas.OfficeID = v })
			}),
		),
		app.Button().Type("submit").ID("cpas-submit").Disabled(p.busy).Text(p.t("cpas.submit")),
	)
}

func (p *usersPage) addCPAS(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	p.busy, p.formErr, p.done, p.invite = true, "", "", nil
	postJSON(p.back(ctx), "/api/v1/admin/cpas", p.cpas, &api.CPASInfo{}, func(err error) {
		p.busy = false
		if err != nil {
			p.refused("cpas", err)
			return
		}
		p.cpas, p.errs, p.done = api.CPASInfo{}, nil, p.t("cpas.done")
		p.load(ctx)
	})
}

// option is a value of a select and its label.
type option struct{ value, label string }

func (p *usersPage) selectField(id, label, value string, opts []option, set func(string)) app.UI {
	msg := p.errs[id]
	sel := app.Select().ID(id).Aria("invalid", msg != "").OnChange(func(ctx app.Context, e app.Event) {
		set(ctx.JSSrc().Get("value").String())
		delete(p.errs, id)
	}).Body(app.Range(opts).Slice(func(i int) app.UI {
		return app.Option().Value(opts[i].value).Selected(opts[i].value == value).Text(opts[i].label)
	}))
	if msg != "" {
		sel = sel.Aria("describedby", id+"-err")
	}
	return p.field(id, label, sel, msg)
}

func roleOptions(lang i18n.Lang, roles []api.Role) []option {
	out := make([]option, len(roles))
	for i, r := range roles {
		out[i] = option{string(r), i18n.T(lang, "role."+string(r))}
	}
	return out
}

func cpasOptions(list []api.CPASInfo) []option {
	out := []option{{"", "—"}}
	for _, c := range list {
		out = append(out, option{c.ID, c.Name + " (" + c.ID + ")"})
	}
	return out
}

func officeOptions(list []api.OfficeInfo) []option {
	out := []option{{"", "—"}}
	for _, o := range list {
		out = append(out, option{o.ID, o.Name})
	}
	return out
}

// create sends the form; the server fills the caller's own CPAS or office
// when the form has no choice to offer.
func (p *usersPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	in := p.form
	if in.Role.Binding() != "cpas" {
		in.CPASID = ""
	}
	if in.Role.Binding() != "office" {
		in.OfficeID = ""
	}
	p.busy, p.formErr, p.done, p.invite = true, "", "", nil
	var inv api.Invitation
	postJSON(p.back(ctx), "/api/v1/admin/users", in, &inv, func(err error) {
		p.busy = false
		if err != nil {
			p.refused("users", err)
			return
		}
		p.invite, p.form, p.errs = &inv, api.NewAccount{Role: p.form.Role}, nil
		p.load(ctx)
	})
}

// refused shows the server's refusal on the fields it names, in the
// user's language: the control of path is form+"-"+path.
func (p *usersPage) refused(form string, err error) {
	var ae *syncer.APIError
	if !errors.As(err, &ae) || len(ae.Body.Fields) == 0 {
		p.formErr = errorText(p.Lang, err)
		return
	}
	p.errs = map[string]string{}
	for _, f := range ae.Body.Fields {
		p.errs[form+"-"+f.Path] = p.t("users.err." + f.Path)
		if ae.Body.Code != api.CodeInvalid {
			p.errs[form+"-"+f.Path] = p.t("error." + ae.Body.Code) // login_taken, cpas_taken
		}
	}
	p.formErr = p.t("users.err.form")
}

func (p *usersPage) table() app.UI {
	users := p.list.Users
	if len(users) == 0 {
		return app.P().ID("users-none").Class("card").Text(p.t("users.none"))
	}
	return app.Div().Class("table-scroll").Body(app.Table().ID("users-table").Class("stack").Body(
		app.Caption().Text(p.t("users.caption", "count", itoa(len(users)))),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text(p.t("users.name")),
			app.Th().Scope("col").Text(p.t("login.login")),
			app.Th().Scope("col").Text(p.t("users.role")),
			app.Th().Scope("col").Text(p.t("users.state")),
			app.Th().Scope("col").Text(p.t("users.last")),
			app.Th().Scope("col").Text(p.t("users.actions")),
		)),
		app.TBody().Body(app.Range(users).Slice(func(i int) app.UI { return p.row(users[i]) })),
	))
}

func (p *usersPage) row(a api.Account) app.UI {
	last := p.t("users.never")
	if a.LastSignInAt != "" {
		last = when(a.LastSignInAt)
	}
	return app.Tr().ID("user-"+a.ID).Body(
		app.Th().Scope("row").Text(a.DisplayName),
		labelledCell(p.t("login.login")).Text(a.Login),
		labelledCell(p.t("users.role")).Body(app.Div().Body( // one grid cell beside its label on a phone
			app.Text(p.t("role."+string(a.Role))), app.Br(), app.Span().Class("muted").Text(p.tenantName(a)))),
		labelledCell(p.t("users.state")).Class("user-state").Text(p.t(stateKey(a))),
		labelledCell(p.t("users.last")).Text(last),
		labelledCell(p.t("users.actions")).Body(app.Div().Class("row-actions").Body(
			app.If(!a.Disabled, func() app.UI { return p.action(a, "invitation", "users.relink") }),
			app.If(a.Disabled, func() app.UI { return p.action(a, "enable", "users.enable") }).
				Else(func() app.UI { return p.action(a, "disable", "users.disable") }),
		)),
	)
}

// tenantName names the CPAS or office an account belongs to, by name when
// the page knows it.
func (p *usersPage) tenantName(a api.Account) string {
	for _, c := range p.list.CPAS {
		if c.ID == a.CPASID {
			return c.Name
		}
	}
	for _, o := range p.list.Offices {
		if o.ID == a.OfficeID {
			return o.Name
		}
	}
	return a.CPASID + a.OfficeID
}

func stateKey(a api.Account) string {
	switch {
	case a.Disabled:
		return "users.state.disabled"
	case a.Invited:
		return "users.state.invited"
	}
	return "users.state.active"
}

// action is a button acting on one account, named with the account for a
// screen reader ("Disable Marie Dupont").
func (p *usersPage) action(a api.Account, verb, label string) app.UI {
	id := a.ID
	return app.Button().Type("button").Class("secondary small").ID("user-"+verb+"-"+id).Disabled(p.busy).
		Aria("label", p.t(label)+" "+a.DisplayName).Text(p.t(label)).
		OnClick(func(ctx app.Context, e app.Event) { p.act(ctx, id, verb) })
}

// act runs verb (disable, enable, invitation) on the account id.
func (p *usersPage) act(ctx app.Context, id, verb string) {
	if verb == "disable" && !app.Window().Call("confirm", p.t("users.disable.confirm")).Bool() {
		return
	}
	p.busy, p.done, p.invite, p.formErr = true, "", nil, ""
	var inv api.Invitation
	var out any = &inv
	if verb != "invitation" {
		out = &api.Account{}
	}
	postJSON(p.back(ctx), "/api/v1/admin/users/"+id+"/"+verb, nil, out, func(err error) {
		p.busy = false
		switch {
		case err != nil:
			p.formErr = errorText(p.Lang, err)
		case verb == "invitation":
			p.invite = &inv
		default:
			p.done = p.t("users.done." + verb)
		}
		p.load(ctx)
	})
}
