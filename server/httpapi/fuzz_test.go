package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"art60/server/api"
	"art60/server/store"
)

// Fuzz targets for what the API reads from the network before any check of
// its own: the JSON bodies of a push and of a decision (decodeJSON, the
// strict decoder every handler uses, then the body's Check) and the sync
// cursor of a pull. Seeds: testdata/fuzz/<Target>/; `make fuzz` runs them
// (README, "Fuzzing").

// decodeStrict runs decodeJSON on body as a handler does.
func decodeStrict(body []byte, limit int64, v any) error {
	r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return decodeJSON(httptest.NewRecorder(), r, limit, v)
}

// checkDecoded holds the invariants common to both bodies. A refusal is an
// httpError whose code is one of api.Codes with a 4xx status, and a type
// error names a field path that exists in the body's type, so that the
// client can show it at its field. An accepted body re-encodes to JSON that
// the same strict decoder accepts again, and whose encoding is then the
// same: what the server stores and sends back is read back unchanged.
func checkDecoded[T any](t *testing.T, body []byte, err error, v *T, check func(*T) []api.FieldError) {
	t.Helper()
	if err != nil {
		var he *httpError
		if !errors.As(err, &he) {
			t.Fatalf("%q: error %T %v is not an API error", body, err, err)
		}
		if !slices.Contains(api.Codes, he.body.Code) || he.status < 400 || he.status > 499 {
			t.Fatalf("%q: code %q status %d", body, he.body.Code, he.status)
		}
		switch he.body.Code {
		case api.CodeInvalidType:
			if len(he.body.Fields) != 1 || !pathExists(reflect.TypeFor[T](), he.body.Fields[0].Path) {
				t.Fatalf("%q: type error at %+v, not a field of %T", body, he.body.Fields, *v)
			}
		case api.CodeUnknownField:
			// The path is the field's name: empty only for a key spelled "".
			if len(he.body.Fields) != 1 || (he.body.Fields[0].Path == "" && !bytes.Contains(body, []byte(`""`))) {
				t.Fatalf("%q: unknown field without its name: %+v", body, he.body.Fields)
			}
		}
		return
	}
	for _, fe := range check(v) {
		if fe.Path == "" || fe.Message == "" {
			t.Fatalf("%q: check error without a path or a message: %+v", body, fe)
		}
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%q: accepted but does not re-encode: %v", body, err)
	}
	var w T
	if err := decodeStrict(again, 1<<30, &w); err != nil {
		t.Fatalf("%q: its re-encoding %s is refused: %v", body, again, err)
	}
	third, err := json.Marshal(&w)
	if err != nil || !bytes.Equal(again, third) {
		t.Fatalf("%q: re-encoded %s, then %s (%v)", body, again, third, err)
	}
}

// pathExists says whether a dotted JSON path (as encoding/json reports it:
// field names, no indices) leads through t's fields; "" is the body itself.
func pathExists(t reflect.Type, path string) bool {
	if path == "" {
		return true
	}
	for name := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" {
				tag = f.Name
			}
			if strings.EqualFold(tag, name) { // encoding/json matches names without case
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func FuzzPushBody(f *testing.F) {
	valid, _ := json.Marshal(pushOf("laptop-1", 1, submission()))
	f.Add(valid)
	f.Add([]byte(`{"clientId":"a","schemaVersion":2,"mutations":[{"mutationId":1,"op":"submit","request":{"id":1}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in api.PushRequest
		err := decodeStrict(body, maxJSONBody, &in)
		checkDecoded(t, body, err, &in, (*api.PushRequest).Check)
	})
}

func FuzzDecisionBody(f *testing.F) {
	f.Add([]byte(`{"outcome":"calculated","contractEnd":"2025-02-03","days":120,"remark":"Maladie : prolongation."}`))
	f.Add([]byte(`{"outcome":"invalidated","remark":"pièces manquantes"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in api.DecisionRequest
		err := decodeStrict(body, 64<<10, &in)
		checkDecoded(t, body, err, &in, (*api.DecisionRequest).Check)
	})
}

// FuzzParseCursor: any text is a cursor or a request for a full snapshot
// (a negative sequence, which the store treats as unknown). A cursor the
// server issued (formatCursor) reads back as itself, and an accepted one
// is the text's epoch up to its first dot and a sequence that formats and
// parses back unchanged.
func FuzzParseCursor(f *testing.F) {
	f.Add("")
	f.Add("3f2a9c.42")
	f.Fuzz(func(t *testing.T, s string) {
		c := parseCursor(s)
		if c.Seq < 0 {
			return
		}
		if !strings.HasPrefix(s, c.Epoch+".") || strings.Contains(c.Epoch, ".") {
			t.Fatalf("%q: epoch %q is not the text before the first dot", s, c.Epoch)
		}
		if back := parseCursor(formatCursor(c)); back != c {
			t.Fatalf("%q: %+v formats as %q, which reads %+v", s, c, formatCursor(c), back)
		}
		// The same text as an epoch the store could have made (no dot).
		issued := store.Cursor{Epoch: strings.ReplaceAll(s, ".", ""), Seq: c.Seq}
		if back := parseCursor(formatCursor(issued)); back != issued {
			t.Fatalf("issued %+v reads back as %+v", issued, back)
		}
	})
}
