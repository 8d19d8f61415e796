// Package accounts holds the rules of art60's accounts, the same for the
// art60 admin command and the administration API: what a new CPAS or user
// must be, which tenant an account belongs to, who may manage whom, and
// the one-time invitations that let a new colleague choose their own
// password (server/README.md, "Accounts and roles").
package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// FieldError says which field of an account or CPAS is wrong. The command
// prints it; the API answers it as an invalid field at Field.
type FieldError struct {
	Field   string // the API's path: login, displayName, role, cpasId, officeId, password; of a CPAS id, name, officeId
	Message string // English, for the command line; the UI translates the code
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldError(field, msg string) error { return &FieldError{Field: field, Message: msg} }

// NewCPAS checks and builds a CPAS record created at at: the store's clock
// (store.Store.Now), which is the running server's when the command comes
// through its control socket.
func NewCPAS(name, enterprise, office string, at time.Time) (store.CPAS, error) {
	id, ok := api.NormalizeEnterpriseNumber(enterprise)
	if !ok {
		return store.CPAS{}, fieldError("id", "invalid enterprise number "+enterprise+" (10 digits, starting with 0 or 1, mod-97 check)")
	}
	if strings.TrimSpace(name) == "" {
		return store.CPAS{}, fieldError("name", "is required")
	}
	if _, ok := store.OfficeByID(office); !ok {
		return store.CPAS{}, fieldError("officeId", "unknown office "+office+" (see: art60 admin office list)")
	}
	return store.CPAS{ID: id, Name: strings.TrimSpace(name), OfficeID: office, CreatedAt: Stamp(at)}, nil
}

// Spec describes a user to create. An empty Password makes an account
// that cannot sign in until its invitation is used (Invite).
type Spec struct {
	Login, Name, Password string
	Role                  api.Role
	CPASID, OfficeID      string
}

// maxLogin is the longest login: an e-mail address at most (RFC 5321).
const maxLogin = 254

// NewUser checks a user against the stored CPAS and offices and hashes the
// password. It is stamped by the store's clock, like NewCPAS.
func NewUser(ctx context.Context, st store.Store, s Spec) (store.User, error) {
	login := strings.ToLower(strings.TrimSpace(s.Login))
	if login == "" || len(login) > maxLogin || strings.ContainsAny(login, " /\t\n") {
		return store.User{}, fieldError("login", "is required (no spaces or slashes, at most 254 characters)")
	}
	if strings.TrimSpace(s.Name) == "" {
		return store.User{}, fieldError("displayName", "is required")
	}
	if err := checkBinding(ctx, st, &s); err != nil {
		return store.User{}, err
	}
	u := store.User{ID: uuid.NewString(), Login: login, DisplayName: strings.TrimSpace(s.Name), Role: s.Role,
		CPASID: s.CPASID, OfficeID: s.OfficeID, CreatedAt: Stamp(st.Now())}
	if s.Password == "" {
		return u, nil
	}
	if p := api.PasswordProblem(s.Password); p != "" {
		return store.User{}, fieldError("password", p)
	}
	hash, err := store.HashPassword(s.Password)
	if err != nil {
		return store.User{}, fmt.Errorf("accounts: hash the password: %w", err)
	}
	u.PasswordHash = hash
	return u, nil
}

// checkBinding: a CPAS worker or administrator belongs to one CPAS, an
// agent or office administrator to one office, the national roles to
// neither (api.Role.Binding).
func checkBinding(ctx context.Context, st store.Store, s *Spec) error {
	if !s.Role.Valid() {
		return fieldError("role", "must be one of cpas_worker, cpas_admin, onem_agent, office_admin, dpo, admin")
	}
	switch s.Role.Binding() {
	case "cpas":
		id, ok := api.NormalizeEnterpriseNumber(s.CPASID)
		if !ok || s.OfficeID != "" {
			return fieldError("cpasId", "a "+string(s.Role)+" needs a CPAS (enterprise number) and no office")
		}
		if _, err := st.CPAS(ctx, id); errors.Is(err, store.ErrNotFound) {
			return fieldError("cpasId", "unknown CPAS "+id+" (see: art60 admin cpas list)")
		} else if err != nil {
			return fmt.Errorf("accounts: read CPAS %s: %w", id, err)
		}
		s.CPASID = id
	case "office":
		if _, ok := store.OfficeByID(s.OfficeID); !ok || s.CPASID != "" {
			return fieldError("officeId", "a "+string(s.Role)+" needs an office (see: art60 admin office list) and no CPAS")
		}
	default:
		if s.CPASID != "" || s.OfficeID != "" {
			return fieldError("role", "a "+string(s.Role)+" has neither CPAS nor office")
		}
	}
	return nil
}

// Stamp is how accounts and CPAS record their creation time.
func Stamp(at time.Time) string { return at.UTC().Format(time.RFC3339) }
