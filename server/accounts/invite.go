package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// InvitationTTL is how long an invitation link works: long enough for a
// colleague who starts next week, short enough that a forgotten link in a
// mailbox is soon worthless.
const InvitationTTL = 7 * 24 * time.Hour

// Invite gives u a new one-time invitation valid from now, replacing any
// earlier one, and returns the token of its link. The token is the
// account's id and a 256-bit secret; the store keeps only the secret's
// SHA-256, like a session's.
func Invite(u *store.User, now time.Time) string {
	secret := rand.Text() + rand.Text() // 2 × 130 bits
	u.InviteHash = hashSecret(secret)
	u.InviteExpiresAt = now.Add(InvitationTTL)
	return u.ID + "." + secret
}

// SplitToken separates an invitation token into the account's id and the
// secret; ok is false when it cannot be a token.
func SplitToken(token string) (id, secret string, ok bool) {
	id, secret, ok = strings.Cut(token, ".")
	return id, secret, ok && api.IsUUID(id) && secret != "" && len(secret) <= 128
}

// InvitationValid says whether secret opens u's invitation at now: the
// invitation exists, has not expired, and the account is not disabled.
func InvitationValid(u store.User, secret string, now time.Time) bool {
	if u.InviteHash == "" || u.Disabled || !now.Before(u.InviteExpiresAt) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(u.InviteHash), []byte(hashSecret(secret))) == 1
}

// Accept sets the password an invitation's holder chose and spends the
// invitation.
func Accept(u *store.User, passwordHash string) {
	u.PasswordHash, u.InviteHash, u.InviteExpiresAt = passwordHash, "", time.Time{}
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// LinkPath is the app's page that takes an invitation: the token goes in
// the fragment, which browsers never send to a server.
const LinkPath = "/invite#"

// Manager is an administrator as far as managing accounts goes.
type Manager struct {
	ID       string
	Role     api.Role
	CPASID   string
	OfficeID string
}

// ManagerOf is u as an account manager.
func ManagerOf(u store.User) Manager {
	return Manager{ID: u.ID, Role: u.Role, CPASID: u.CPASID, OfficeID: u.OfficeID}
}

// Manages says whether m may see and manage the account u, whose CPAS (for
// the CPAS roles) is served by office cpasOffice: a CPAS administrator the
// accounts of their CPAS, an office administrator the agents of their
// office and the administrators of the CPAS it serves, the system
// administrator every account. Nobody manages their own account here:
// they change their password and sign out on the account page.
func (m Manager) Manages(u store.User, cpasOffice string) bool {
	if u.ID == m.ID || !slices.Contains(m.Role.Invites(), u.Role) {
		return false
	}
	switch m.Role {
	case api.RoleCPASAdmin:
		return u.CPASID == m.CPASID
	case api.RoleOfficeAdmin:
		if u.Role == api.RoleCPASAdmin {
			return cpasOffice == m.OfficeID
		}
		return u.OfficeID == m.OfficeID
	}
	return m.Role == api.RoleAdmin
}

// AccountOf is what administrators see of u.
func AccountOf(u store.User, now time.Time) api.Account {
	a := api.Account{ID: u.ID, Login: u.Login, DisplayName: u.DisplayName, Role: u.Role, CPASID: u.CPASID,
		OfficeID: u.OfficeID, Disabled: u.Disabled, CreatedAt: u.CreatedAt,
		Invited: u.InviteHash != "" && now.Before(u.InviteExpiresAt)}
	if !u.LastSignInAt.IsZero() {
		a.LastSignInAt = Stamp(u.LastSignInAt)
	}
	return a
}
