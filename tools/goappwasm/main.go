// Command goappwasm prepares the go-app of the browser build: a copy of the
// module go.mod requires (its pkg/app and pkg/errors) in which the server's
// half, the HTTP handler, is left out of js/wasm builds, and a go.mod
// (wasm.mod) that replaces go-app by that copy.
//
//	go run ./tools/goappwasm DIR
//	GOOS=js GOARCH=wasm go build -modfile=DIR/wasm.mod ./wasm
//
// Why: go-app v10 compiles its app.Handler into the browser too, and with
// it net/http, crypto/tls, x509 and mime, whose package initialisers the
// linker must keep: 337 KB of brotli on 2026-11-29, for code the browser
// never runs (README, "Performance"). The edits only add build constraints
// and move one field behind a type; each must find its text, so an upgrade
// of go-app that changes these files stops the build instead of patching
// blindly. The server, vet and staticcheck use go-app as it is.
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const module = "github.com/maxence-charriere/go-app/v10"

// packages are the ones of go-app the browser build imports.
var packages = []string{"pkg/app", "pkg/errors"}

// edit replaces old by new in a file of the copy; old must occur once.
type edit struct{ file, old, new string }

var edits = []edit{
	// The handler, its page rendering and its proxying: the server's.
	{"pkg/app/http.go", "package app\n", "//go:build !wasm\n\npackage app\n"},
	// Its js/wasm stub of the static site generator names the handler.
	{"pkg/app/wasm.go", `import (
	"runtime"

	"github.com/maxence-charriere/go-app/v10/pkg/errors"
)

func GenerateStaticWebsite(dir string, h *Handler, pages ...string) error {
	panic(errors.New("unsupported instruction").
		WithTag("architecture", runtime.GOARCH))
}
`, ""},
	// LocalDir's file server is the server's; the resolver keeps its type.
	{"pkg/app/resource.go", "import (\n\t\"net/http\"\n\t\"strings\"\n)", "import (\n\t\"strings\"\n)"},
	{"pkg/app/resource.go", "Handler:   http.FileServer(http.Dir(directory)),", "fileHandler: fileServer(directory),"},
	{"pkg/app/resource.go", "type localResourceResolver struct {\n\thttp.Handler", "type localResourceResolver struct {\n\tfileHandler"},
}

// added are new files of the copy.
var added = map[string]string{
	"pkg/app/resource_http.go": "//go:build !wasm\n\npackage app\n\nimport \"net/http\"\n\ntype fileHandler = http.Handler\n\nfunc fileServer(dir string) fileHandler { return http.FileServer(http.Dir(dir)) }\n",
	"pkg/app/resource_wasm.go": "//go:build wasm\n\npackage app\n\n// fileHandler stands for the server's file handler, which a browser never\n// uses.\ntype fileHandler any\n\nfunc fileServer(string) fileHandler { return nil }\n",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goappwasm DIR")
		os.Exit(2)
	}
	if err := prepare(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "goappwasm:", err)
		os.Exit(1)
	}
}

func prepare(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		return fmt.Errorf("locating %s: %w", module, err)
	}
	src := strings.TrimSpace(string(out))
	dst := filepath.Join(dir, "go-app")
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(src, "go.mod"), filepath.Join(dst, "go.mod")); err != nil {
		return err
	}
	for _, p := range packages {
		if err := copyPackage(filepath.Join(src, p), filepath.Join(dst, p)); err != nil {
			return err
		}
	}
	for _, e := range edits {
		if err := apply(dst, e); err != nil {
			return err
		}
	}
	for name, text := range added {
		if err := os.WriteFile(filepath.Join(dst, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return writeModFile(dir, dst)
}

// copyPackage copies the Go files of one package, tests left out.
func copyPackage(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if err := copyFile(filepath.Join(from, name), filepath.Join(to, name)); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

func apply(root string, e edit) error {
	name := filepath.Join(root, e.file)
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if n := bytes.Count(data, []byte(e.old)); n != 1 {
		return fmt.Errorf("%s: the text to replace occurs %d times, not once (a new go-app? see tools/goappwasm): %q", e.file, n, e.old)
	}
	return os.WriteFile(name, bytes.Replace(data, []byte(e.old), []byte(e.new), 1), 0o644)
}

// writeModFile writes wasm.mod and wasm.sum: the project's go.mod and
// go.sum, go-app replaced by the copy.
func writeModFile(dir, copyDir string) error {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		return fmt.Errorf("run from the repository root: %w", err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		return err
	}
	mod = append(mod, fmt.Sprintf("\nreplace %s => %s\n", module, copyDir)...)
	if err := os.WriteFile(filepath.Join(dir, "wasm.mod"), mod, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "wasm.sum"), sum, 0o644)
}
