package settings

import (
	"testing"
	"time"

	"art60/server/httpapi"
	"art60/server/privacy"
	"art60/server/store"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// The Worker, which has no command line, gets serve's defaults from an
// empty environment and the same variables otherwise.
func TestTheEnvironmentAloneGivesServesDefaultsAndValues(t *testing.T) {
	s, err := FromEnv(envOf())
	if err != nil || s.Quota != (store.Quota{AttachmentBytes: 2 << 30, Requests: 100000}) ||
		s.Retention != privacy.DefaultPolicy || s.IdleTimeout != httpapi.DefaultIdleTimeout {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	s, err = FromEnv(envOf("ART60_QUOTA_ATTACHMENTS_MIB", "10", "ART60_QUOTA_REQUESTS", "0", "ART60_RETENTION_UPLOAD_DAYS", "2",
		"ART60_SMTP_ADDR", "smtp.example:587", "ART60_SMTP_FROM", "art60 <noreply@cpas.example>", "ART60_SMTP_PASSWORD", "pw"))
	if err != nil || s.Quota != (store.Quota{AttachmentBytes: 10 << 20}) || s.Retention.Uploads != 48*time.Hour ||
		s.Mail.Addr != "smtp.example:587" || s.Mail.From != "art60 <noreply@cpas.example>" || s.Mail.Password != "pw" {
		t.Fatalf("values: %+v %v", s, err)
	}
	for _, bad := range []func(string) string{envOf("ART60_QUOTA_REQUESTS", "-1"), envOf("ART60_RETENTION_YEARS", "five"),
		envOf("ART60_IDLE_TIMEOUT", "later")} {
		if _, err := FromEnv(bad); err == nil {
			t.Error("a bad value accepted")
		}
	}
}
