package ui

import (
	"time"

	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"

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

	sync           syncer.State
	dataVersion    int // grows when requests changed on this device or another tab
	session        *api.SessionInfo
	signedInBefore bool // someone has signed in on this device
}

func newShell() app.Composer {
	return &shell{lang: i18n.Default, online: true, sync: syncer.State{Reachable: true}}
}

func (s *shell) OnMount(ctx app.Context) {
	s.lang = chosenLang(ctx)
	s.session = rememberedSession(ctx)
	s.signedInBefore = s.session != nil || signedInBefore(ctx)
	startSync(ctx, s)
	if !app.IsClient {
		return
	}
	if eng := engine(); eng != nil {
		s.sync = eng.State()
		eng.SetLang(string(s.lang))
	}
	watchSessionElsewhere()
	s.online = app.Window().Get("navigator").Get("onLine").Bool()
	watchUpdates(ctx)
	s.watchConnectivity(ctx)
	watchInput()
	guardUnload()
	s.applyLang()
	// A marker only the running wasm sets: tests wait for it before driving
	// the page, because go-app replaces the server-rendered nodes on start.
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-art60", "ready")
	// The same moment on the page's clock: e2e/TestStartTime reads it as
	// the time the app took to start (README, "Performance").
	if perf := app.Window().Get("performance"); perf.Truthy() && perf.Get("mark").Truthy() {
		perf.Call("mark", "art60-ready")
	}
}

func (s *shell) OnNav(ctx app.Context) {
	s.path = ctx.Page().URL().Path
	s.page, s.requestID = resolve(s.path)
	ctx.Page().SetTitle("%s · art60", i18n.T(s.lang, s.titleID()))
}

// OnAppUpdate is go-app's word that a service worker was activated. On the
// very first visit that is this version's own worker claiming the page, so
// the banner shows only when this version's cache is gone, i.e. a newer
// worker replaced it.
func (s *shell) OnAppUpdate(ctx app.Context) {
	ctx.Async(func() {
		newer := !cacheExists("app-" + app.Getenv("GOAPP_VERSION"))
		ctx.Dispatch(func(app.Context) { s.update = newer })
	})
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
	if eng := engine(); eng != nil {
		eng.SetLang(string(l))
	}
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
			if eng := engine(); online && eng != nil {
				eng.Kick() // back online: send what waits now
			}
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
		app.A().Class("brand").Href(s.homeHref()).Body(
			app.Img().Src("/web/icon.svg").Alt("").Aria("hidden", "true"),
			app.Span().Text(s.t("app.name")),
		),
		app.Nav().Class("app-nav").Aria("label", s.t("nav.label")).Body(
			app.Ul().Body(app.Range(s.navItems()).Slice(func(i int) app.UI {
				item := s.navItems()[i]
				return s.navItem(item[0], item[1])
			})),
		),
		s.userBox(),
		s.langSwitch(),
	)
}

// homeHref is where the brand link leads: the user's home screen.
func (s *shell) homeHref() string {
	if s.session == nil {
		return "/"
	}
	return homeFor(s.session.Role)
}

// syncsRequests says whether this session has requests to sync: a CPAS
// worker's.
func syncsRequests(info *api.SessionInfo) bool {
	return info != nil && info.Role == api.RoleWorker
}

// watchSessionElsewhere reloads this tab when another tab signs in or out:
// its screens and its device data must be the new user's, or nobody's.
func watchSessionElsewhere() {
	app.Window().Call("addEventListener", "storage", app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) > 0 && args[0].Get("key").String() == sessionKey {
			app.Window().Get("location").Call("reload")
		}
		return nil
	}))
}

// navItems are the screens of the user's role; without a session, the
// simulator (which needs no identity) and the login.
func (s *shell) navItems() [][2]string {
	worker := [][2]string{{"/", "nav.requests"}, {"/requests/new", "nav.new"}, {"/simulate", "nav.simulate"}}
	switch {
	case s.session == nil:
		return [][2]string{{"/simulate", "nav.simulate"}, {"/login", "nav.login"}}
	case s.session.Role == api.RoleAgent:
		return [][2]string{{"/queue", "nav.queue"}, {"/reports", "nav.reports"}, {"/simulate", "nav.simulate"}}
	case s.session.Role == api.RoleCPASAdmin:
		return [][2]string{{"/users", "nav.users"}}
	case s.session.Role == api.RoleOfficeAdmin, s.session.Role == api.RoleAdmin:
		return [][2]string{{"/users", "nav.users"}, {"/reports", "nav.reports"}}
	case s.session.Role == api.RoleDPO:
		return [][2]string{{"/privacy", "nav.privacy"}}
	}
	return append(worker, [2]string{"/contact", "nav.contact"})
}

