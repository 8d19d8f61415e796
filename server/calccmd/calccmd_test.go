package calccmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const v1 = `{"person":{"birthDate":"1995-03-10"},"contract":{"start":"2024-01-08","daysPerWeek":5,"q":38,"s":38}}`

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

type errorOut struct {
	Error struct {
		Code   string `json:"code"`
		Fields []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"fields"`
		Message          string  `json:"message"`
		Horizon          string  `json:"horizon"`
		BestCredit       float64 `json:"bestCredit"`
		BestRequiredDays float64 `json:"bestRequiredDays"`
		BestContractEnd  string  `json:"bestContractEnd"`
	} `json:"error"`
}

func decodeErr(t *testing.T, s string) errorOut {
	t.Helper()
	var e errorOut
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return e
}

func paths(e errorOut) []string {
	var p []string
	for _, f := range e.Error.Fields {
		p = append(p, f.Path)
	}
	return p
}

func TestSolveStdin(t *testing.T) {
	code, out, _ := run(t, v1)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	var r struct {
		ContractEnd string `json:"contractEnd"`
		ClaimDate   string `json:"claimDate"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.ContractEnd != "2025-01-03" || r.ClaimDate != "2025-01-04" {
		t.Fatalf("%v %s", err, out)
	}
	if !strings.Contains(out, "\n  \"ruleSet\"") {
		t.Errorf("not indented: %.80s", out)
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, in, path string
	}{
		{"malformed JSON", `{"person":`, ""},
		{"unknown kind", strings.Replace(v1, `}}`, `},"periods":[{"kind":"gardening","from":"2023-01-02","to":"2023-01-31"}]}`, 1), "periods[0].kind"},
		{"invalid NISS", strings.Replace(v1, `"birthDate"`, `"niss":"12345678901","birthDate"`, 1), "person.niss"},
		{"reversed dates", strings.Replace(v1, `}}`, `},"periods":[{"kind":"work","from":"2023-06-30","to":"2023-01-02"}]}`, 1), "periods[0].to"},
		{"unknown field", strings.Replace(v1, `"person"`, `"persoon":{},"person"`, 1), "persoon"},
	} {
		code, out, _ := run(t, tc.in)
		e := decodeErr(t, out)
		if code != ExitInvalid || e.Error.Code != "invalid" || !contains(paths(e), tc.path) {
			t.Errorf("%s: exit %d %s", tc.name, code, out)
		}
	}
	// all problems at once, in French
	code, out, _ := run(t, `{"person":{"niss":"1"},"contract":{"start":"2024-02-30"},"periods":[{"kind":"x","from":"2023-06-30","to":"2023-01-02","note":1}]}`, "-lang", "fr")
	e := decodeErr(t, out)
	if code != ExitInvalid || len(e.Error.Fields) != 5 || e.Error.Fields[0].Path != "periods[0].note" || e.Error.Fields[1].Message != "numéro NISS ou BIS non valide" {
		t.Errorf("exit %d %s", code, out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUnreachable(t *testing.T) {
	in := `{"person":{"birthDate":"1995-03-10"},"contract":{"start":"2024-01-08","q":1,"s":60}}`
	code, out, _ := run(t, in, "-lang", "nl")
	e := decodeErr(t, out)
	if code != ExitUnreachable || e.Error.Code != "unreachable" || e.Error.Horizon != "2030-01-07" ||
		e.Error.BestRequiredDays != 312 || e.Error.BestCredit == 0 || e.Error.BestContractEnd == "" ||
		!strings.HasPrefix(e.Error.Message, "Geen einddatum") {
		t.Fatalf("exit %d %s", code, out)
	}
}

func TestFileAndBatch(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "case.json")
	os.WriteFile(one, []byte(v1), 0o644)
	if code, out, _ := run(t, "", one); code != ExitOK || !strings.Contains(out, `"contractEnd": "2025-01-03"`) {
		t.Fatalf("file: %d %s", code, out)
	}
	batch := filepath.Join(dir, "cases.jsonl")
	lines := []string{v1, `{"person":`, "", `{"person":{"birthDate":"1995-03-10"},"contract":{"start":"2024-01-08","q":1,"s":60}}`, "  ", v1}
	os.WriteFile(batch, []byte(strings.Join(lines, "\r\n")), 0o644)
	code, out, _ := run(t, "", "-batch", batch)
	got := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitUnreachable || len(got) != 4 {
		t.Fatalf("batch: exit %d, %d lines\n%s", code, len(got), out)
	}
	for i, want := range []string{`"contractEnd":"2025-01-03"`, `"code":"invalid"`, `"code":"unreachable"`, `"contractEnd":"2025-01-03"`} {
		if !strings.Contains(got[i], want) {
			t.Errorf("line %d: %s", i, got[i])
		}
	}
	// batch from stdin, all fine
	if code, out, _ := run(t, v1+"\n"+v1+"\n", "-batch", "-"); code != ExitOK || strings.Count(out, "\n") != 2 {
		t.Errorf("stdin batch: %d %s", code, out)
	}
	// a batch line over the limit is invalid, and the next line still runs
	big := strings.Repeat(" ", MaxInput+10) + v1
	if code, out, _ := run(t, big+"\n"+v1+"\n", "-batch", "-"); code != ExitInvalid || strings.Count(out, "\n") != 2 ||
		!strings.Contains(out, "input too large") || !strings.Contains(out, `"contractEnd":"2025-01-03"`) {
		t.Errorf("big batch line: %d %.300s", code, out)
	}
}

// endless never ends: the command must stop reading at the limit.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestTooLarge(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(nil, endless{}, &out, &errb)
	e := decodeErr(t, out.String())
	if code != ExitInvalid || len(e.Error.Fields) != 1 || e.Error.Fields[0].Path != "" {
		t.Fatalf("exit %d %s", code, out.String())
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-lang", "es"}, {"a", "b"}, {"-batch", "x", "y"}, {"-nope"}, {"/does/not/exist.json"}} {
		code, out, errs := run(t, v1, args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, "usage: art60 calc") {
			t.Errorf("%v: exit %d out %q err %q", args, code, out, errs)
		}
	}
	if code, out, _ := run(t, "", "-h"); code != ExitOK || !strings.Contains(out, "usage") {
		t.Errorf("-h: %d %s", code, out)
	}
}

// The optional period fields of RULES.md revision 2 (§7) reach the engine
// through the command: each gives the result §12 defines.
func TestRevision2Fields(t *testing.T) {
	type result struct {
		Reason      string `json:"reason"`
		ContractEnd string `json:"contractEnd"`
		Window      struct {
			ExtensionDays int `json:"extensionDays"`
		} `json:"window"`
		Periods []struct {
			Treatment string `json:"treatment"`
		} `json:"periods"`
	}
	withPeriods := func(periods string) string {
		return strings.Replace(v1, `}}`, `},"periods":[`+periods+`]}`, 1)
	}
	for _, tc := range []struct {
		name, periods, reason, end, treatment string
		extension                             int
	}{
		// §12.11: a frontier worker's work in France counts at once; without
		// the mark it waits for 3 months of the contract
		{"frontier worker", `{"kind":"work","from":"2022-04-08","to":"2023-12-29","country":"FR","frontierWorker":true}`,
			"enough_days", "", "credit", 0},
		{"not a frontier worker", `{"kind":"work","from":"2022-04-08","to":"2023-12-29","country":"FR","frontierWorker":false}`,
			"", "2024-04-08", "credit", 0},
		// §12.19: only the days before the child's 6th birthday (09/07/2023) extend
		{"child's 6th birthday", `{"kind":"child_raising","from":"2023-01-08","to":"2024-01-07","childBirthDate":"2017-07-09"}`,
			"", "2025-01-03", "extend", 182},
		{"18th birthday with a disability", `{"kind":"child_raising","from":"2023-01-08","to":"2024-01-07","childBirthDate":"2005-07-09","childDisability":true}`,
			"", "2025-01-03", "extend", 182},
		{"the same child without a disability", `{"kind":"child_raising","from":"2023-01-08","to":"2024-01-07","childBirthDate":"2005-07-09","childDisability":false}`,
			"", "2025-01-03", "none", 0},
	} {
		code, out, _ := run(t, withPeriods(tc.periods))
		var r result
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitOK {
			t.Fatalf("%s: exit %d %v\n%s", tc.name, code, err, out)
		}
		if r.Reason != tc.reason || r.ContractEnd != tc.end || r.Periods[0].Treatment != tc.treatment || r.Window.ExtensionDays != tc.extension {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	// a field on a kind that does not use it, or of the wrong type: exit 2 with its path
	for _, tc := range []struct{ periods, path string }{
		{`{"kind":"sickness_mutual","from":"2023-01-02","to":"2023-01-31","frontierWorker":true}`, "periods[0].frontierWorker"},
		{`{"kind":"work","from":"2023-01-02","to":"2023-01-31","frontierWorker":true}`, "periods[0].frontierWorker"},
		{`{"kind":"work","from":"2023-01-02","to":"2023-01-31"},{"kind":"work","from":"2023-02-01","to":"2023-02-28","childBirthDate":"2020-01-01"}`, "periods[1].childBirthDate"},
		{`{"kind":"self_employed","from":"2020-01-01","to":"2022-12-31","childDisability":true}`, "periods[0].childDisability"},
		{`{"kind":"child_raising","from":"2020-01-01","to":"2022-12-31","childDisability":"yes"}`, "periods[0].childDisability"},
	} {
		code, out, _ := run(t, withPeriods(tc.periods))
		if e := decodeErr(t, out); code != ExitInvalid || e.Error.Code != "invalid" || !contains(paths(e), tc.path) {
			t.Errorf("%s: exit %d %s", tc.path, code, out)
		}
	}
}
