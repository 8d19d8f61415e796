package calc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Decode parses the JSON of a case strictly (RULES.md §12.17): unknown
// fields, values of the wrong JSON type and a non-integral daysPerWeek are
// errors, all reported at once with their paths; input that is not JSON is a
// single error at path "". It returns *ValidationError on any problem and
// does not run Validate. JSON null is the same as an absent field.
func Decode(data []byte, lang string) (*Case, error) {
	c, errs := decode(data, langOf(lang))
	if len(errs) > 0 {
		return nil, &ValidationError{Fields: errs}
	}
	return c, nil
}

// Parse is Decode then Validate with the problems of both in one answer, so
// that a user who sent an unknown field and an invalid NISS hears of both.
// A validation problem at or under a path that did not decode is left out:
// it would only repeat the first (a "q" of the wrong type is not also
// "required").
func Parse(data []byte, lang string) (*Case, error) {
	l := langOf(lang)
	c, errs := decode(data, l)
	if c == nil {
		return nil, &ValidationError{Fields: errs}
	}
	_, verrs := c.prepare(l)
	for _, e := range verrs {
		if !under(e.Path, errs) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Fields: errs}
	}
	return c, nil
}

// decode returns the case as far as it decoded and the problems met; the
// case is nil when data is not one JSON object.
func decode(data []byte, l lang) (*Case, []FieldError) {
	d := decoder{l: l}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, d.notJSON(err, len(data))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, d.notJSON(nil, int(dec.InputOffset()))
	}
	c := d.caseOf(v)
	if _, ok := v.(map[string]any); !ok {
		return nil, d.errs
	}
	return c, d.errs
}

// under reports whether path is one of the failed paths or inside one.
func under(path string, failed []FieldError) bool {
	for _, f := range failed {
		if path == f.Path || strings.HasPrefix(path, f.Path+".") || strings.HasPrefix(path, f.Path+"[") {
			return true
		}
	}
	return false
}

type decoder struct {
	l    lang
	errs []FieldError
}

// notJSON is the one problem of input that is not a JSON value, with the
// byte where it goes wrong (a syntax error's own offset, else at) so that a
// hand-edited file can be fixed.
func (d *decoder) notJSON(err error, at int) []FieldError {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		at = int(syn.Offset)
	}
	if at <= 0 {
		return []FieldError{{Path: "", Message: tr(d.l, "json.invalid")}}
	}
	return []FieldError{{Path: "", Message: tr(d.l, "json.invalid_at", strconv.Itoa(at))}}
}

func (d *decoder) fail(path, id string) {
	d.errs = append(d.errs, FieldError{Path: path, Message: tr(d.l, id)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// object checks that v is an object (or null) without unknown keys.
func (d *decoder) object(v any, path string, known ...string) (map[string]any, bool) {
	if v == nil {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(path, "type.object")
		return nil, false
	}
	var unknown []string
	for k := range m {
		if !contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		d.fail(join(path, k), "field.unknown")
	}
	return m, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *decoder) str(m map[string]any, key, path string) string {
	v := m[key]
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.fail(join(path, key), "type.string")
	}
	return s
}

func (d *decoder) strPtr(m map[string]any, key, path string) *string {
	v := m[key]
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		d.fail(join(path, key), "type.string")
		return nil
	}
	return &s
}

func (d *decoder) boolPtr(m map[string]any, key, path string) *bool {
	v := m[key]
	if v == nil {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		d.fail(join(path, key), "type.boolean")
		return nil
	}
	return &b
}

func (d *decoder) num(m map[string]any, key, path string, integral bool) *float64 {
	v := m[key]
	if v == nil {
		return nil
	}
	p := join(path, key)
	n, ok := v.(json.Number)
	if !ok {
		d.fail(p, "type.number")
		return nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		d.fail(p, "number.range")
		return nil
	}
	if integral && f != math.Trunc(f) {
		d.fail(p, "type.integer")
		return nil
	}
	return &f
}

func (d *decoder) caseOf(v any) *Case {
	c := &Case{}
	m, ok := d.object(v, "", "person", "contract", "periods", "lastBenefitDate",
		"previousAdmissionDate", "options")
	if !ok {
		if v == nil {
			d.fail("", "type.object")
		}
		return c
	}
	if p, ok := d.object(m["person"], "person", "niss", "birthDate"); ok {
		c.Person.NISS = d.str(p, "niss", "person")
		c.Person.BirthDate = d.str(p, "birthDate", "person")
	}
	if k, ok := d.object(m["contract"], "contract", "start", "daysPerWeek", "q", "s"); ok {
		c.Contract.Start = d.str(k, "start", "contract")
		c.Contract.DaysPerWeek = d.num(k, "daysPerWeek", "contract", true)
		c.Contract.Q = d.num(k, "q", "contract", false)
		c.Contract.S = d.num(k, "s", "contract", false)
	}
	c.Periods = d.periods(m["periods"])
	c.LastBenefitDate = d.strPtr(m, "lastBenefitDate", "")
	c.PreviousAdmissionDate = d.strPtr(m, "previousAdmissionDate", "")
	if o, ok := d.object(m["options"], "options", "claimDays", "conventionCountries"); ok {
		c.Options.ClaimDays = d.str(o, "claimDays", "options")
		c.Options.ConventionCountries = d.strings(o["conventionCountries"], "options.conventionCountries")
	}
	return c
}

func (d *decoder) periods(v any) []Period {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		d.fail("periods", "type.array")
		return nil
	}
	out := make([]Period, len(list))
	for i, e := range list {
		path := indexPath("periods", i)
		m, ok := d.object(e, path, "kind", "from", "to", "daysPerWeek", "q", "s",
			"days", "hours", "country", "label", "frontierWorker", "childBirthDate", "childDisability")
		if !ok {
			if e == nil {
				d.fail(path, "type.object")
			}
			continue
		}
		p := &out[i]
		p.Kind = d.str(m, "kind", path)
		p.From = d.str(m, "from", path)
		p.To = d.str(m, "to", path)
		p.DaysPerWeek = d.num(m, "daysPerWeek", path, true)
		p.Q = d.num(m, "q", path, false)
		p.S = d.num(m, "s", path, false)
		p.Days = d.num(m, "days", path, false)
		p.Hours = d.num(m, "hours", path, false)
		p.Country = d.str(m, "country", path)
		p.Label = d.str(m, "label", path)
		p.FrontierWorker = d.boolPtr(m, "frontierWorker", path)
		p.ChildBirthDate = d.strPtr(m, "childBirthDate", path)
		p.ChildDisability = d.boolPtr(m, "childDisability", path)
	}
	return out
}

func (d *decoder) strings(v any, path string) []string {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		d.fail(path, "type.array")
		return nil
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			d.fail(indexPath(path, i), "type.string")
		}
		out[i] = s
	}
	return out
}
