// Package sqlbase is what the SQL stores share: the schema's migration files
// (applied by the SQLite store at open, and by wrangler d1 migrations for
// the D1 store), their application on database/sql, the sealing of personal
// columns and the key check. It imports no SQL driver, so the Worker build
// (server/store/d1 on a D1 binding) links no SQLite engine.
package sqlbase

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"art60/server/api"

	"golang.org/x/crypto/hkdf"
)

// Sealer encrypts the columns that may hold personal data and hashes the
// values a query must find (a NISS, a login) under keys derived from the
// store key with HKDF-SHA256, one per use, so that no key serves two
// purposes (the backups derive theirs the same way, server/store/backup.go).
//
// A sealed value is a random 12-byte nonce and the AES-256-GCM ciphertext;
// its additional data names the table, column and row it belongs to, so a
// value copied into another row or column does not open.
type Sealer struct {
	storeKey []byte // for backups, which derive their own key from it
	aead     cipher.AEAD
	niss     []byte
	login    []byte
	throttle []byte
}

// StoreKey is the key the sealer was made from (backups derive theirs from it).
func (s *Sealer) StoreKey() []byte { return s.storeKey }

// NewSealer derives the sealing and hashing keys from the 32-byte store key.
func NewSealer(key []byte) (*Sealer, error) {
	k := func(info string) []byte {
		out := make([]byte, 32)
		io.ReadFull(hkdf.New(sha256.New, key, nil, []byte(info)), out)
		return out
	}
	block, err := aes.NewCipher(k("art60 sqlite columns"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{storeKey: key, aead: aead, niss: k("art60 niss"), login: k("art60 login"),
		throttle: k("art60 throttle")}, nil
}

// Seal encrypts plain for the place named by ad (table, column and key).
func (s *Sealer) Seal(ad string, plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24)
	return s.aead.Seal(nonce, nonce, plain, []byte(ad))
}

// ErrSealed is a sealed value that does not open.
var ErrSealed = errors.New("store: a sealed column does not open: altered, moved from another row, or another key")

// Open opens a value sealed for the place ad names.
func (s *Sealer) Open(ad string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrSealed
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// SealJSON encodes v and seals it.
func (s *Sealer) SealJSON(ad string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", ad, err)
	}
	return s.Seal(ad, b), nil
}

// SealRequest seals a request. A live one is encoded as its plain struct:
// encoding/json scans the whole output of a MarshalJSON method again
// (api.Request has one for the erased mark), measured at 5 % of a push's
// CPU; the mark goes through the method, which is what it is for.
func (s *Sealer) SealRequest(r *api.Request) ([]byte, error) {
	if r.Status == api.StatusErased {
		return s.SealJSON(ADRequest(r.ID), r)
	}
	type plain api.Request
	return s.SealJSON(ADRequest(r.ID), (*plain)(r))
}

// OpenJSON opens a sealed value and decodes it into v.
func (s *Sealer) OpenJSON(ad string, sealed []byte, v any) error {
	b, err := s.Open(ad, sealed)
	if err != nil {
		return fmt.Errorf("%w (%s)", err, ad)
	}
	return json.Unmarshal(b, v)
}

// NISSHMAC is the keyed hash a NISS is indexed by, nil for none: without
// the store key, the 11 digits (a birth date and a few more) cannot be
// found again by hashing every candidate.
func (s *Sealer) NISSHMAC(digits string) []byte {
	if digits == "" {
		return nil
	}
	return mac(s.niss, digits)
}

// LoginHMAC is the keyed hash a login is found by.
func (s *Sealer) LoginHMAC(login string) []byte { return mac(s.login, login) }

// ThrottleHMAC is the keyed hash a sign-in throttle key (which names an
// account and an address) is stored under.
func (s *Sealer) ThrottleHMAC(key string) []byte { return mac(s.throttle, key) }

func mac(key []byte, v string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(v))
	return h.Sum(nil)
}

// The additional data of each sealed column (AD: the place a value is sealed for).
func ADRequest(id string) string           { return "requests.data/" + id }
func ADItem(id string) string              { return "requests.item/" + id }
func ADAttachment(cpas, sha string) string { return "attachments.data/" + cpas + "/" + sha }
func ADUser(id string) string              { return "users.data/" + id }
func ADMail(id string) string              { return "mail.data/" + id }
