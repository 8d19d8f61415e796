package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCodesListsEveryErrorCode: a code declared in errors.go but missing
// from Codes would reach a user untranslated.
func TestCodesListsEveryErrorCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "Code") {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok {
			return true
		}
		code, _ := strconv.Unquote(lit.Value)
		declared++
		if !slices.Contains(Codes, code) {
			t.Errorf("%s (%q) is not in Codes", vs.Names[0].Name, code)
		}
		return true
	})
	if declared != len(Codes) || declared < 20 {
		t.Errorf("%d codes declared, %d listed", declared, len(Codes))
	}
}
