package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"art60/server/api"
)

// checkKeys walks a JSON body against the Go type it will be decoded into
// and refuses what encoding/json lets through silently: a key given twice
// in one object (the decoder keeps the last, so a proxy or a log that reads
// the first sees another request than the server) and a key that matches a
// field only when case is ignored ("ID" for "id": the decoder folds case,
// the contract in openapi.json does not). Syntax errors are left to the
// decoder, which reports them.
func checkKeys(body []byte, t reflect.Type) *httpError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	err := walkValue(dec, t, "")
	if he, ok := err.(*httpError); ok {
		return he
	}
	return nil
}

// walkValue reads one value from dec; t is its Go type, nil when unknown
// (then only duplicates are looked for).
func walkValue(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t == reflect.TypeFor[json.RawMessage]() {
		t = nil
	}
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		var elem reflect.Type
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields = jsonFields(t)
			case reflect.Map:
				elem = t.Elem()
			}
		}
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			kpath := joinPath(path, key)
			if seen[key] {
				return fail(api.CodeInvalidJSON, "the body gives a field twice",
					api.FieldError{Path: kpath, Message: "duplicate key"})
			}
			seen[key] = true
			ft := elem
			if fields != nil {
				var ok bool
				if ft, ok = fields[key]; !ok {
					for name := range fields {
						if strings.EqualFold(name, key) {
							return fail(api.CodeUnknownField, "the body has a field the API does not know",
								api.FieldError{Path: kpath, Message: "unknown field (field names are case-sensitive: " + strconv.Quote(name) + ")"})
						}
					}
				}
			}
			if err := walkValue(dec, ft, kpath); err != nil {
				return err
			}
		}
		_, err := dec.Token() // }
		return err
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, elem, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ]
		return err
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps the JSON names of a struct's fields, those of embedded
// structs included, to their types, as encoding/json names them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range jsonFields(et) {
					if _, ok := m[k]; !ok {
						m[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}
