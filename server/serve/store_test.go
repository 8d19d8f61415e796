package serve

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/store/stores"
)

// TestServeStoreChoosesTheStore: -store (or ART60_STORE) picks SQLite or
// Badger; a data directory then opens as the kind it holds, and asking for
// the other kind is refused rather than starting an empty store beside it.
func TestServeStoreChoosesTheStore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "db")
	cfg, err := parse([]string{"-data", data, "-key-file", filepath.Join(dir, "key"), "-demo"}, envOf("ART60_STORE", "sqlite"), io.Discard)
	if err != nil || cfg.Store != stores.SQLite {
		t.Fatalf("ART60_STORE: %q %v", cfg.Store, err)
	}
	b, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if stores.Held(data) != stores.SQLite {
		t.Fatalf("the directory holds %q", stores.Held(data))
	}
	cfg, _ = parse([]string{"-store", "badger", "-data", data, "-key-file", filepath.Join(dir, "key")}, noEnv, io.Discard)
	if _, err := openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard); err == nil || !strings.Contains(err.Error(), "holds a sqlite store") {
		t.Fatalf("badger on a SQLite directory: %v", err)
	}
	cfg, _ = parse([]string{"-data", data, "-key-file", filepath.Join(dir, "key")}, noEnv, io.Discard)
	b, err = openBackend(cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatalf("no -store on a SQLite directory: %v", err)
	}
	b.Close()
}
