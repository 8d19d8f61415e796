package calc

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestDecodeStrict(t *testing.T) {
	ok := `{"person":{"niss":"85073003328","birthDate":"1985-07-30"},
	 "contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38},
	 "periods":[{"kind":"work","from":"2023-01-02","to":"2023-06-30","daysPerWeek":5,"q":38,"s":38,"country":"BE","label":"Interim SA"}],
	 "lastBenefitDate":null,"previousAdmissionDate":null,
	 "options":{"claimDays":"mon-sat","conventionCountries":[]}}`
	c, err := Decode([]byte(ok), "en")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if c.Periods[0].Label != "Interim SA" || *c.Contract.Q != 38 || c.LastBenefitDate != nil {
		t.Fatalf("decoded %+v", c)
	}
	if err := c.Validate("en"); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, tc := range []struct {
		in    string
		paths []string
	}{
		{`not json`, []string{""}},
		{``, []string{""}},
		{`{"person":{}} trailing`, []string{""}},
		{`[1,2]`, []string{""}},
		{`null`, []string{""}},
		{`{"person":{"nis":"x"},"extra":1}`, []string{"extra", "person.nis"}},
		{`{"contract":{"start":20240108,"daysPerWeek":5.5,"q":"38"}}`, []string{"contract.start", "contract.daysPerWeek", "contract.q"}},
		{`{"periods":{}}`, []string{"periods"}},
		{`{"periods":[1,null,{"kind":"work","days":"3","foo":true}]}`, []string{"periods[0]", "periods[1]", "periods[2].foo", "periods[2].days"}},
		{`{"options":{"conventionCountries":["FR",3]}}`, []string{"options.conventionCountries[1]"}},
		{`{"contract":{"s":1e999}}`, []string{"contract.s"}},
		{`{"lastBenefitDate":5}`, []string{"lastBenefitDate"}},
	} {
		_, err := Decode([]byte(tc.in), "en")
		got := fieldsOf(t, err)
		if len(got) != len(tc.paths) {
			t.Errorf("%s: got %v, want paths %v", tc.in, got, tc.paths)
			continue
		}
		for _, p := range tc.paths {
			if _, ok := got[p]; !ok {
				t.Errorf("%s: no error at %q in %v", tc.in, p, got)
			}
		}
	}
	// where the JSON goes wrong, for a hand-edited file
	for in, want := range map[string]string{`{"a":[1,}`: "not valid JSON from byte 9", `{"a":1} x`: "not valid JSON from byte 8", ``: "not valid JSON"} {
		if f := fieldsOf(t, second(Decode([]byte(in), "en"))); f[""] != want {
			t.Errorf("%q: %v, want %q", in, f, want)
		}
	}
	// localised
	_, err = Decode([]byte(`{"x":1}`), "fr")
	if f := fieldsOf(t, err); f["x"] != "champ inconnu" {
		t.Errorf("fr message: %v", f)
	}
}

