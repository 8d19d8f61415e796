package store

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/dgraph-io/badger/v4"
)

// A backup is Badger's backup stream (every live key and value, decrypted),
// sealed again with AES-256-GCM under a key derived from the store key, so
// a backup file holds no readable personal data either. It is cut into
// chunks; each chunk's nonce carries its number and the last chunk is marked,
// so a reordered or truncated file is refused.
const (
	backupMagic = "ART60-BACKUP-1\n"
	chunkSize   = 64 << 10
)

// Backup implements Store: an online, consistent copy (a snapshot at the
// moment it starts; writes go on meanwhile).
func (s *Badger) Backup(w io.Writer) error {
	sw, err := newSealer(w, s.key)
	if err != nil {
		return err
	}
	if _, err := s.db.Backup(sw, 0); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return sw.Close()
}

// Restore loads a backup into dir, which must be missing or empty, and gives
// the restored store a new sync epoch so that every device resynchronises.
func Restore(r io.Reader, dir string, key []byte, log *slog.Logger) (err error) {
	if err := checkEmpty(dir); err != nil {
		return err
	}
	if log == nil {
		log = slog.Default()
	}
	or, err := newOpener(r, key)
	if err != nil {
		return err
	}
	db, err := badger.Open(options(dir, key, log))
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer func() {
		err = errors.Join(err, db.Close())
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := db.Load(bufio.NewReaderSize(or, 1<<20), 64); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := io.Copy(io.Discard, or); err != nil { // reach the last chunk: detects truncation
		return err
	}
	return db.Update(func(txn *badger.Txn) error { return txn.Set(keyEpoch, []byte(newEpoch())) })
}

func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("store: restore: %s is not empty", dir)
	}
	return nil
}

func backupAEAD(key []byte) (cipher.AEAD, error) {
	sum := sha256.Sum256(append([]byte("art60 backup v1\x00"), key...))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealer encrypts a stream in chunks.
type sealer struct {
	w    io.Writer
	aead cipher.AEAD
	salt [4]byte
	n    uint64
	buf  []byte
}

func newSealer(w io.Writer, key []byte) (*sealer, error) {
	aead, err := backupAEAD(key)
	if err != nil {
		return nil, err
	}
	s := &sealer{w: w, aead: aead, buf: make([]byte, 0, chunkSize)}
	if _, err := rand.Read(s.salt[:]); err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, backupMagic); err != nil {
		return nil, err
	}
	_, err = w.Write(s.salt[:])
	return s, err
}

func (s *sealer) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		n := min(len(p), chunkSize-len(s.buf))
		s.buf = append(s.buf, p[:n]...)
		p = p[n:]
		if len(s.buf) == chunkSize {
			if err := s.flush(false); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

func (s *sealer) Close() error { return s.flush(true) }

func (s *sealer) flush(last bool) error {
	ct := s.aead.Seal(nil, nonce(s.salt, s.n), s.buf, lastFlag(last))
	s.n++
	s.buf = s.buf[:0]
	var head [4]byte
	binary.BigEndian.PutUint32(head[:], uint32(len(ct)))
	if _, err := s.w.Write(head[:]); err != nil {
		return err
	}
	_, err := s.w.Write(ct)
	return err
}

func nonce(salt [4]byte, n uint64) []byte {
	b := make([]byte, 12)
	copy(b, salt[:])
	binary.BigEndian.PutUint64(b[4:], n)
	return b
}

func lastFlag(last bool) []byte {
	if last {
		return []byte{1}
	}
	return []byte{0}
}

// opener decrypts what a sealer wrote.
type opener struct {
	r    io.Reader
	aead cipher.AEAD
	salt [4]byte
	n    uint64
	buf  []byte
	done bool
}

func newOpener(r io.Reader, key []byte) (*opener, error) {
	aead, err := backupAEAD(key)
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(backupMagic)+4)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(backupMagic)]) != backupMagic {
		return nil, errors.New("store: not an art60 backup")
	}
	o := &opener{r: r, aead: aead}
	copy(o.salt[:], head[len(backupMagic):])
	return o, nil
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.buf) == 0 {
		if o.done {
			return 0, io.EOF
		}
		if err := o.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, o.buf)
	o.buf = o.buf[n:]
	return n, nil
}

func (o *opener) next() error {
	var head [4]byte
	if _, err := io.ReadFull(o.r, head[:]); err != nil {
		return errors.New("store: backup truncated")
	}
	size := binary.BigEndian.Uint32(head[:])
	if size > chunkSize+uint32(o.aead.Overhead()) {
		return errors.New("store: backup corrupt")
	}
	ct := make([]byte, size)
	if _, err := io.ReadFull(o.r, ct); err != nil {
		return errors.New("store: backup truncated")
	}
	for _, last := range []bool{false, true} {
		if pt, err := o.aead.Open(nil, nonce(o.salt, o.n), ct, lastFlag(last)); err == nil {
			o.buf, o.done = pt, last
			o.n++
			return nil
		}
	}
	return errors.New("store: backup corrupt or made with another key")
}
