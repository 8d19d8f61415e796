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

// TestFilesNameOnlyTheAttachments: a file entry must name an attachment,
// once, with a plain name, a known type and a size.
func TestFilesNameOnlyTheAttachments(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	ok := File{SHA256: sha, Name: "contrat 2023.pdf", Type: "application/pdf", Size: 1200}
	if fs := checkFiles([]File{ok}, []string{sha}); len(fs) != 0 {
		t.Fatalf("a good file is refused: %+v", fs)
	}
	for _, tc := range []struct {
		f    File
		path string
	}{
		{File{SHA256: strings.Repeat("cd", 32), Name: "x.pdf", Type: "application/pdf", Size: 1}, "files[0].sha256"},
		{File{SHA256: sha, Name: "../etc/passwd", Type: "application/pdf", Size: 1}, "files[0].name"},
		{File{SHA256: sha, Name: strings.Repeat("a", MaxFileName+1), Type: "application/pdf", Size: 1}, "files[0].name"},
		{File{SHA256: sha, Name: "x.html", Type: "text/html", Size: 1}, "files[0].type"},
		{File{SHA256: sha, Name: "x.pdf", Type: "application/pdf"}, "files[0].size"},
	} {
		if fs := checkFiles([]File{tc.f}, []string{sha}); len(fs) != 1 || fs[0].Path != tc.path {
			t.Errorf("%+v: %+v, want one error at %s", tc.f, fs, tc.path)
		}
	}
	if fs := checkFiles([]File{ok, ok}, []string{sha}); len(fs) != 1 || fs[0].Path != "files[1].sha256" {
		t.Errorf("a file named twice: %+v", fs)
	}
}
