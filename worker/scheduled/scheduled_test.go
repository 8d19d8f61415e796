//go:build !(js && wasm)

package scheduled

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"art60/server/mail"
	"art60/server/privacy"
	"art60/server/store"
	"art60/server/store/d1"
)

// The D1 store on its SQLite executor, at a clock the test sets.
func openD1(t *testing.T, now func() time.Time) *d1.Store {
	t.Helper()
	x, err := d1.OpenSQLite(filepath.Join(t.TempDir(), "d1.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	st, err := d1.Open(context.Background(), d1.Config{Exec: x, Key: bytes.Repeat([]byte{3}, 32), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The daily pass sends the due mail to a real SMTP listener and runs the
// retention policy at the store's clock: a file uploaded 31 days before
// that clock and never sent is deleted, one uploaded yesterday is kept.
// The other passes send mail and leave retention alone.
func TestTheDailyPassSendsTheMailAndRunsRetentionByTheStoresClock(t *testing.T) {
	at := time.Date(2031, 3, 10, 3, 0, 0, 0, time.UTC)
	st := openD1(t, func() time.Time { return at })
	ctx := context.Background()
	if err := st.PutCPAS(ctx, store.CPAS{ID: "0212345668", Name: "CPAS", OfficeID: "002"}); err != nil {
		t.Fatal(err)
	}
	for sha, uploaded := range map[string]time.Time{"old": at.AddDate(0, 0, -31), "new": at.AddDate(0, 0, -1)} {
		a := store.Attachment{CPASID: "0212345668", SHA256: sha, UploadedAt: uploaded.Format(time.RFC3339)}
		if err := st.PutAttachment(ctx, a, []byte(sha), store.AuditEntry{UserID: "u"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.EnqueueMail(ctx, store.Mail{ID: "m1", To: "referent@cpas.example", Template: store.TemplateDecision,
		Outcome: "calculated", Lang: "fr", RequestID: "0f8fad5b-d9cb-469f-a165-70867728950e"}); err != nil {
		t.Fatal(err)
	}
	sink, err := mail.StartSink("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	w, err := mail.New(mail.Config{Addr: sink.Addr(), From: "art60 <noreply@onem.test>", TLS: mail.TLSNone,
		BaseURL: "http://x", Now: st.Now}, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	p := Pass{Store: st, Mail: w, Retention: privacy.DefaultPolicy, Log: slog.New(slog.NewJSONHandler(&logs, nil))}

	p.Run(ctx, false)
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d messages after the first pass, want 1", n)
	}
	if files := stored(t, st); len(files) != 2 {
		t.Fatalf("a pass without retention deleted files: %v", files)
	}
	p.Run(ctx, true)
	if files := stored(t, st); len(files) != 1 || files[0] != "new" {
		t.Fatalf("files after the daily pass: %v, want [new]", files)
	}
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d messages after the second pass, want 1 (sent once)", n)
	}
	if !strings.Contains(logs.String(), `"filesDeleted":1`) || strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("the pass's log: %s", logs.String())
	}
}

func stored(t *testing.T, st store.Store) []string {
	t.Helper()
	var out []string
	if err := st.ScanAttachments(context.Background(), func(a store.Attachment) bool {
		out = append(out, a.SHA256)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