func TestValidateAllAtOnce(t *testing.T) {
	c := &Case{
		Person:   Person{NISS: "12345678901", BirthDate: "1985-02-30"},
		Contract: Contract{Start: "2024-13-01", DaysPerWeek: fp(8), Q: fp(40), S: fp(38)},
		Periods: []Period{
			{Kind: "work", From: "2023-06-30", To: "2023-01-02"},
			{Kind: "holidays", From: "1899-12-31", To: "2101-01-01", Q: fp(10)},
			{Kind: "work", From: "2023-01-02", To: "2023-01-31", Days: fp(3), Hours: fp(-1), Country: "UK"},
			{Kind: "", From: "", To: "2023-01-31", S: fp(61), DaysPerWeek: fp(2.5)},
			{Kind: "work", From: "2023-01-02", To: "2023-01-31", Hours: fp(20)},
		},
		LastBenefitDate:       sp("yesterday"),
		PreviousAdmissionDate: sp("2020-02-30"),
		Options:               Options{ClaimDays: "sun-sat", ConventionCountries: []string{"FR", "EL"}},
	}
	got := fieldsOf(t, c.Validate("en"))
	want := []string{
		"person.niss", "person.birthDate", "contract.start", "contract.daysPerWeek", "contract.q",
		"periods[0].to", "periods[1].kind", "periods[1].from", "periods[1].to", "periods[1].s",
		"periods[2].hours", "periods[2].country", "periods[2].s", "periods[3].kind", "periods[3].from", "periods[3].s",
		"periods[3].daysPerWeek", "periods[4].s", "lastBenefitDate", "previousAdmissionDate",
		"options.claimDays", "options.conventionCountries[1]",
	}
	for _, p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("no error at %s", p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d paths %v, want %d", len(got), got, len(want))
	}
	if got["periods[0].to"] != "ends before it starts" || got["periods[1].kind"] != "unknown kind" {
		t.Errorf("messages: %v", got)
	}
	// Solve reports the same
	if _, err := Solve(c, "en"); len(fieldsOf(t, err)) != len(got) {
		t.Errorf("Solve does not validate")
	}
}

