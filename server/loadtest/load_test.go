package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"art60/server/store/stores"
)

// TestMain lets the test binary be the server child, as the real program is.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == "-serve" {
		if err := serveChild(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLoadSmoke runs a short load test both ways on both stores: every
// push is applied, in the store asked for.
func TestLoadSmoke(t *testing.T) {
	for _, kind := range []string{stores.Badger, stores.SQLite} {
		for _, child := range []bool{false, true} {
			dir := t.TempDir()
			rep, err := run(config{clients: 4, duration: 500 * time.Millisecond, dataDir: dir, store: kind, child: child})
			if err != nil {
				t.Fatal(err)
			}
			if rep.failures > 0 || rep.pushes == 0 {
				t.Fatalf("%s", rep)
			}
			if held := stores.Held(filepath.Join(dir, "db")); held != kind {
				t.Fatalf("%s (child %v) ran on a %q store", kind, child, held)
			}
			t.Log("\n" + rep.String())
		}
	}
}
