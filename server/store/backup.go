package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

// A backup is Badger's backup stream (every live key and value, decrypted),
// sealed again with AES-256-GCM, so a backup file holds no readable personal
// data either. Format 2: the magic, a fresh random 32-byte salt, then
// chunks, each a 4-byte length, a random 12-byte nonce and the sealed chunk.
// The key of each backup is HKDF-SHA256(store key, salt): no two backups
// share a key, so random nonces never meet under one key. The chunk's number
// and a last-chunk mark are the additional data, so a reordered or truncated
// file is refused. Format 1 (one key for every backup, 4 random nonce bytes
// and a counter) is still read, so older backups restore.
const (
	backupMagic   = "ART60-BACKUP-2\n"
	backupMagicV1 = "ART60-BACKUP-1\n"
	saltSize      = 32
	chunkSize     = 64 << 10
)

// backupAEADV1 is format 1's key, the same for every backup.
func backupAEADV1(key []byte) (cipher.AEAD, error) {
	sum := sha256.Sum256(append([]byte("art60 backup v1\x00"), key...))
	return gcm(sum[:])
}

// backupAEAD is the key of the backup with this salt.
func backupAEAD(key, salt []byte) (cipher.AEAD, error) {
	k := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, key, salt, []byte("art60 backup v2")), k); err != nil {
		return nil, fmt.Errorf("store: backup key: %w", err)
	}
	return gcm(k)
}

func gcm(k []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealer encrypts a stream in chunks (format 2).
type sealer struct {
	w    io.Writer
	aead cipher.AEAD
	n    uint64
	buf  []byte
}

func newSealer(w io.Writer, key []byte) (*sealer, error) {
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("store: backup salt: %w", err)
	}
	aead, err := backupAEAD(key, salt)
	if err != nil {
		return nil, err
	}
	s := &sealer{w: w, aead: aead, buf: make([]byte, 0, chunkSize)}
	if _, err := io.WriteString(w, backupMagic); err != nil {
		return nil, err
	}
	_, err = w.Write(salt)
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
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("store: backup nonce: %w", err)
	}
	ct := s.aead.Seal(nonce, nonce, s.buf, chunkAD(s.n, last))
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

// chunkAD binds a format-2 chunk to its place: its number and whether it is
// the last one.
func chunkAD(n uint64, last bool) []byte {
	b := binary.BigEndian.AppendUint64(nil, n)
	return append(b, lastFlag(last)...)
}

// nonceV1 is format 1's nonce: 4 random bytes per backup and the counter.
func nonceV1(salt [4]byte, n uint64) []byte {
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

// opener decrypts what a sealer wrote, in format 2 or 1.
type opener struct {
	r    io.Reader
	aead cipher.AEAD
	v1   bool
	salt [4]byte // format 1
	n    uint64
	buf  []byte
	done bool
}

func newOpener(r io.Reader, key []byte) (*opener, error) {
	head := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, errors.New("store: restore: not an art60 backup")
	}
	switch string(head) {
	case backupMagic:
		salt := make([]byte, saltSize)
		if _, err := io.ReadFull(r, salt); err != nil {
			return nil, errors.New("store: restore: backup truncated")
		}
		aead, err := backupAEAD(key, salt)
		if err != nil {
			return nil, err
		}
		return &opener{r: r, aead: aead}, nil
	case backupMagicV1:
		aead, err := backupAEADV1(key)
		if err != nil {
			return nil, err
		}
		o := &opener{r: r, aead: aead, v1: true}
		if _, err := io.ReadFull(r, o.salt[:]); err != nil {
			return nil, errors.New("store: restore: backup truncated")
		}
		return o, nil
	}
	return nil, errors.New("store: restore: not an art60 backup")
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.buf) == 0 {
		if o.done {
			return 0, o.end()
		}
		if err := o.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, o.buf)
	o.buf = o.buf[n:]
	return n, nil
}

// end is reached after the last chunk: the file must end there too.
// Bytes appended to a backup are outside every chunk's authentication, so
// without this check they would be silently ignored.
func (o *opener) end() error {
	var b [1]byte
	if n, _ := io.ReadFull(o.r, b[:]); n > 0 {
		return errors.New("store: backup altered: data after its last chunk")
	}
	return io.EOF
}

func (o *opener) next() error {
	var head [4]byte
	if _, err := io.ReadFull(o.r, head[:]); err != nil {
		return errors.New("store: backup truncated")
	}
	size := binary.BigEndian.Uint32(head[:])
	if size > chunkSize+uint32(o.aead.Overhead()+o.aead.NonceSize()) {
		return errors.New("store: backup corrupt")
	}
	ct := make([]byte, size)
	if _, err := io.ReadFull(o.r, ct); err != nil {
		return errors.New("store: backup truncated")
	}
	for _, last := range []bool{false, true} {
		var pt []byte
		var err error
		if o.v1 {
			pt, err = o.aead.Open(nil, nonceV1(o.salt, o.n), ct, lastFlag(last))
		} else if len(ct) >= o.aead.NonceSize() {
			ns := o.aead.NonceSize()
			pt, err = o.aead.Open(nil, ct[:ns], ct[ns:], chunkAD(o.n, last))
		} else {
			return errors.New("store: backup corrupt")
		}
		if err == nil {
			o.buf, o.done = pt, last
			o.n++
			return nil
		}
	}
	return errors.New("store: backup corrupt or made with another key")
}