func TestValidateDetails(t *testing.T) {
	valid := func() *Case { return newCase("1995-03-10", "2024-01-08", work("2023-01-02", "2023-06-30")) }
	for _, tc := range []struct {
		name string
		edit func(*Case)
		path string // "" = valid
	}{
		{"ok", func(*Case) {}, ""},
		{"q without s", func(c *Case) { c.Periods[0].Q = fp(19) }, "periods[0].s"},
		{"s without q is full time", func(c *Case) { c.Periods[0].S = fp(38) }, ""},
		{"q > s", func(c *Case) { c.Periods[0].Q, c.Periods[0].S = fp(39), fp(38) }, "periods[0].q"},
		{"q = 0", func(c *Case) { c.Periods[0].Q, c.Periods[0].S = fp(0), fp(38) }, "periods[0].q"},
		{"s > 60", func(c *Case) { c.Contract.Q, c.Contract.S = fp(38), fp(60.5) }, "contract.s"},
		{"s = 60", func(c *Case) { c.Contract.Q, c.Contract.S = fp(38), fp(60) }, ""},
		{"decimal hours", func(c *Case) { c.Contract.Q, c.Contract.S = fp(19.5), fp(38) }, ""},
		{"daysPerWeek 0", func(c *Case) { c.Periods[0].DaysPerWeek = fp(0) }, "periods[0].daysPerWeek"},
		{"daysPerWeek 7", func(c *Case) { c.Periods[0].DaysPerWeek = fp(7) }, ""},
		{"hours need s", func(c *Case) { c.Periods[0].Hours = fp(10) }, "periods[0].s"},
		{"days and hours", func(c *Case) { c.Periods[0].Days, c.Periods[0].Hours, c.Periods[0].S = fp(1), fp(1), fp(38) }, "periods[0].hours"},
		{"negative days", func(c *Case) { c.Periods[0].Days = fp(-1) }, "periods[0].days"},
		{"zero days", func(c *Case) { c.Periods[0].Days = fp(0) }, ""},
		{"country GB", func(c *Case) { c.Periods[0].Country = "GB" }, ""},
		{"country gb", func(c *Case) { c.Periods[0].Country = "gb" }, "periods[0].country"},
		{"country EL", func(c *Case) { c.Periods[0].Country = "EL" }, "periods[0].country"},
		{"date 1900", func(c *Case) { c.Periods[0].From = "1900-01-01" }, ""},
		{"date 2100", func(c *Case) { c.Periods[0].To = "2100-12-31" }, ""},
		{"date 1899", func(c *Case) { c.Periods[0].From = "1899-12-31" }, "periods[0].from"},
		{"29 Feb 2023", func(c *Case) { c.Periods[0].From = "2023-02-29" }, "periods[0].from"},
		{"date format", func(c *Case) { c.Periods[0].From = "2023-1-02" }, "periods[0].from"},
		{"no birth date", func(c *Case) { c.Person.BirthDate = "" }, "person.birthDate"},
		{"birth date from NISS", func(c *Case) { c.Person = Person{NISS: "85073003328"} }, ""},
		{"NISS and birth date agree", func(c *Case) { c.Person = Person{NISS: "85.07.30-033.28", BirthDate: "1985-07-30"} }, ""},
		{"NISS and birth date differ", func(c *Case) { c.Person = Person{NISS: "85073003328", BirthDate: "1985-07-31"} }, "person.birthDate"},
		{"invalid NISS", func(c *Case) { c.Person.NISS = "12345678901" }, "person.niss"},
		{"claim days mon-fri", func(c *Case) { c.Options.ClaimDays = "mon-fri" }, ""},
		{"empty lastBenefitDate", func(c *Case) { c.LastBenefitDate = sp("") }, ""},
		{"no contract start", func(c *Case) { c.Contract.Start = "" }, "contract.start"},
		{"NaN", func(c *Case) { c.Contract.DaysPerWeek = fp(nan()) }, "contract.daysPerWeek"},
	} {
		err := tc.edit
		c := valid()
		err(c)
		e := c.Validate("en")
		if tc.path == "" {
			if e != nil {
				t.Errorf("%s: %v", tc.name, e)
			}
			continue
		}
		if f := fieldsOf(t, e); len(f) != 1 || f[tc.path] == "" {
			t.Errorf("%s: %v, want one error at %s", tc.name, f, tc.path)
		}
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestTooManyPeriods(t *testing.T) {
	c := newCase("1995-03-10", "2024-01-08")
	for i := 0; i < 2001; i++ {
		c.Periods = append(c.Periods, Period{Kind: "nope", From: "x", To: "y"})
	}
	f := fieldsOf(t, c.Validate("nl"))
	if len(f) != 1 || f["periods"] != "hoogstens 2000 periodes" {
		t.Fatalf("%v", f)
	}
	c.Periods = c.Periods[:2000]
	for i := range c.Periods {
		c.Periods[i] = work("2023-01-02", "2023-01-06")
	}
	if err := c.Validate("en"); err != nil {
		t.Fatal(err)
	}
}

func TestValidationErrorString(t *testing.T) {
	err := newCase("", "2024-01-08").Validate("de")
	var v *ValidationError
	if !errors.As(err, &v) || !strings.HasPrefix(err.Error(), "invalid case: person.birthDate: ") {
		t.Fatalf("%v", err)
	}
	if v.Fields[0].Message != tr(langDE, "birth.required") {
		t.Errorf("de message %q", v.Fields[0].Message)
	}
}

func TestNISS(t *testing.T) {
	for _, tc := range []struct {
		in, birth string
		year      int
		bis       bool
		sex       string
	}{
		{"85073003328", "1985-07-30", 1985, false, "M"},
		{"85.07.30-033.28", "1985-07-30", 1985, false, "M"},
		{"85 07 30 033 28", "1985-07-30", 1985, false, "M"},
		{"17073003384", "2017-07-30", 2017, false, "M"}, // only valid with the 2000 rule
		{"98472899765", "1998-07-28", 1998, true, "M"},  // BIS, month + 40
		{withCheck("850730034", false), "1985-07-30", 1985, false, "F"},
		{withCheck("852730034", false), "1985-07-30", 1985, true, ""}, // BIS, month + 20: sex unknown
		{withCheck("850000123", false), "", 1985, false, "M"},         // month and day unknown
		{withCheck("050101123", true), "2005-01-01", 2005, false, "M"},
	} {
		info, err := ParseNISS(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if info.BirthDate != tc.birth || info.Year != tc.year || info.BIS != tc.bis || info.Sex != tc.sex || len(info.Digits) != 11 {
			t.Errorf("%s: %+v", tc.in, info)
		}
	}
	for _, bad := range []string{"12345678901", "", "8507300332", "850730033288", "85073003329",
		"85a73003328", withCheck("851330012", false), withCheck("850230012", false), withCheck("850732012", false),
		withCheck("855330012", false), withCheck("853330012", false)} {
		if _, err := ParseNISS(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// 17073003384 fails the 1900 rule
	if 97-170730033%97 == 84 {
		t.Fatal("example no longer needs the 2000 rule")
	}
	// the birth date is taken from the NISS when omitted
	c := newCase("", "2024-01-08")
	c.Person.NISS = "98472899765"
	if r := mustSolve(t, c); r.AgeAtClaim != 26 {
		t.Errorf("age from BIS: %d", r.AgeAtClaim)
	}
	c.Person.NISS = withCheck("850000123", false) // no full birth date
	if f := fieldsOf(t, c.Validate("en")); len(f) != 1 || f["person.birthDate"] == "" {
		t.Errorf("%v", f)
	}
	c.Person.BirthDate = "1985-03-04" // year agrees, month and day unknown: fine
	if err := c.Validate("en"); err != nil {
		t.Error(err)
	}
	c.Person.BirthDate = "1986-03-04"
	if f := fieldsOf(t, c.Validate("en")); f["person.birthDate"] == "" {
		t.Errorf("year mismatch not reported: %v", f)
	}
}

// withCheck appends the check digits to 9 digits (2000 rule if y2k).
func withCheck(nine string, y2k bool) string {
	n, _ := strconv.Atoi(nine)
	if y2k {
		n += 2000000000
	}
	c := 97 - n%97
	return nine + string(rune('0'+c/10)) + string(rune('0'+c%10))
}

// TestParseAllAtOnce: the problems of decoding and of validation come in one
// answer, without a repeat for a field that did not decode.
func TestParseAllAtOnce(t *testing.T) {
	in := `{"person":{"niss":"85073003327"},"extra":1,
	 "contract":{"start":"2025-06-02","daysPerWeek":5,"q":"38","s":38},
	 "periods":[{"kind":"nope","from":"2020-01-10","to":"2020-01-01","bogus":2}]}`
	_, err := Parse([]byte(in), "en")
	got := fieldsOf(t, err)
	want := []string{"extra", "contract.q", "periods[0].bogus", "person.niss", "periods[0].kind", "periods[0].to"}
	for _, p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("no error at %q in %v", p, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want exactly %v", got, want)
	}
	for _, in := range []string{`[1]`, `null`, `nope`} {
		if f := fieldsOf(t, second(Parse([]byte(in), "en"))); len(f) != 1 || f[""] == "" {
			t.Errorf("%s: %v, want one error at the root", in, f)
		}
	}
	ok := `{"person":{"niss":"85073003328"},"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38}}`
	if c, err := Parse([]byte(ok), "en"); err != nil || c.Person.NISS != "85073003328" {
		t.Fatalf("Parse(valid) = %v, %v", c, err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestALabelIsAtMost200Characters: a label is a note, not a document; the
// limit is checked at the label's path, in the user's language.
func TestALabelIsAtMost200Characters(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{MaxLabel, true}, {MaxLabel + 1, false}, {100000, false}} {
		c := newCase("1998-06-01", "2024-01-08", work("2023-01-02", "2023-06-30"))
		c.Periods[0].Label = strings.Repeat("é", tc.n)
		_, err := Solve(c, "fr")
		var ve *ValidationError
		if got := !errors.As(err, &ve); got != tc.ok {
			t.Fatalf("%d characters: %v", tc.n, err)
		}
		if !tc.ok && (ve.Fields[0].Path != "periods[0].label" || ve.Fields[0].Message != "200 caractères au plus") {
			t.Fatalf("%d characters: %+v", tc.n, ve.Fields)
		}
	}
}
