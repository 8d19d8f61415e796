package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeyFileReadableByOthersIsRefused: a key file its group or other users
// may read stops the start, with a message that says to chmod 600; a 0600
// or 0400 one is accepted.
func TestKeyFileReadableByOthersIsRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "key")
	if _, _, err := LoadKey("", file, true); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(file, mode); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadKey("", file, false)
		if !errors.Is(err, errKeyFileOpen) || !strings.Contains(err.Error(), "chmod 600 "+file) {
			t.Errorf("mode %04o: err %v, want a refusal saying chmod 600", mode, err)
		}
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		if err := os.Chmod(file, mode); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadKey("", file, false); err != nil {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
}
