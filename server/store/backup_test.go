package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"io"
	"testing"
)

func sealAll(t *testing.T, key, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	s, err := SealBackup(&out, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func openAll(t *testing.T, key, file []byte) []byte {
	t.Helper()
	o, err := OpenBackup(bytes.NewReader(file), key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEachBackupHasItsOwnKey: two backups of the same data under the same
// store key have different salts, hence different keys (HKDF), and random
// 12-byte nonces; format 1's fixed key opens neither; both restore.
func TestEachBackupHasItsOwnKey(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	data := make([]byte, 3*chunkSize+100)
	rand.Read(data)
	a, b := sealAll(t, key, data), sealAll(t, key, data)
	for _, f := range [][]byte{a, b} {
		if string(f[:len(backupMagic)]) != "ART60-BACKUP-2\n" {
			t.Fatalf("magic %q", f[:len(backupMagic)])
		}
		if !bytes.Equal(openAll(t, key, f), data) {
			t.Fatal("backup does not open to its data")
		}
	}
	saltA, saltB := a[len(backupMagic):len(backupMagic)+saltSize], b[len(backupMagic):len(backupMagic)+saltSize]
	if bytes.Equal(saltA, saltB) {
		t.Fatal("two backups share a salt")
	}
	// First chunk: length, 12-byte nonce, sealed data.
	chunk := a[len(backupMagic)+saltSize:]
	size := binary.BigEndian.Uint32(chunk)
	ct := chunk[4 : 4+size]
	v1, _ := backupAEADV1(key)
	if _, err := v1.Open(nil, ct[:12], ct[12:], chunkAD(0, false)); err == nil {
		t.Fatal("format 1's fixed key opens a new backup")
	}
	perBackup, _ := backupAEAD(key, saltA)
	if _, err := perBackup.Open(nil, ct[:12], ct[12:], chunkAD(0, false)); err != nil {
		t.Fatalf("chunk 0 does not open with its 12-byte nonce under the backup's key: %v", err)
	}
	// Reordered chunks are refused.
	if _, err := perBackup.Open(nil, ct[:12], ct[12:], chunkAD(1, false)); err == nil {
		t.Fatal("chunk 0 opens as chunk 1")
	}
}

// TestRestoreReadsFormat1: a backup written before format 2 still opens.
func TestRestoreReadsFormat1(t *testing.T) {
	key := bytes.Repeat([]byte{9}, 32)
	data := make([]byte, chunkSize+10)
	rand.Read(data)
	aead, err := backupAEADV1(key)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	salt := [4]byte{1, 2, 3, 4}
	out.WriteString(backupMagicV1)
	out.Write(salt[:])
	for n, part := range [][]byte{data[:chunkSize], data[chunkSize:]} {
		ct := aead.Seal(nil, nonceV1(salt, uint64(n)), part, lastFlag(n == 1))
		out.Write(binary.BigEndian.AppendUint32(nil, uint32(len(ct))))
		out.Write(ct)
	}
	if !bytes.Equal(openAll(t, key, out.Bytes()), data) {
		t.Fatal("format 1 backup does not open to its data")
	}
}
