package main

import (
	"fmt"
	"os"
	"testing"
	"time"
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

// TestLoadSmoke runs a short load test both ways: every push is applied.
func TestLoadSmoke(t *testing.T) {
	for _, child := range []bool{false, true} {
		rep, err := run(config{clients: 4, duration: 500 * time.Millisecond, dataDir: t.TempDir(), child: child})
		if err != nil {
			t.Fatal(err)
		}
		if rep.failures > 0 || rep.pushes == 0 {
			t.Fatalf("%s", rep)
		}
		t.Log("\n" + rep.String())
	}
}
