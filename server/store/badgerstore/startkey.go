package badgerstore

import (
	"errors"
	"fmt"
	"strings"

	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
)

// openError says what an error of badger.Open means for the operator.
func openError(dir string, err error) error {
	switch {
	case strings.Contains(err.Error(), "acquire directory lock"):
		return fmt.Errorf("%w: %s", store.ErrLocked, dir)
	case errors.Is(err, badger.ErrEncryptionKeyMismatch):
		return fmt.Errorf("%w in %s: it was created with another key; start with the key file that belongs to this store "+
			"(or %s), never a new one", store.ErrWrongKey, dir, store.KeyEnv)
	}
	return fmt.Errorf("store: open %s: %w", dir, err)
}
