package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters, 1 lane. They are written into each hash and read
// back by CheckPassword, so raising them later keeps old hashes valid, and
// the Go server and the Worker, which hash with different ones (argonHash,
// password_*.go), check each other's hashes.
type argonParams struct {
	time   uint32
	memory uint32 // KiB
}

var (
	// argonServer is OWASP's second recommended set (19 MiB, 2 passes),
	// about 30 ms on one core of a small server.
	argonServer = argonParams{time: 2, memory: 19 * 1024}
	// argonWorker is OWASP's equivalent set of 9 MiB and 4 passes: under
	// workerd (Go compiled to wasm, 4 to 6 times slower than native) it
	// costs the CPU of the 19 MiB set, as OWASP's sets are made to, with
	// half its memory in an isolate of 128 MB (README, "Cloudflare
	// Workers", argon2id).
	argonWorker = argonParams{time: 4, memory: 9 * 1024}
)

const (
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns a PHC-style argon2id hash of the password, with this
// build's parameters.
func HashPassword(password string) (string, error) { return hashWith(argonHash, password) }

func hashWith(p argonParams, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, argonThreads,
		b64(salt), b64(key)), nil
}

// CheckPassword says whether password matches the hash, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("store: unknown password hash format")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, err
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyCheck spends the time of a password check, so that an unknown login
// answers as slowly as a wrong password.
func DummyCheck(password string) {
	argon2.IDKey([]byte(password), make([]byte, 16), argonHash.time, argonHash.memory, argonThreads, argonKeyLen)
}

func b64(b []byte) string { return base64.RawStdEncoding.EncodeToString(b) }
