package admin

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/store"
	"art60/server/store/badgerstore"
)

// fill adds a CPAS and uploads of 300 KiB (so that a backup has several
// 64 KiB chunks and the value log holds them) to the env's stopped store,
// and returns the uploads' ids.
func (e *env) fill() []string {
	e.t.Helper()
	e.must("admin", "cpas", "add", "-name", "CPAS de Namur", "-enterprise", "0212345668", "-office", "namur")
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: e.data, Key: key, GCInterval: -1})
	if err != nil {
		e.t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	for range 3 {
		data := make([]byte, 300<<10)
		rand.Read(data)
		sum := sha256.Sum256(data)
		a := store.Attachment{CPASID: "0212345668", SHA256: hex.EncodeToString(sum[:]), ContentType: "application/pdf", Size: int64(len(data))}
		if err := st.PutAttachment(context.Background(), a, data, store.AuditEntry{UserID: "u", Action: store.ActionAttachmentUpload}); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, a.SHA256)
	}
	return ids
}

// restoreInto runs art60 restore with the env's key into dir.
func (e *env) restoreInto(file, dir string) (int, string) {
	var out, errOut bytes.Buffer
	code := Run("restore", []string{file, dir, "-key-file", e.keyFile}, noEnv, &out, &errOut)
	return code, errOut.String()
}

// TestAlteredBackupIsRefused: a backup with a byte changed anywhere, cut
// short (inside a chunk or exactly after one), with bytes appended, or with
// two chunks swapped is refused by art60 restore with a message that says
// so, and leaves no directory behind; the unaltered file restores.
func TestAlteredBackupIsRefused(t *testing.T) {
	e := newEnv(t)
	e.fill()
	file := filepath.Join(t.TempDir(), "backup")
	e.must("backup", file)
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	chunks := chunkOffsets(orig)
	if len(chunks) < 4 {
		t.Fatalf("the backup has %d chunks; the test needs several", len(chunks))
	}
	flip := func(at int) []byte { b := bytes.Clone(orig); b[at] ^= 0x01; return b }
	second, third := chunks[1], chunks[2]
	swapped := append(append(append(bytes.Clone(orig[:second]), orig[third:chunks[3]]...), orig[second:third]...), orig[chunks[3]:]...)
	for name, altered := range map[string][]byte{
		"magic changed":             flip(3),
		"salt changed":              flip(len("ART60-BACKUP-2\n") + 5),
		"chunk length changed":      flip(second + 2),
		"nonce changed":             flip(second + 4 + 3),
		"ciphertext changed":        flip(second + 4 + 12 + 1000),
		"tag of the last changed":   flip(len(orig) - 1),
		"cut inside a chunk":        orig[:second+5000],
		"cut after a chunk":         orig[:third],
		"one byte appended":         append(bytes.Clone(orig), 0),
		"a chunk appended again":    append(bytes.Clone(orig), orig[second:third]...),
		"two chunks swapped":        swapped,
		"the header only, no chunk": orig[:chunks[0]],
	} {
		bad := filepath.Join(t.TempDir(), "altered")
		if err := os.WriteFile(bad, altered, 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "restored")
		code, stderr := e.restoreInto(bad, dir)
		if code != 1 || !strings.Contains(stderr, "backup") ||
			!strings.Contains(stderr, "altered") && !strings.Contains(stderr, "corrupt") && !strings.Contains(stderr, "truncated") &&
				!strings.Contains(stderr, "not an art60 backup") {
			t.Errorf("%s: restore exit %d: %s; want 1 and a message saying the backup is altered", name, code, stderr)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: the refused restore left %s behind (%v)", name, dir, err)
		}
	}
	if code, stderr := e.restoreInto(file, filepath.Join(t.TempDir(), "restored")); code != 0 {
		t.Fatalf("the unaltered backup: %d %s", code, stderr)
	}
}

// chunkOffsets lists where each chunk of a format-2 backup starts.
func chunkOffsets(b []byte) []int {
	var out []int
	for at := len("ART60-BACKUP-2\n") + 32; at+4 <= len(b); {
		out = append(out, at)
		at += 4 + int(binary.BigEndian.Uint32(b[at:]))
	}
	return out
}

// TestCheckThenRestoreAfterDamage is the recovery of README "Faults and
// recovery" end to end: admin check passes on the running server (through
// its socket) and on the stopped store; a backup is taken; the store is
// damaged (a table file, then the value log); check fails and says to
// restore; the backup restored into a new directory checks clean and holds
// the data.
func TestCheckThenRestoreAfterDamage(t *testing.T) {
	e := newEnv(t)
	ids := e.fill()
	if out := e.must("admin", "check"); !strings.Contains(out, "no problem found") || !strings.Contains(out, "attachment data") {
		t.Fatalf("check of the stopped store: %s", out)
	}
	online := e.serveOnlineUntil()
	if out := e.must("admin", "check"); !strings.Contains(out, "no problem found") {
		t.Fatalf("check through the running server: %s", out)
	}
	file := filepath.Join(t.TempDir(), "backup")
	e.must("backup", file)
	online()

	for _, victim := range []string{"*.vlog", "*.sst"} {
		files, _ := filepath.Glob(filepath.Join(e.data, victim))
		if len(files) == 0 {
			t.Fatalf("no %s file in the store", victim)
		}
		b, _ := os.ReadFile(files[0])
		for i := len(b) / 3; i < len(b)/3+64; i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(files[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := e.run("admin", "check")
		if code != 1 || !strings.Contains(stderr, "restore") || !strings.Contains(out+stderr, "damaged") {
			t.Fatalf("check after damaging %s: exit %d\n%s%s", victim, code, out, stderr)
		}
	}

	restored := filepath.Join(t.TempDir(), "restored")
	if code, stderr := e.restoreInto(file, restored); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	var out, errOut bytes.Buffer
	if code := Run("admin", []string{"check", "-data", restored, "-key-file", e.keyFile}, noEnv, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "no problem found") {
		t.Fatalf("check of the restored store: %d %s %s", code, out.String(), errOut.String())
	}
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: restored, Key: key, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range ids {
		if _, _, err := st.Attachment(context.Background(), "0212345668", id); err != nil {
			t.Errorf("upload %s after the restore: %v", id[:8], err)
		}
	}
}

// TestCheckNeedsAStore: check on a directory with no store says so and
// creates nothing there.
func TestCheckNeedsAStore(t *testing.T) {
	e := newEnv(t)
	code, _, stderr := e.run("admin", "check")
	if code != 1 || !strings.Contains(stderr, "no store in "+e.data) {
		t.Fatalf("check without a store: %d %s", code, stderr)
	}
	if _, err := os.Stat(e.data); !os.IsNotExist(err) {
		t.Fatalf("check created %s (%v)", e.data, err)
	}
}

// serveOnlineUntil is serveOnline with a stop function, for a test that
// goes on with the server stopped.
func (e *env) serveOnlineUntil() (stop func()) {
	e.t.Helper()
	key, _, _ := store.LoadKey("", e.keyFile, false)
	st, err := badgerstore.Open(badgerstore.Config{Dir: e.data, Key: key, GCInterval: -1})
	if err != nil {
		e.t.Fatal(err)
	}
	ctl, err := ListenControl(SocketPath(e.data), st, quietLogger(&bytes.Buffer{}))
	if err != nil {
		st.Close()
		e.t.Fatal(err)
	}
	return func() { ctl.Close(); st.Close() }
}
