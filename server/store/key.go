package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeyEnv names the environment variable that can carry the key (hex); it
// wins over the key file. The commands read it and pass its value down.
const KeyEnv = "ART60_KEY"

// LoadKey returns the 32-byte encryption key given in hex (the value of
// $ART60_KEY, "" when unset), else from file (hex). When the file is
// missing and create is true, it writes a new random key there (mode 0600)
// and reports created.
func LoadKey(hexKey, file string, create bool) (key []byte, created bool, err error) {
	if env := strings.TrimSpace(hexKey); env != "" {
		key, err = parseKey(env)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", KeyEnv, err)
		}
		return key, false, nil
	}
	if file == "" {
		return nil, false, errors.New("store: no key file and no " + KeyEnv)
	}
	b, err := readKeyFile(file)
	switch {
	case err == nil:
		key, err = parseKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", file, err)
		}
		return key, false, nil
	case errors.Is(err, fs.ErrNotExist) && create:
		key, err = newKey(file)
		return key, err == nil, err
	}
	return nil, false, fmt.Errorf("store: key: %w", err)
}

// errKeyFileOpen is the start refused because another user could read the
// key file (see readKeyFile).
var errKeyFileOpen = errors.New("the key file is readable by other users")

// readKeyFile reads the key file, refusing one that its group or other
// users may read: with the key, anyone who can copy the data directory or a
// backup reads every request. The check is on the opened file, so the file
// read is the file checked. Windows has no such mode bits.
func readKeyFile(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if perm := st.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("store: key file %s has mode %04o: %w; run `chmod 600 %s` (and check who could have copied it)",
			file, perm, errKeyFileOpen, file)
	}
	return io.ReadAll(f)
}

// parseKey reads a key in hex. Its error says what was found (never the
// key): a truncated or edited key file is a damaged copy, not a reason to
// make a new key.
func parseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	key, err := hex.DecodeString(s)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the key must be 64 hexadecimal digits (32 bytes), found %d characters%s: "+
			"the key is damaged; put back your copy of it", len(s), notHex(s))
	}
	return key, nil
}

func notHex(s string) string {
	if strings.Trim(strings.ToLower(s), "0123456789abcdef") == "" {
		return ""
	}
	return " that are not all hexadecimal digits"
}

func newKey(file string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, err
	}
	// O_EXCL: never overwrite a key that appeared meanwhile.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}
