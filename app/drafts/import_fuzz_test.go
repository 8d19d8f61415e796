package drafts

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"art60/calc"
)

// FuzzImport: any file the worker picks is either imported or refused with
// ErrNotExport or calc's validation error, whose every problem names its
// field; an imported draft exports to a file that imports back to the same
// details and case. Seeds: testdata/fuzz/FuzzImport; `make fuzz` runs it.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"format":"art60-draft/1","lastName":"Exemple","case":{"person":{"birthDate":"1998-06-01"},"contract":{"start":"2024-01-08","daysPerWeek":5},"periods":[{"kind":"work","from":"2023-01-02","to":"2023-06-30"}]}}`), "fr")
	f.Add([]byte(`{"person":{"birthDate":"1998-06-01"},"contract":{"start":"2024-01-08"}}`), "nl")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, lang string) {
		d, err := Import(data, lang, now)
		if err != nil {
			var ve *calc.ValidationError
			switch {
			case errors.Is(err, ErrNotExport):
			case errors.As(err, &ve):
				if len(ve.Fields) == 0 {
					t.Fatalf("%q: a validation error with no field", data)
				}
				for _, fe := range ve.Fields {
					if fe.Message == "" {
						t.Fatalf("%q: a problem without a message at %q", data, fe.Path)
					}
				}
			default:
				t.Fatalf("%q: error %T %v", data, err, err)
			}
			return
		}
		file, err := d.ExportJSON()
		if err != nil {
			t.Fatalf("%q: imported, but the draft does not export: %v", data, err)
		}
		back, err := Import(file, lang, now)
		if err != nil {
			t.Fatalf("%q: exported as %s, which does not import: %v", data, file, err)
		}
		// The cases are compared as JSON: an empty list the file spelled
		// out ("conventionCountries":[]) comes back absent, which means the same.
		c1, err1 := json.Marshal(d.Case)
		c2, err2 := json.Marshal(back.Case)
		if back.LastName != d.LastName || back.FirstName != d.FirstName || back.ReferenceEmail != d.ReferenceEmail ||
			back.Comments != d.Comments || err1 != nil || err2 != nil || !bytes.Equal(c1, c2) {
			t.Fatalf("%q: imported %+v with case %s, exported and imported again %+v with case %s", data, d, c1, back, c2)
		}
	})
}
