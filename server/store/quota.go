package store

import "errors"

// Quota bounds what one CPAS may store, so that one tenant cannot fill the
// disk that all share. Zero leaves a limit off.
type Quota struct {
	AttachmentBytes int64 // total size of the CPAS's attachments
	Requests        int64 // number of requests the CPAS sent
}

// Usage is what a CPAS stores, counted in the transaction of every change
// (the usage key, m/usage/<cpas>), so concurrent uploads cannot pass a
// limit together: the single writer applies them one after the other.
type Usage struct {
	AttachmentBytes int64 `json:"attachmentBytes"`
	Attachments     int64 `json:"attachments"`
	Requests        int64 `json:"requests"`
}

// ErrQuotaExceeded refuses a change that would take a CPAS over its quota;
// nothing of it is stored.
var ErrQuotaExceeded = errors.New("store: the CPAS's storage quota is used up")