func (s *shell) userBox() app.UI {
	if s.session == nil {
		return nil
	}
	who := s.session.DisplayName
	if s.session.CPASName != "" {
		who += " · " + s.session.CPASName
	} else if s.session.OfficeName != "" {
		who += " · " + s.session.OfficeName
	}
	return app.Div().Class("user-box").Body(
		app.Span().ID("user-name").Text(who),
		app.A().ID("nav-password").Href("/password").Text(s.t("nav.password")),
		app.Button().Type("button").Class("secondary small").ID("logout").Text(s.t("nav.logout")).
			OnClick(func(ctx app.Context, e app.Event) { logout(ctx, s.lang, false) }),
		app.Button().Type("button").Class("secondary small").ID("logout-all").Text(s.t("nav.logout_all")).
			OnClick(func(ctx app.Context, e app.Event) { logout(ctx, s.lang, true) }),
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

// footer shows the sync state at all times: reachable or not, what waits
// to be sent, the last sync, and any error with a retry button.
func (s *shell) footer() app.UI {
	st := s.sync
	status, class := s.t("status.online"), "status-online"
	if !s.online || !st.Reachable {
		status, class = s.t("status.offline"), "status-offline"
	}
	return app.Footer().Class("app-footer").Body(
		app.Span().ID("connectivity").Class(class).Role("status").Text(status),
		// What waits to be sent concerns only those who send requests.
		app.If(syncsRequests(s.session), func() app.UI {
			return app.Span().ID("sync-pending").Role("status").Text(s.t("sync.pending", "count", itoa(st.Pending)))
		}),
		app.If(syncsRequests(s.session) && !st.LastSync.IsZero(), func() app.UI {
			return app.Span().ID("sync-last").Text(s.t("sync.last", "time", st.LastSync.Format("15:04")))
		}),
		app.If(s.session == nil && s.page != PageLogin, func() app.UI {
			return app.A().ID("sync-signin").Href("/login").Text(s.t(map[bool]string{true: "sync.login", false: "sync.signin"}[s.signedInBefore]))
		}),
		app.If(s.session != nil && st.NeedLogin, func() app.UI {
			return app.A().ID("sync-login").Href("/login").Text(s.t("sync.login"))
		}),
		app.If(st.UpdateRequired, func() app.UI {
			return app.Button().Type("button").ID("sync-update").Text(s.t("sync.update")).
				OnClick(func(ctx app.Context, e app.Event) { ctx.Reload() })
		}),
		app.If(st.Error != "" && !st.NeedLogin && !st.UpdateRequired, func() app.UI {
			return app.Span().ID("sync-error").Class("field-error").Body(
				app.Text(s.t("sync.error", "error", s.t(st.Error))+" "),
				app.Button().Type("button").Class("secondary small").ID("sync-retry").Text(s.t("sync.retry")).
					OnClick(func(ctx app.Context, e app.Event) {
						if eng := engine(); eng != nil {
							eng.Kick()
						}
					}),
			)
		}),
		// The build's version matters when reporting a problem, not at
		// every glance: it waits behind "About".
		app.Details().ID("about").Class("about").Body(
			app.Summary().Text(s.t("footer.about")),
			app.P().ID("about-version").Text(s.t("footer.version", "version", shortVersion())),
		),
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

// updateCheck is how often the app asks whether a new version is out (the
// service worker fetches app-worker.js; a changed one means a new build).
const updateCheck = 10 * time.Minute

var watchingUpdates bool

// watchUpdates checks for a new version now and then; go-app tells the
// shell through OnAppUpdate, which shows the banner.
func watchUpdates(ctx app.Context) {
	if watchingUpdates {
		return
	}
	watchingUpdates = true
	go func() {
		for range time.Tick(updateCheck) {
			app.TryUpdate()
		}
	}()
}
