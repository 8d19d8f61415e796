package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/admin"
	"art60/server/store"
	"art60/server/store/badgerstore"
)

// TestStartRefusedWithoutTheRightKey: `art60 serve` on an existing store
// whose key file is missing, holds another key, is truncated or is readable
// by others stops at start with a message that says what to do; it creates
// no key and leaves the data directory as it was; with the right key back,
// the store opens with its data.
func TestStartRefusedWithoutTheRightKey(t *testing.T) {
	root := t.TempDir()
	data, keyFile, web := filepath.Join(root, "db"), filepath.Join(root, "key"), filepath.Join(root, "web")
	if err := os.MkdirAll(web, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(web, "app.wasm"), []byte("wasm"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := openBackend(Config{Addr: "127.0.0.1:0", DataDir: data, KeyFile: keyFile, Demo: true, BaseURL: "http://x"},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	before := dirDigest(t, data)

	for _, tc := range []struct {
		name  string
		setup func() // changes the key file
		want  []string
	}{
		{"missing", func() { os.Remove(keyFile) }, []string{"key file " + keyFile + " is missing", "put the key file back", "none was created"}},
		{"another key", func() { os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600) },
			[]string{"this key does not open the store", "created with another key"}},
		{"truncated", func() { os.WriteFile(keyFile, key[:40], 0o600) },
			[]string{keyFile + ": the key must be 64 hexadecimal digits (32 bytes), found 40 characters", "put back your copy"}},
		{"readable by others", func() { os.WriteFile(keyFile, key, 0o600); os.Chmod(keyFile, 0o644) },
			[]string{"has mode 0644", "chmod 600 " + keyFile}},
	} {
		os.Remove(keyFile)
		tc.setup()
		var stderr bytes.Buffer
		code := Run([]string{"-addr", "127.0.0.1:0", "-web", web, "-data", data, "-key-file", keyFile}, noEnv, io.Discard, &stderr)
		if code != 1 {
			t.Errorf("%s: exit code %d, want 1 (%s)", tc.name, code, stderr.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%s: the start says %s; want it to say %q", tc.name, stderr.String(), w)
			}
		}
		if tc.name == "missing" {
			if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
				t.Errorf("missing: a key file was created over the existing store (%v)", err)
			}
		}
		if after := dirDigest(t, data); after != before {
			t.Errorf("%s: the data directory changed:\n%s\nwas\n%s", tc.name, after, before)
		}
	}

	os.Remove(keyFile)
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := badgerstore.Open(badgerstore.Config{Dir: data, Key: mustKey(t, keyFile), GCInterval: -1})
	if err != nil {
		t.Fatalf("the right key back: %v", err)
	}
	defer st.Close()
	if _, err := st.UserByLogin(context.Background(), admin.DemoWorker); err != nil {
		t.Fatalf("the data after the refused starts: %v", err)
	}
}

func mustKey(t *testing.T, file string) []byte {
	t.Helper()
	key, _, err := store.LoadKey("", file, false)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// dirDigest lists every file of dir with its size and SHA-256.
func dirDigest(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(dir, path)
		b.WriteString(rel + " " + hex.EncodeToString(sum[:8]) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
