//go:build !(js && wasm)

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The Worker build links neither Badger nor a SQLite engine: on Workers the
// database is D1, reached through its binding (server/store/d1).
func TestTheWorkerBuildLinksNoBadgerAndNoSQLite(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	for _, d := range deps {
		if strings.Contains(d, "dgraph-io/badger") || strings.HasPrefix(d, "modernc.org/sqlite") || strings.HasPrefix(d, "modernc.org/libc") {
			t.Errorf("the Worker build links %s", d)
		}
	}
	for _, want := range []string{"art60/server/store/d1", "art60/server/httpapi", "github.com/syumai/workers"} {
		if !strings.Contains(" "+strings.Join(deps, " ")+" ", " "+want+" ") {
			t.Errorf("the Worker build does not link %s", want)
		}
	}
}
