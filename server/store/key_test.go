package store

import (
	"bytes"
	"errors"
	"fmt"
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

func TestLoadKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "key")
	if _, _, err := LoadKey("", file, false); err == nil {
		t.Fatal("missing key accepted")
	}
	k1, created, err := LoadKey("", file, true)
	if err != nil || !created || len(k1) != 32 {
		t.Fatal(err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	k2, created, _ := LoadKey("", file, true)
	if created || !bytes.Equal(k1, k2) {
		t.Fatal("key not reused")
	}
	k3, _, _ := LoadKey(strings.Repeat("ab", 32), file, false)
	if k3[0] != 0xab {
		t.Fatal("env key does not win")
	}
	if _, _, err := LoadKey("short", file, false); err == nil {
		t.Fatal("bad env key accepted")
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatal(h, err)
	}
	if ok, _ := CheckPassword(h, "correct horse"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := CheckPassword(h, "correct hors"); ok {
		t.Fatal("wrong password accepted")
	}
}

// A hash made by the Worker (9 MiB, 4 passes) carries its parameters and is
// checked by the Go server, and the other way round: one account signs in
// on either deployment.
func TestTheServerAndTheWorkerCheckEachOthersHashes(t *testing.T) {
	for _, p := range []argonParams{argonServer, argonWorker} {
		h, err := hashWith(p, "correct horse")
		if err != nil || !strings.HasPrefix(h, fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=1$", p.memory, p.time)) {
			t.Fatal(h, err)
		}
		if ok, err := CheckPassword(h, "correct horse"); !ok || err != nil {
			t.Errorf("m=%d t=%d: right password refused (%v)", p.memory, p.time, err)
		}
		if ok, _ := CheckPassword(h, "correct hors"); ok {
			t.Errorf("m=%d t=%d: wrong password accepted", p.memory, p.time)
		}
	}
	if argonWorker.memory != 9*1024 || argonWorker.time != 4 {
		t.Errorf("the Worker's parameters %+v, README says m=9 MiB t=4", argonWorker)
	}
}
