package serve

import (
	"flag"
	"fmt"
	"math"
	"runtime/debug"

	"art60/server/httpapi"
)

// Defaults of the per-CPAS quota (server/README.md, Security): 2 GiB of
// attachments is some 4,000 scanned contracts of half a megabyte, and
// 100,000 requests is decades of a large CPAS's article 60 placements;
// both stop one tenant from filling the disk that all share.
const (
	defaultQuotaAttachmentMiB = 2048
	defaultQuotaRequests      = 100000
)

// limitEnv names the environment variable of each limit flag.
var limitEnv = map[string]string{
	"idle-timeout":          "ART60_IDLE_TIMEOUT",
	"quota-attachments-mib": "ART60_QUOTA_ATTACHMENTS_MIB",
	"quota-requests":        "ART60_QUOTA_REQUESTS",
}

// registerLimits declares the session and quota flags.
func registerLimits(fs *flag.FlagSet, c *Config) {
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", httpapi.DefaultIdleTimeout,
		"end a session unused this long, 2m to 12h (env ART60_IDLE_TIMEOUT)")
	fs.Int64Var(&c.Quota.AttachmentBytes, "quota-attachments-mib", defaultQuotaAttachmentMiB,
		"attachments each CPAS may store, in MiB; 0: no limit (env ART60_QUOTA_ATTACHMENTS_MIB)")
	fs.Int64Var(&c.Quota.Requests, "quota-requests", defaultQuotaRequests,
		"requests each CPAS may send; 0: no limit (env ART60_QUOTA_REQUESTS)")
}

// setFromEnv gives flags the values of their environment variables, parsed
// as the flags would parse them; the command line still wins.
func setFromEnv(fs *flag.FlagSet, getenv func(string) string, names map[string]string) error {
	for flagName, envName := range names {
		if v := getenv(envName); v != "" {
			if err := fs.Set(flagName, v); err != nil {
				return fmt.Errorf("%s=%q: %w", envName, v, err)
			}
		}
	}
	return nil
}

// checkLimits refuses negative quotas and turns the MiB of the flag into
// bytes.
func checkLimits(c *Config) error {
	q := &c.Quota
	if q.AttachmentBytes < 0 || q.AttachmentBytes > math.MaxInt64>>20 || q.Requests < 0 {
		return fmt.Errorf("serve: quotas must be 0 (no limit) or more: -quota-attachments-mib %d, -quota-requests %d",
			q.AttachmentBytes, q.Requests)
	}
	q.AttachmentBytes <<= 20
	return nil
}

// memoryLimit is the Go runtime's soft memory limit of the server
// (runtime/debug.SetMemoryLimit) unless GOMEMLIMIT sets another: the
// garbage collector then gives memory back to the system soon after a peak
// (a burst of pushes, a compaction of Badger's tables) instead of keeping
// the peak. Measured after 10,000 pushes and a new device's pull:
// RssAnon 135 MB without it, 78 MB with it (README, Performance). The live
// heap stays well below it: Badger's caches and memtables are bounded
// (store/badgerstore), and a request or a pull page is small.
const memoryLimit = 80 << 20

// limitMemory sets memoryLimit, unless the environment sets a limit.
func limitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
