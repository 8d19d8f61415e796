package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// sniffType names a file by its content, never by its name: PDF, PNG and
// JPEG only, as ONEM accepts.
func sniffType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	}
	return ""
}

func (e *editor) attachmentsField() app.UI {
	list := e.draft.Attachments
	refused := e.local["attachments"]
	describedBy := "attach-hint"
	if refused != "" {
		describedBy += " attach-file-err"
	}
	return app.Div().Class("field attachments").Body(
		app.Label().For("attach-file").Text(e.t("attach.label")),
		app.Span().ID("attach-hint").Class("muted").Text(e.t("attach.hint")),
		app.Input().Type("file").ID("attach-file").Accept("application/pdf,image/png,image/jpeg").
			Aria("invalid", refused != "").Aria("describedby", describedBy).OnChange(e.attach),
		app.If(refused != "", func() app.UI {
			return app.Span().ID("attach-file-err").Class("field-error").Role("alert").Text(refused)
		}),
		app.If(len(list) > 0, func() app.UI {
			return app.Ul().ID("attach-list").Body(app.Range(list).Slice(func(i int) app.UI {
				a := list[i]
				// The button finds its file from the DOM when clicked: go-app
				// keeps an element's first handler (see periodRow).
				return app.Li().DataSet("sha", a.SHA256).Body(
					app.Text(a.Name+" ("+fileFacts(e.Lang, a.Type, a.Size)+") "),
					app.Button().Type("button").Class("secondary small").Aria("label", e.t("attach.remove")+" "+a.Name).
						Text("✕").OnClick(func(ctx app.Context, ev app.Event) {
						e.detach(ctx, ctx.JSSrc().Call("closest", "li").Get("dataset").Get("sha").String())
					}),
				)
			}))
		}),
	)
}

func (e *editor) attach(ctx app.Context, ev app.Event) {
	files := ctx.JSSrc().Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	file := files.Index(0)
	name := file.Get("name").String()
	readFile(e.back(ctx), file, func(data []byte, err error) {
		delete(e.local, "attachments")
		if err != nil {
			e.local["attachments"] = e.t("attach.tooLarge", "name", name)
			return
		}
		typ := sniffType(data)
		if typ == "" {
			e.local["attachments"] = e.t("attach.badType", "name", name)
			return
		}
		sum := sha256.Sum256(data)
		a := drafts.Attachment{Name: name, Type: typ, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
		withStore(e.back(ctx), func(c context.Context, st drafts.Store) error { return st.PutBlob(c, a.SHA256, data) }, func(err error) {
			if err != nil {
				e.storeFailed(err)
				return
			}
			e.draft.Attachments = append(e.draft.Attachments, a)
			e.changed(ctx, "attachments")
		})
	})
}

// detach removes the file with that SHA-256 from the draft.
func (e *editor) detach(ctx app.Context, sha string) {
	e.draft.Attachments = slices.DeleteFunc(slices.Clone(e.draft.Attachments),
		func(a drafts.Attachment) bool { return a.SHA256 == sha })
	e.changed(ctx, "attachments")
}

// fileFacts is a file's type and size as people read them: "PDF, 12,5 kB".
func fileFacts(lang i18n.Lang, typ string, size int64) string {
	kind := strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(typ, "application/"), "image/"))
	return kind + ", " + i18n.Number(float64(size)/1024) + " kB"
}

// requestFiles lists a stored request's attachments with their names; a
// request sent before names travelled lists its files by number.
func requestFiles(r *api.Request) []api.File {
	var out []api.File
	for i, sha := range r.Attachments {
		f := api.File{SHA256: sha, Name: "#" + itoa(i+1)}
		for _, named := range r.Files {
			if named.SHA256 == sha {
				f = named
			}
		}
		out = append(out, f)
	}
	return out
}

// filesList shows the attachments of a sent request, each a link that
// downloads it under its name (the read is audited with the request).
func (v view) filesList(id, requestID string, files []api.File) app.UI {
	if len(files) == 0 {
		return nil
	}
	return app.Div().Class("files").Body(
		app.H3().Text(v.t("attach.label")),
		app.Ul().ID(id).Body(app.Range(files).Slice(func(i int) app.UI {
			f := files[i]
			facts := ""
			if f.Size > 0 {
				facts = " (" + fileFacts(v.lang, f.Type, f.Size) + ")"
			}
			return app.Li().Body(
				app.A().Href("/api/v1/attachments/"+f.SHA256+"?requestId="+requestID).Attr("download", f.Name).Text(f.Name),
				app.Text(facts),
			)
		})),
	)
}
