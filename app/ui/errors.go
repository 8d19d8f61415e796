package ui

import (
	"errors"
	"strings"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"
)

// The server answers a refusal with a stable code and field paths; its
// English message is for programs and logs. The user reads the code's
// translation ("error.<code>", one per api.Codes in each catalogue) and the
// fields by their labels, in the language of the screen.

// errorText is what a user reads for a failed call.
func errorText(lang i18n.Lang, err error) string {
	var ae *syncer.APIError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae):
		return apiErrorText(lang, &ae.Body)
	}
	if _, known := i18n.Catalogue(lang)[err.Error()]; known {
		return i18n.T(lang, err.Error()) // the sync engine's errors are message ids
	}
	return i18n.T(lang, "error.network")
}

// storeErrorText is what a user reads when the device store fails: the
// message id it carries (signin.required, storage.full, the engine's
// sync.err.…) translated, else the browser's own words, which are more
// useful than a guess.
func storeErrorText(lang i18n.Lang, err error) string {
	if errors.Is(err, drafts.ErrDeviceFull) {
		return i18n.T(lang, drafts.ErrDeviceFull.Error())
	}
	if _, known := i18n.Catalogue(lang)[err.Error()]; known {
		return i18n.T(lang, err.Error())
	}
	return err.Error()
}

// apiErrorText translates a refusal, naming the fields it points at.
func apiErrorText(lang i18n.Lang, e *api.Error) string {
	text := i18n.T(lang, "error."+e.Code)
	if _, known := i18n.Catalogue(i18n.EN)["error."+e.Code]; !known {
		text = i18n.T(lang, "error.internal")
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, view{lang}.pathLabel(casePath(f.Path)))
	}
	if len(fields) > 0 {
		text += " (" + strings.Join(fields, ", ") + ")"
	}
	return text
}

// casePath turns a path of the wire ("case.periods[2].to",
// "submission.referenceEmail") into the editor's ("periods[2].to").
func casePath(p string) string {
	for _, prefix := range []string{"request.", "submission.", "case."} {
		p = strings.TrimPrefix(p, prefix)
	}
	return p
}
