package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"art60/app/i18n"
	"art60/calc"
	"art60/server/api"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// A modification or an end-of-contract check is a copy of a request ONEM
// answered (RULES.md §11). Both sides see what the copy is, of which
// request, why (ONEM's reason or remark, the derogation's justification),
// and what changed in the case.

// change is one difference between the original's case and the copy's.
type change struct{ path, before, after string }

// caseChanges lists the fields whose values differ, by path in the case
// ("contract.start", "periods[2].to"), in path order.
func caseChanges(before, after calc.Case) []change {
	a, b := flatCase(before), flatCase(after)
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	var out []change
	for p := range paths {
		if a[p] != b[p] {
			out = append(out, change{p, a[p], b[p]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// flatCase maps each leaf of the case's JSON to its text.
func flatCase(c calc.Case) map[string]string {
	data, _ := json.Marshal(c)
	var v any
	json.Unmarshal(data, &v)
	out := map[string]string{}
	flatten("", v, out)
	return out
}

func flatten(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if path == "" {
				flatten(k, e, out)
			} else {
				flatten(path+"."+k, e, out)
			}
		}
	case []any:
		for i, e := range x {
			flatten(path+"["+strconv.Itoa(i)+"]", e, out)
		}
	case nil:
	default:
		out[path] = fmt.Sprint(x)
	}
}

// changesList shows the changes with the labels of the editor.
func (v view) changesList(cs []change) app.UI {
	if len(cs) == 0 {
		return app.P().ID("copy-changes").Class("muted").Text(v.t("copy.unchanged"))
	}
	show := func(s string) string {
		if s == "" {
			return "—"
		}
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			return i18n.Date(s)
		}
		return s
	}
	return app.Ul().ID("copy-changes").Body(app.Range(cs).Slice(func(i int) app.UI {
		c := cs[i]
		return app.Li().Text(v.pathLabel(c.path) + v.t("punct.colon") + show(c.before) + " → " + show(c.after))
	}))
}

// copyOf is the card above a copy: its kind, a link to the original, ONEM's
// answer to the original, the derogation's justification and the changes.
// href is where the original is read (the CPAS's detail or the agent's
// review).
func (v view) copyOf(kind api.Kind, original *api.Request, href, derogation string, cs []change) app.UI {
	title := v.t("copy.of." + string(kind))
	return app.Section().ID("copy-of").Class("card").Body(
		app.H2().Text(title),
		app.P().Body(app.A().ID("copy-original").Href(href).Text(v.t("copy.original",
			"name", personName(v.lang, original.LastName, original.FirstName),
			"date", i18n.Date(dateOf(original.ReceivedAt))))),
		app.If(original.Decision != nil, func() app.UI {
			d := original.Decision
			return app.P().ID("copy-reason").Class("banner").Text(strings.TrimSpace(v.t("copy.answer",
				"status", v.t("status."+string(d.Outcome)), "remark", d.Remark)))
		}),
		app.If(derogation != "", func() app.UI {
			return app.P().ID("copy-derogation").Text(v.t("endCheck.justification") + v.t("punct.colon") + derogation)
		}),
		app.If(kind == api.KindEndCheck, func() app.UI {
			from, to, _ := api.EndCheckWindow(original.ContractEnd())
			return app.P().Class("muted").Text(v.t("endCheck.window.dates", "from", i18n.Date(from), "to", i18n.Date(to)))
		}),
		app.H3().Text(v.t("copy.changes")),
		v.changesList(cs),
	)
}

// decodeCase reads a stored case; a case that does not decode is empty.
func decodeCase(raw json.RawMessage) calc.Case {
	var c calc.Case
	json.Unmarshal(raw, &c)
	return c
}
