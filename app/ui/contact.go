package ui

import (
	"time"

	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// officeKey keeps the office's contact on the device, so it shows offline.
const officeKey = "art60.office"

// contactPage is "Contact your unemployment office": the ONEM office of the
// worker's CPAS with its phone and e-mail (seed 002).
type contactPage struct {
	app.Compo

	Lang i18n.Lang

	office *api.Office
	err    string
}

func (p *contactPage) t(id string, args ...string) string { return i18n.T(p.Lang, id, args...) }

func (p *contactPage) OnMount(ctx app.Context) {
	var saved api.Office
	if ctx.LocalStorage().Get(officeKey, &saved) == nil && saved.Name != "" {
		p.office = &saved
	}
	var o api.Office
	fetchJSON(ctx, "/api/v1/office", &o, func(err error) {
		if err != nil {
			if p.office == nil {
				p.err = p.t("contact.failed")
			}
			return
		}
		p.office = &o
		ctx.LocalStorage().Set(officeKey, o)
	})
}

func (p *contactPage) Render() app.UI {
	return app.Section().ID("page-contact").Class("page").Body(
		app.H1().Text(p.t("page.contact.title")),
		app.P().Class("muted").Text(p.t("contact.intro")),
		app.If(p.err != "", func() app.UI { return app.P().Class("banner").Role("alert").Text(p.err) }),
		app.If(p.office != nil, func() app.UI {
			o := p.office
			return app.Div().ID("office").Class("card").Body(
				app.H2().Text(o.Name),
				app.If(o.Address != "", func() app.UI { return app.P().Text(o.Address) }),
				app.P().Body(app.Text(p.t("contact.phone")+p.t("punct.colon")), app.A().Href("tel:"+o.Phone).Text(o.Phone)),
				app.Range(o.Emails).Slice(func(i int) app.UI {
					return app.P().Body(app.Text(p.t("contact.email")+p.t("punct.colon")), app.A().Href("mailto:"+o.Emails[i]).Text(o.Emails[i]))
				}),
			)
		}),
	)
}

// parseLocal shows an RFC 3339 time as HH:MM on the device's clock.
func parseLocal(rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return ""
	}
	return t.Local().Format("15:04")
}
