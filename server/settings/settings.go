// Package settings is the part of art60's configuration that `art60 serve`
// and the Cloudflare Worker share: mail, retention, the session idle
// timeout and the per-CPAS quota, each a flag whose default is an
// environment variable. serve declares them beside its own flags; the
// Worker, which has no command line, reads the same variables from its
// vars and secrets (FromEnv), so both deployments take the same names,
// defaults and checks.
package settings

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"art60/server/httpapi"
	"art60/server/mail"
	"art60/server/privacy"
	"art60/server/store"
)

// Settings is the shared configuration.
type Settings struct {
	Mail mail.Config
	// Retention is how long decided requests and unused uploads are kept
	// (README, "Personal data").
	Retention privacy.Policy
	// IdleTimeout ends a session unused for this long
	// (httpapi.Deps.IdleTimeout).
	IdleTimeout time.Duration
	// Quota bounds what each CPAS may store (store.Quota).
	Quota store.Quota
}

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

// Register declares the shared flags on fs, with the environment (getenv)
// as defaults. The function it returns, called after fs.Parse, checks the
// values and fills Retention and Quota.
func (s *Settings) Register(fs *flag.FlagSet, getenv func(string) string) (finish func() error) {
	s.Mail.RegisterFlags(fs, getenv)
	var envErr error
	years := fs.Int("retention-years", envInt(getenv, "ART60_RETENTION_YEARS", 5, &envErr),
		"years a request is kept after ONEM's decision (365-day years), 0 keeps forever (env ART60_RETENTION_YEARS)")
	days := fs.Int("retention-upload-days", envInt(getenv, "ART60_RETENTION_UPLOAD_DAYS", 30, &envErr),
		"days a file uploaded but never sent is kept, 0 keeps forever (env ART60_RETENTION_UPLOAD_DAYS)")
	fs.DurationVar(&s.IdleTimeout, "idle-timeout", httpapi.DefaultIdleTimeout,
		"end a session unused this long, 2m to 12h (env ART60_IDLE_TIMEOUT)")
	fs.Int64Var(&s.Quota.AttachmentBytes, "quota-attachments-mib", defaultQuotaAttachmentMiB,
		"attachments each CPAS may store, in MiB; 0: no limit (env ART60_QUOTA_ATTACHMENTS_MIB)")
	fs.Int64Var(&s.Quota.Requests, "quota-requests", defaultQuotaRequests,
		"requests each CPAS may send; 0: no limit (env ART60_QUOTA_REQUESTS)")
	if envErr == nil {
		envErr = setFromEnv(fs, getenv, limitEnv)
	}
	return func() error {
		if envErr != nil {
			return envErr
		}
		if *years < 0 || *days < 0 {
			return errors.New("-retention-years and -retention-upload-days must be 0 (keep forever) or more")
		}
		if err := checkQuota(&s.Quota); err != nil {
			return err
		}
		s.Retention = privacy.Policy{Decided: time.Duration(*years) * 365 * 24 * time.Hour, Uploads: time.Duration(*days) * 24 * time.Hour}
		return nil
	}
}

// FromEnv reads the shared settings from the environment alone: the
// Worker's vars and secrets (cloudflare.Getenv), with serve's defaults.
func FromEnv(getenv func(string) string) (Settings, error) {
	var s Settings
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	finish := s.Register(fs, getenv)
	if err := fs.Parse(nil); err != nil {
		return s, err
	}
	return s, finish()
}

// envInt reads an integer from the environment, def when unset; a value
// that is not a number sets *bad.
func envInt(getenv func(string) string, name string, def int, bad *error) int {
	v := getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*bad = fmt.Errorf("%s=%q is not a whole number", name, v)
	}
	return n
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

// checkQuota refuses negative quotas and turns the MiB of the flag into
// bytes.
func checkQuota(q *store.Quota) error {
	if q.AttachmentBytes < 0 || q.AttachmentBytes > math.MaxInt64>>20 || q.Requests < 0 {
		return fmt.Errorf("settings: quotas must be 0 (no limit) or more: -quota-attachments-mib %d, -quota-requests %d",
			q.AttachmentBytes, q.Requests)
	}
	q.AttachmentBytes <<= 20
	return nil
}
