package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"art60/app/drafts"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actions are the buttons under the result: save (simulations), check
// everything, export, import, print, delete.
func (e *editor) actions() app.UI {
	return app.Div().Class("card actions no-print").Body(
		// The status line is always there, empty or not: when "Saved at…"
		// appeared above the buttons it pushed Send down under a pointer
		// already on its way, and the click was lost.
		app.P().ID("save-status").Class(e.saveClass()).Role("status").Text(e.saveMsg),
		app.If(e.draft.Rejection != nil, func() app.UI {
			return app.P().ID("send-rejected").Class("field-error").Role("alert").
				Text(e.t("send.rejected") + " " + apiErrorText(e.Lang, e.draft.Rejection))
		}),
		app.If(e.Offline && !e.draft.Simulation, func() app.UI {
			return app.P().ID("send-hint").Class("muted").Text(e.t("send.offline"))
		}),
		app.Div().Class("button-row").Body(
			app.If(!e.draft.Simulation, func() app.UI {
				send := app.Button().Type("button").ID("send").Text(e.t("action.send")).OnClick(e.send)
				if e.Offline {
					send = send.Text(e.t("action.send.later")).Aria("describedby", "send-hint")
				}
				return send
			}),
			app.If(e.draft.Simulation && e.DraftID == "", func() app.UI {
				return app.Button().Type("button").ID("save-simulation").Text(e.t("action.saveSimulation")).
					OnClick(func(ctx app.Context, ev app.Event) { e.save(ctx) })
			}),
			app.Button().Type("button").Class("secondary").ID("check-all").Text(e.t("action.checkAll")).
				OnClick(func(ctx app.Context, ev app.Event) { e.showAll = true }),
			app.Button().Type("button").Class("secondary").ID("export").Text(e.t("action.export")).
				OnClick(e.export),
			app.Label().Class("button secondary").For("import-file").Text(e.t("action.import")),
			app.Input().Type("file").ID("import-file").Class("visually-hidden").Accept("application/json,.json").
				OnChange(e.importFile),
			app.Button().Type("button").Class("secondary").ID("print").Text(e.t("action.print")).
				OnClick(func(ctx app.Context, ev app.Event) { app.Window().Call("print") }),
			app.If(e.DraftID != "", func() app.UI {
				return app.Button().Type("button").Class("secondary").ID("delete").Text(e.t("action.delete")).
					OnClick(e.deleteDraft)
			}),
		),
	)
}

// saveClass styles the status line: an error stands out.
func (e *editor) saveClass() string {
	if e.saveErr {
		return "status-line field-error"
	}
	return "status-line muted"
}

// send checks everything and queues the request for ONEM; it leaves the
// device when the server is reachable, even if the app is closed meanwhile
// and reopened later.
func (e *editor) send(ctx app.Context, ev app.Event) {
	e.showAll = true
	delete(e.local, "referenceEmail")
	if !api.ValidEmail(e.draft.ReferenceEmail) { // the server's own check
		e.local["referenceEmail"] = e.t("send.email")
	}
	if len(e.local) > 0 || len(e.out.errs) > 0 {
		e.saveMsg, e.saveErr = e.t("send.fix"), true
		focusLater(e.back(ctx), fieldID(e.firstErrorPath()))
		return
	}
	eng := engine()
	if eng == nil {
		return
	}
	d := e.draft
	d.UpdatedAt = now().UTC().Format(time.RFC3339)
	withStore(e.back(ctx), func(c context.Context, _ drafts.Store) error { return eng.Send(c, d) }, func(err error) {
		if err != nil {
			e.storeFailed(err)
			return
		}
		ctx.Navigate(requestURL(d.ID, false))
	})
}

