//go:build !unix

package badgerstore

import "errors"

// freeSpace is not read on systems without statfs: writes are not checked
// (see spaceGuard.admit).
func freeSpace(string) (int64, error) {
	return 0, errors.New("free disk space is not known on this system")
}
