package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrWrongKey is a store that the key given does not open: it was created
// with another one.
var ErrWrongKey = errors.New("store: this key does not open the store")

// KeyFor loads the key of the store in dir (LoadKey: hexKey, else file). With create, a new
// key is written only when dir holds no store yet: over existing data a new
// key would read nothing, and the start must say that the key is missing
// instead of leaving a useless new key file behind.
func KeyFor(dir, hexKey, file string, create bool) (key []byte, created bool, err error) {
	used, err := holdsFiles(dir)
	if err != nil {
		return nil, false, fmt.Errorf("store: read the data directory: %w", err)
	}
	key, created, err = LoadKey(hexKey, file, create && !used)
	if used && errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("store: the key file %s is missing, and %s holds a store encrypted with its key: "+
			"put the key file back from your copy of it (mode 0600), or give the key in %s; "+
			"a new key cannot read this data, so none was created", file, dir, KeyEnv)
	}
	return key, created, err
}

// holdsFiles tells whether dir exists and has anything in it.
func holdsFiles(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return len(entries) > 0, err
}
