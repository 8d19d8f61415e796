package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"art60/app/drafts"
	"art60/app/i18n"
	"art60/app/syncer"
	"art60/server/api"
)

// TestEveryServerErrorCodeIsTranslated: each code the server can answer
// (api.Codes) reads in the user's language, in each of the four catalogues,
// and never as the server's English message.
func TestEveryServerErrorCodeIsTranslated(t *testing.T) {
	for _, l := range i18n.Langs {
		cat := i18n.Catalogue(l)
		for _, code := range api.Codes {
			if _, ok := cat["error."+code]; !ok {
				t.Errorf("%s: no translation of error code %q", l, code)
				continue
			}
			got := errorText(l, &syncer.APIError{Status: 400, Body: api.Error{Code: code, Message: "the English message"}})
			if got == "" || strings.Contains(got, "English") || strings.HasPrefix(got, "error.") {
				t.Errorf("%s: %q reads %q", l, code, got)
			}
		}
	}
}

// TestARefusalNamesItsFieldsByTheirLabels: paths become the labels the
// user sees beside the fields.
func TestARefusalNamesItsFieldsByTheirLabels(t *testing.T) {
	e := &api.Error{Code: api.CodeInvalid, Message: "x", Fields: []api.FieldError{
		{Path: "case.periods[2].to", Message: "must be a date"}, {Path: "referenceEmail", Message: "bad"}}}
	got := apiErrorText(i18n.NL, e)
	for _, want := range []string{"Regel 3", "Tot", "E-mail"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "must be a date") {
		t.Errorf("%q carries the server's English", got)
	}
}

// TestAnUnknownCodeOrANetworkFailureStillReads: a code this build does not
// know reads as a server error; a failed fetch as "unreachable".
func TestAnUnknownCodeOrANetworkFailureStillReads(t *testing.T) {
	if got := apiErrorText(i18n.FR, &api.Error{Code: "from_the_future"}); got != i18n.T(i18n.FR, "error.internal") {
		t.Errorf("unknown code reads %q", got)
	}
	if got := errorText(i18n.DE, errors.New("TypeError: Failed to fetch")); got != i18n.T(i18n.DE, "error.network") {
		t.Errorf("network failure reads %q", got)
	}
	if got := errorText(i18n.NL, errors.New("sync.err.login")); got != i18n.T(i18n.NL, "sync.err.login") {
		t.Errorf("engine error reads %q", got)
	}
}

// TestAFullDeviceReadsAsSuch: a write the browser refused for want of
// space reads, in each language, as the device's storage being full (not
// in the browser's English), and the editor's alert about it exists in
// each catalogue.
func TestAFullDeviceReadsAsSuch(t *testing.T) {
	err := fmt.Errorf("%w: QuotaExceededError: the quota has been exceeded", drafts.ErrDeviceFull)
	for _, l := range i18n.Langs {
		got := storeErrorText(l, err)
		if got != i18n.T(l, "storage.full") || strings.Contains(got, "Quota") || strings.HasPrefix(got, "storage.") {
			t.Errorf("%s: a full device reads %q", l, got)
		}
		if _, ok := i18n.Catalogue(l)["storage.full.help"]; !ok {
			t.Errorf("%s: no storage.full.help", l)
		}
	}
}

func TestThePasswordFormNamesTheFieldOfEachProblem(t *testing.T) {
	const current, good = "the old password", "a new passphrase"
	for _, c := range []struct {
		current, next, confirm string
		want                   map[string]string
	}{
		{current, good, good, map[string]string{}},
		{"", good, good, map[string]string{pwCurrent: "password.err.current"}},
		{current, "too short", "too short", map[string]string{pwNew: "password.err.short"}},
		{current, current, current, map[string]string{pwNew: "password.err.same"}},
		{current, good, good + "!", map[string]string{pwConfirm: "password.err.mismatch"}},
	} {
		for _, lang := range i18n.Langs {
			got := passwordErrors(lang, c.current, c.next, c.confirm)
			if len(got) != len(c.want) {
				t.Errorf("%s %+v: %v", lang, c, got)
			}
			for id, msg := range c.want {
				if got[id] != i18n.T(lang, msg) || !strings.Contains(got[id], i18n.T(lang, fieldLabel[id])) {
					t.Errorf("%s %+v: %s = %q, want %s naming the field", lang, c, id, got[id], msg)
				}
			}
		}
	}
}

// fieldLabel is the label of each field of the password form.
var fieldLabel = map[string]string{pwCurrent: "password.current", pwNew: "password.new", pwConfirm: "password.confirm"}
