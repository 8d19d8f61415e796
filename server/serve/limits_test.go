package serve

import (
	"io"
	"math"
	"runtime/debug"
	"testing"
	"time"

	"art60/server/httpapi"
	"art60/server/store"
)

func TestSessionAndQuotaLimitsComeFromFlagsAndEnvironment(t *testing.T) {
	c, err := parse(nil, noEnv, io.Discard)
	if err != nil || c.IdleTimeout != httpapi.DefaultIdleTimeout || c.Quota != (store.Quota{AttachmentBytes: 2 << 30, Requests: 100000}) {
		t.Fatalf("defaults: %v %+v %v", c.IdleTimeout, c.Quota, err)
	}
	env := envOf("ART60_IDLE_TIMEOUT", "45m", "ART60_QUOTA_REQUESTS", "7")
	c, err = parse([]string{"-quota-attachments-mib", "10", "-quota-requests", "0"}, env, io.Discard)
	if err != nil || c.IdleTimeout != 45*time.Minute || c.Quota != (store.Quota{AttachmentBytes: 10 << 20}) {
		t.Fatalf("flags over the environment: %v %+v %v", c.IdleTimeout, c.Quota, err)
	}
	for _, args := range [][]string{{"-quota-requests", "-1"}, {"-quota-attachments-mib", "-5"}, {"-idle-timeout", "soon"}} {
		if _, err := parse(args, noEnv, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, err := parse(nil, envOf("ART60_IDLE_TIMEOUT", "later"), io.Discard); err == nil {
		t.Error("ART60_IDLE_TIMEOUT=later accepted")
	}
}

// The server's memory is bounded by default; GOMEMLIMIT, which the Go
// runtime reads itself, wins.
func TestTheServerBoundsItsMemoryUnlessGOMEMLIMITSaysOtherwise(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	debug.SetMemoryLimit(math.MaxInt64)
	limitMemory(func(name string) string {
		if name == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", got)
	}
	limitMemory(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("the default limit is %d, want %d", got, memoryLimit)
	}
}
