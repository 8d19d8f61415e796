package store

import "fmt"

// ErrErased is the answer for a request whose data was erased: only its
// mark is left (api.StatusErased). It is also an ErrNotFound, so that every
// reader that does not care why treats it as absent.
var ErrErased = fmt.Errorf("%w: the request was erased", ErrNotFound)

// Erasure says what EraseRequest removed.
type Erasure struct {
	Files int // attachments removed with the request (no other request of its CPAS used them)
}
