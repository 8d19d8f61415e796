package sqlite

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

// sealer encrypts the columns that may hold personal data and hashes the
// values a query must find (a NISS, a login) under keys derived from the
// store key with HKDF-SHA256, one per use, so that no key serves two
// purposes (the backups derive theirs the same way, server/store/backup.go).
//
// A sealed value is a random 12-byte nonce and the AES-256-GCM ciphertext;
// its additional data names the table, column and row it belongs to, so a
// value copied into another row or column does not open.
type sealer struct {
	storeKey []byte // for backups, which derive their own key from it
	aead     cipher.AEAD
	niss     []byte
	login    []byte
}

func newSealer(key []byte) (*sealer, error) {
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
	return &sealer{storeKey: key, aead: aead, niss: k("art60 niss"), login: k("art60 login")}, nil
}

// seal encrypts plain for the place named by ad (table, column and key).
func (s *sealer) seal(ad string, plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24)
	return s.aead.Seal(nonce, nonce, plain, []byte(ad))
}

var errSealed = errors.New("store: a sealed column does not open: altered, moved from another row, or another key")

func (s *sealer) open(ad string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errSealed
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, errSealed
	}
	return plain, nil
}

// sealJSON encodes v and seals it.
func (s *sealer) sealJSON(ad string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", ad, err)
	}
	return s.seal(ad, b), nil
}

// sealRequest seals a request. A live one is encoded as its plain struct:
// encoding/json scans the whole output of a MarshalJSON method again
// (api.Request has one for the erased mark), measured at 5 % of a push's
// CPU; the mark goes through the method, which is what it is for.
func (s *sealer) sealRequest(r *api.Request) ([]byte, error) {
	if r.Status == api.StatusErased {
		return s.sealJSON(adRequest(r.ID), r)
	}
	type plain api.Request
	return s.sealJSON(adRequest(r.ID), (*plain)(r))
}

// openJSON opens a sealed value and decodes it into v.
func (s *sealer) openJSON(ad string, sealed []byte, v any) error {
	b, err := s.open(ad, sealed)
	if err != nil {
		return fmt.Errorf("%w (%s)", err, ad)
	}
	return json.Unmarshal(b, v)
}

// nissHMAC is the keyed hash a NISS is indexed by, nil for none: without
// the store key, the 11 digits (a birth date and a few more) cannot be
// found again by hashing every candidate.
func (s *sealer) nissHMAC(digits string) []byte {
	if digits == "" {
		return nil
	}
	return mac(s.niss, digits)
}

func (s *sealer) loginHMAC(login string) []byte { return mac(s.login, login) }

func mac(key []byte, v string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(v))
	return h.Sum(nil)
}

// The additional data of each sealed column.
func adRequest(id string) string           { return "requests.data/" + id }
func adItem(id string) string              { return "requests.item/" + id }
func adAttachment(cpas, sha string) string { return "attachments.data/" + cpas + "/" + sha }
func adUser(id string) string              { return "users.data/" + id }
func adMail(id string) string              { return "mail.data/" + id }
