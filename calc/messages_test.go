package calc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\{[0-9]\}`)

// Every message exists in the four languages with the same placeholders.
func TestMessages(t *testing.T) {
	for id, m := range messages {
		en := placeholder.FindAllString(m[langEN], -1)
		slices.Sort(en)
		for l, s := range m {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: language %d is empty", id, l)
			}
			p := placeholder.FindAllString(s, -1)
			slices.Sort(p)
			if !slices.Equal(p, en) {
				t.Errorf("%s: language %d has placeholders %v, English %v", id, l, p, en)
			}
		}
	}
	if tr(langFR, "opt.main", "312", "21") != "312 jours en 21 mois" || tr(langEN, "nope") != "nope" {
		t.Error("tr")
	}
	if langOf("xx") != langEN || langOf("nl") != langNL {
		t.Error("langOf")
	}
}

// Every message id the code uses exists: string literals passed to tr, add,
// fail and failAt, and the ids built from tables.
func TestMessageIDsUsed(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	if len(files) == 0 {
		t.Skip("sources not readable here")
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Skip(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			arg := map[string]int{"tr": 1, "trSuffix": 1, "appendMsg": 2, "add": 0, "addRule": 1, "fail": 1, "failAt": 2}
			i, ok := arg[name]
			if !ok || len(call.Args) <= i {
				return true
			}
			if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, _ := strconv.Unquote(lit.Value)
				if _, ok := messages[id]; !ok {
					t.Errorf("%s: message %q does not exist", fset.Position(lit.Pos()), id)
				}
			}
			return true
		})
	}
	for _, id := range kindIDs {
		if _, ok := messages["kind."+id]; !ok {
			t.Errorf("kind.%s missing", id)
		}
	}
	for _, rs := range ruleSets {
		ids := []string{rs.nameMsg, "step.ruleset." + rs.id, rs.cite.options, rs.cite.extension, rs.cite.abroad,
			rs.cite.abroadExtend}
		ids = append(ids, rs.cite.treat[:]...)
		for k := range rs.kinds {
			ids = append(ids, rs.citeOf(k, rs.kinds[k].t))
		}
		if rs.capYears > 0 {
			ids = append(ids, rs.cite.cap)
		}
		if rs.art42 {
			ids = append(ids, rs.cite.art42)
		}
		for _, id := range ids {
			if _, ok := messages[id]; !ok {
				t.Errorf("%s missing", id)
			}
		}
	}
}

// Steps and warnings come in the requested language, with no message id left.
func TestStepsLanguages(t *testing.T) {
	c := newCase("1984-06-15", "2026-01-05", work("2023-01-02", "2023-06-30"),
		per("child_raising", "2025-09-01", "2025-10-31"), per("sickness_mutual", "2026-07-06", "2026-07-17"),
		Period{Kind: "work", From: "2025-01-06", To: "2025-01-31", Country: "US"})
	c.LastBenefitDate = sp("2019-01-01")
	seen := map[string]bool{}
	for _, l := range []string{"fr", "nl", "de", "en"} {
		r, err := Solve(c, l)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(append(r.Steps, r.Warnings...), "\n")
		if len(r.Steps) < 8 || len(r.Warnings) == 0 || placeholder.MatchString(all) ||
			regexp.MustCompile(`\b(step|warn|kind|treat|opt)\.[a-z]`).MatchString(all) {
			t.Errorf("%s: %s", l, all)
		}
		if seen[r.Steps[0]] {
			t.Errorf("%s: step not translated: %s", l, r.Steps[0])
		}
		seen[r.Steps[0]] = true
	}
	if _, err := Solve(c, "xx"); err != nil {
		t.Fatal(err)
	}
}
