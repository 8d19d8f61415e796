package serve

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/admin"
	"art60/server/api"
	"art60/server/privacy"
	"art60/server/settings"
	"art60/server/store"
	"art60/server/store/badgerstore"
)

func TestRetentionFlagsBecomeThePolicy(t *testing.T) {
	c, err := parse([]string{"-retention-years", "7", "-retention-upload-days", "3"}, noEnv, io.Discard)
	if err != nil || c.Retention.Decided != 7*365*24*time.Hour || c.Retention.Uploads != 3*24*time.Hour {
		t.Fatalf("%+v %v", c.Retention, err)
	}
	if c, _ := parse(nil, noEnv, io.Discard); c.Retention != privacy.DefaultPolicy {
		t.Errorf("the default: %+v, want %+v", c.Retention, privacy.DefaultPolicy)
	}
	var msg bytes.Buffer
	if _, err := parse([]string{"-retention-years", "-1"}, noEnv, &msg); err == nil || !strings.Contains(msg.String(), "keep forever") {
		t.Errorf("a negative retention: %v %s", err, msg.String())
	}
	msg.Reset()
	if _, err := parse(nil, envOf("ART60_RETENTION_YEARS", "five"), &msg); err == nil || !strings.Contains(msg.String(), "ART60_RETENTION_YEARS") {
		t.Errorf("a retention that is not a number: %v %s", err, msg.String())
	}
}

// The server runs its retention policy by its own clock from the start:
// a request decided six years before that clock is erased, a recent one
// is kept.
func TestTheServerErasesRequestsPastRetention(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2031, 6, 15, 10, 0, 0, 0, time.UTC)
	cfg := Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "db"), KeyFile: filepath.Join(dir, "key"),
		BaseURL: "http://x", Now: func() time.Time { return at },
		Settings: settings.Settings{Retention: privacy.DefaultPolicy}}
	seedDecided(t, cfg, map[string]time.Time{"old": at.AddDate(-6, 0, 0), "recent": at.AddDate(-1, 0, 0)})
	b, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var trail string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var out bytes.Buffer
		admin.Run("audit", []string{"export", "-data", cfg.DataDir, "-key-file", cfg.KeyFile}, noEnv, &out, io.Discard)
		if trail = out.String(); strings.Contains(trail, store.ActionRequestExpire) {
			break
		}
	}
	if strings.Count(trail, store.ActionRequestExpire) != 1 || !strings.Contains(trail, `"requestId":"old"`) {
		t.Fatalf("the audit trail after the retention pass:\n%s", trail)
	}
	for _, line := range strings.Split(trail, "\n") {
		if strings.Contains(line, store.ActionRequestExpire) && !strings.Contains(line, `"requestId":"old"`) {
			t.Errorf("another request expired: %s", line)
		}
	}
}

// seedDecided stores one decided request per id, decided at the given time.
func seedDecided(t *testing.T, cfg Config, decided map[string]time.Time) {
	t.Helper()
	key, _, err := store.LoadKey("", cfg.KeyFile, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := badgerstore.Open(badgerstore.Config{Dir: cfg.DataDir, Key: key, GCInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
		t.Fatal(err)
	}
	n := int64(0)
	for id, at := range decided {
		n++
		r := &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial}, CPASID: "0212345668", RootID: id,
			Status: api.StatusCalculated, Decision: &api.Decision{Outcome: api.StatusCalculated, DecidedAt: at.Format(time.RFC3339)}}
		m := store.Mutation{UserID: "u", ClientID: "d", MutationID: n, Digest: id,
			Decide: func(store.View) (*api.Request, *api.Error) { return r, nil }}
		if _, err := st.ApplyMutation(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
}