// firstErrorPath is the field a keyboard user is taken to when sending
// fails: the first in the case's order of paths (a row's fields by row).
func (e *editor) firstErrorPath() string {
	var paths []string
	for key := range e.local {
		paths = append(paths, e.pathOfKey(key))
	}
	for path := range e.out.errs {
		paths = append(paths, path)
	}
	if len(paths) == 0 {
		return ""
	}
	return slices.MinFunc(paths, func(a, b string) int {
		if ra, rb := screenRank(a), screenRank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
}

// screenOrder lists the editor's fields top to bottom, by path prefix.
var screenOrder = []string{"lastName", "firstName", "person.", "contract.", "periods[", "options.",
	"lastBenefitDate", "previousAdmissionDate", "referenceEmail", "comments", "attachments"}

// screenRank is where a path's field stands on the screen; a period's
// field ranks by its row.
func screenRank(path string) int {
	for i, prefix := range screenOrder {
		if strings.HasPrefix(path, prefix) {
			if row, _, ok := parsePeriodPath(path); ok {
				return i*100000 + row
			}
			return i * 100000
		}
	}
	return len(screenOrder) * 100000
}

// pathOfKey turns a mark's key back into the field's current path
// ("row:r3.to" -> "periods[2].to"; other keys are paths).
func (e *editor) pathOfKey(key string) string {
	rest, ok := strings.CutPrefix(key, "row:")
	if !ok {
		return key
	}
	id, field, _ := strings.Cut(rest, ".")
	if i := e.rows.index(id); i >= 0 {
		return periodPath(i, field)
	}
	return key
}

// export downloads the draft as a JSON file through a blob: URL.
func (e *editor) export(ctx app.Context, ev app.Event) {
	data, err := e.draft.ExportJSON()
	if err != nil {
		e.saveMsg, e.saveErr = err.Error(), true
		return
	}
	blob := app.Window().Get("Blob").New([]any{string(data)}, map[string]any{"type": "application/json"})
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", "art60-"+e.draft.ID[:8]+".json")
	a.Call("click")
	app.Window().Get("URL").Call("revokeObjectURL", url)
}

// importFile reads a chosen export file into a new draft and opens it.
func (e *editor) importFile(ctx app.Context, ev app.Event) {
	files := ctx.JSSrc().Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	readFile(e.back(ctx), files.Index(0), func(data []byte, err error) {
		if err != nil {
			e.saveMsg, e.saveErr = err.Error(), true
			return
		}
		d, err := drafts.Import(data, string(e.Lang), now())
		if err != nil {
			e.saveMsg, e.saveErr = e.t("import.failed", "error", err.Error()), true
			return
		}
		withStore(e.back(ctx), func(c context.Context, st drafts.Store) error { return st.Put(c, d) }, func(err error) {
			if err != nil {
				e.storeFailed(err)
				return
			}
			ctx.Navigate(requestURL(d.ID, true))
		})
	})
}

func (e *editor) deleteDraft(ctx app.Context, ev app.Event) {
	if !app.Window().Call("confirm", e.t("action.delete.confirm")).Bool() {
		return
	}
	id := e.draft.ID
	withStore(e.back(ctx), func(c context.Context, st drafts.Store) error { return st.Delete(c, id) }, func(err error) {
		if err != nil {
			e.saveMsg, e.saveErr = err.Error(), true
			return
		}
		ctx.Navigate("/")
	})
}

// readFile reads a File's bytes (File.arrayBuffer) and calls done on the UI
// goroutine.
func readFile(ctx app.Context, file app.Value, done func([]byte, error)) {
	size := file.Get("size").Int()
	if size > drafts.MaxAttachmentSize {
		done(nil, errTooLarge)
		return
	}
	file.Call("arrayBuffer").Call("then", app.FuncOf(func(this app.Value, args []app.Value) any {
		arr := app.Window().Get("Uint8Array").New(args[0])
		data := make([]byte, arr.Length())
		app.CopyBytesToGo(data, arr)
		ctx.Dispatch(func(app.Context) { done(data, nil) })
		return nil
	}))
}

type uiError string

func (e uiError) Error() string { return string(e) }

const errTooLarge = uiError("file larger than 10 MB")
