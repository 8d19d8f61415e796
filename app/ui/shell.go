package ui

import (
	"art60/app/i18n"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// langKey is where the chosen language is remembered (local storage).
const langKey = "art60.lang"

// shell is the single root component: header, navigation, language switch,
// connectivity, update banner, and the current page.
type shell struct {
	app.Compo

	lang      i18n.Lang
	page      Page
	requestID string
	path      string
	online    bool
	update    bool
}

func newShell() app.Composer { return &shell{lang: i18n.Default, online: true} }

func (s *shell) OnMount(ctx app.Context) {
	s.lang = chosenLang(ctx)
	if !app.IsClient {
		return
	}
	s.online = app.Window().Get("navigator").Get("onLine").Bool()
	s.watchConnectivity(ctx)
	s.applyLang()
	// A marker only the running wasm sets: tests wait for it before driving
	// the page, because go-app replaces the server-rendered nodes on start.
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-art60", "ready")
}

func (s *shell) OnNav(ctx app.Context) {
	s.path = ctx.Page().URL().Path
	s.page, s.requestID = resolve(s.path)
	ctx.Page().SetTitle("%s · art60", i18n.T(s.lang, s.titleID()))
}

func (s *shell) OnAppUpdate(ctx app.Context) {
	s.update = ctx.AppUpdateAvailable()
}

// chosenLang is the remembered language, else the browser's, else French.
func chosenLang(ctx app.Context) i18n.Lang {
	var saved string
	if err := ctx.LocalStorage().Get(langKey, &saved); err == nil {
		if l, ok := i18n.Parse(saved); ok {
			return l
		}
	}
	if app.IsClient {
		if l, ok := i18n.Parse(app.Window().Get("navigator").Get("language").String()); ok {
			return l
		}
	}
	return i18n.Default
}

func (s *shell) setLang(ctx app.Context, l i18n.Lang) {
	s.lang = l
	if err := ctx.LocalStorage().Set(langKey, string(l)); err != nil {
		app.Log("remembering the language failed:", err)
	}
	s.applyLang()
	ctx.Page().SetTitle("%s · art60", i18n.T(s.lang, s.titleID()))
}

// applyLang sets <html lang> so screen readers pronounce the right language.
func (s *shell) applyLang() {
	app.Window().Get("document").Get("documentElement").Set("lang", string(s.lang))
}

func (s *shell) watchConnectivity(ctx app.Context) {
	for _, ev := range []string{"online", "offline"} {
		online := ev == "online"
		app.Window().Call("addEventListener", ev, app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(app.Context) { s.online = online })
			return nil
		}))
	}
}

func (s *shell) t(id string, args ...string) string { return i18n.T(s.lang, id, args...) }

func (s *shell) Render() app.UI {
	return app.Div().Class("shell").Body(
		app.A().Class("skip-link").Href("#main").Text(s.t("skip.main")),
		s.header(),
		app.If(s.update, s.updateBanner),
		app.Main().ID("main").TabIndex(-1).Body(s.content()),
		s.footer(),
	)
}

func (s *shell) header() app.UI {
	return app.Header().Class("app-header").Body(
		app.A().Class("brand").Href("/").Body(
			app.Img().Src("/web/icon.svg").Alt("").Aria("hidden", "true"),
			app.Span().Text(s.t("app.name")),
		),
		app.Nav().Class("app-nav").Aria("label", s.t("nav.label")).Body(
			app.Ul().Body(
				s.navItem("/", "nav.requests"),
				s.navItem("/requests/new", "nav.new"),
				s.navItem("/simulate", "nav.simulate"),
				s.navItem("/queue", "nav.queue"),
				s.navItem("/login", "nav.login"),
			),
		),
		s.langSwitch(),
	)
}

func (s *shell) navItem(href, id string) app.UI {
	a := app.A().Href(href).Text(s.t(id))
	if href == s.path {
		a = a.Aria("current", "page")
	}
	return app.Li().Body(a)
}

func (s *shell) langSwitch() app.UI {
	return app.Div().Class("lang-switch").Body(
		app.Label().For("lang-select").Text(s.t("lang.label")),
		app.Select().ID("lang-select").OnChange(func(ctx app.Context, e app.Event) {
			if l, ok := i18n.Parse(ctx.JSSrc().Get("value").String()); ok {
				s.setLang(ctx, l)
			}
		}).Body(
			app.Range(i18n.Langs).Slice(func(i int) app.UI {
				l := i18n.Langs[i]
				return app.Option().Value(string(l)).Lang(string(l)).Selected(l == s.lang).Text(i18n.Name[l])
			}),
		),
	)
}

func (s *shell) updateBanner() app.UI {
	return app.Div().Class("banner").Role("status").Body(
		app.Span().Text(s.t("update.available")+" "),
		app.Button().ID("update-reload").Text(s.t("update.reload")).OnClick(func(ctx app.Context, e app.Event) {
			ctx.Reload()
		}),
	)
}

func (s *shell) footer() app.UI {
	status, class := s.t("status.online"), "status-online"
	if !s.online {
		status, class = s.t("status.offline"), "status-offline"
	}
	return app.Footer().Class("app-footer").Body(
		app.Span().ID("connectivity").Class(class).Role("status").Text(status),
		app.Span().Text(s.t("footer.version", "version", shortVersion())),
	)
}

// shortVersion is the first characters of the build's content hash.
func shortVersion() string {
	v := app.Getenv("GOAPP_VERSION")
	if len(v) > 8 {
		v = v[:8]
	}
	return v
}
