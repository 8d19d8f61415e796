package store

import (
	_ "embed"
	"encoding/json"
	"sync"

	"art60/server/api"
)

// Office is an ONEM office (bureau de chômage) and its first-line contact
// for CPAS (seed 002, "Contact de première ligne"). Offices are reference
// data shipped with the program: add a row to offices.json for a new one.
//
// The seed is an OCR of a slide: the e-mail addresses were cleaned of OCR
// noise ("charlerci", "verviersi", "namuri") and the telephone numbers of
// Namur and Brussels, which the slide has swapped (081 is Namur's zone, 02
// Brussels'), were put back; the Flemish and German-speaking offices are
// not on that slide yet.
type Office = api.Office

//go:embed offices.json
var officesJSON []byte

var offices = sync.OnceValue(func() []Office {
	var o []Office
	if err := json.Unmarshal(officesJSON, &o); err != nil {
		panic("store: offices.json: " + err.Error())
	}
	return o
})

// Offices lists the ONEM offices.
func Offices() []Office { return offices() }

// OfficeByID finds one office.
func OfficeByID(id string) (Office, bool) {
	for _, o := range offices() {
		if o.ID == id {
			return o, true
		}
	}
	return Office{}, false
}
