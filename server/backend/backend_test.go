package backend

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/mail"
)

// TestDemoStartsTheSink: -demo without an SMTP server runs the sink and
// says where its page is.
func TestDemoStartsTheSink(t *testing.T) {
	root := t.TempDir()
	var out bytes.Buffer
	b, err := Open(Options{DataDir: filepath.Join(root, "db"), KeyFile: filepath.Join(root, "key"), CreateKey: true,
		Logger: slog.New(slog.DiscardHandler), Demo: true, DemoOut: &out, BaseURL: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.DevMailAddr() == "" || !strings.Contains(out.String(), "http://127.0.0.1:8080/dev/mail") {
		t.Fatalf("sink %q, output:\n%s", b.DevMailAddr(), out.String())
	}
}

// TestBadMailConfiguration: a configuration that cannot work stops the start.
func TestBadMailConfiguration(t *testing.T) {
	root := t.TempDir()
	_, err := Open(Options{DataDir: filepath.Join(root, "db"), KeyFile: filepath.Join(root, "key"), CreateKey: true,
		Logger: slog.New(slog.DiscardHandler), Mail: mail.Config{Addr: "smtp.example:25"}})
	if err == nil || !strings.Contains(err.Error(), "sender") {
		t.Fatalf("no sender accepted: %v", err)
	}
}
