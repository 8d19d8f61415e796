//go:build !unix

package sqlite

import "os"

// lockFile: without flock, nothing stops a second process; run one server
// per data directory (server/README.md, "The SQLite store").
func lockFile(file string) (*os.File, error) {
	return os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o600)
}

func unlock(f *os.File) { f.Close() }
