package api

import "slices"

// Role says what a user may do. Every route lists the roles it admits.
type Role string

// The roles. Each account administrator manages the accounts of their own
// tenant only (Role.Invites); the data-protection officer answers a
// person's GDPR rights and manages no account.
const (
	RoleWorker      Role = "cpas_worker"  // CPAS social worker: the requests of one CPAS
	RoleAgent       Role = "onem_agent"   // ONEM agent: the queue of the CPAS of one office
	RoleCPASAdmin   Role = "cpas_admin"   // the accounts of one CPAS
	RoleOfficeAdmin Role = "office_admin" // the agents of one ONEM office and the administrators of its CPAS
	RoleDPO         Role = "dpo"          // data-protection officer: a person's files, accesses and erasure
	RoleAdmin       Role = "admin"        // system administrator: every account and the audit trail
)

// Roles lists every role, in the order screens offer them.
var Roles = []Role{RoleWorker, RoleCPASAdmin, RoleAgent, RoleOfficeAdmin, RoleDPO, RoleAdmin}

// Valid says whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Binding says what an account of role r belongs to: a CPAS, an ONEM
// office, or neither (the national roles).
func (r Role) Binding() string {
	switch r {
	case RoleWorker, RoleCPASAdmin:
		return "cpas"
	case RoleAgent, RoleOfficeAdmin:
		return "office"
	}
	return ""
}

// Invites lists the roles of the accounts an administrator of role r may
// create and manage: a CPAS administrator those of their CPAS, an office
// administrator the agents of their office and the administrators of the
// CPAS it serves, the system administrator every account.
func (r Role) Invites() []Role {
	switch r {
	case RoleCPASAdmin:
		return []Role{RoleWorker, RoleCPASAdmin}
	case RoleOfficeAdmin:
		return []Role{RoleAgent, RoleOfficeAdmin, RoleCPASAdmin}
	case RoleAdmin:
		return Roles
	}
	return nil
}

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// SessionInfo says who the caller is (POST and GET /api/v1/session).
type SessionInfo struct {
	UserID      string `json:"userId"`
	Login       string `json:"login"`
	DisplayName string `json:"displayName"`
	Role        Role   `json:"role"`
	CPASID      string `json:"cpasId,omitempty"`   // workers
	CPASName    string `json:"cpasName,omitempty"` // workers
	OfficeID    string `json:"officeId,omitempty"` // agents, and the office of a worker's CPAS
	OfficeName  string `json:"officeName,omitempty"`
	ExpiresAt   string `json:"expiresAt"` // RFC 3339
}

// AttachmentInfo answers an upload.
type AttachmentInfo struct {
	ID          string `json:"id"` // SHA-256, hex
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// IdleHeader carries, on the app's calls, the whole seconds since the
// user's last input in the app. The app syncs in the background every
// 30 seconds: without it an open tab with nobody at it would keep its
// session alive forever. The server takes the session's last use as now
// less this, so the idle timeout runs from the user's last input, and a
// user typing a long request without server calls keeps the session.
const IdleHeader = "X-Art60-Idle"

// PasswordChange is the body of POST /api/v1/session/password.
type PasswordChange struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// Password rules, the same for a user's change, an administrator's reset
// and a new account (art60 admin user add): at least MinPasswordLength
// characters, as NIST SP 800-63B asks of a password a user chooses (length
// matters, composition rules do not), and at most MaxPasswordBytes, the
// longest a sign-in accepts.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

// PasswordProblem says what is wrong with a new password, "" when nothing.
func PasswordProblem(pw string) string {
	n := 0
	for range pw {
		n++
	}
	switch {
	case n < MinPasswordLength:
		return "must have at least 12 characters"
	case len(pw) > MaxPasswordBytes:
		return "must have at most 1024 bytes"
	}
	return ""
}

// Account is an account as its administrators see it: never its password
// or invitation secret.
type Account struct {
	ID           string `json:"id"`
	Login        string `json:"login"`
	DisplayName  string `json:"displayName"`
	Role         Role   `json:"role"`
	CPASID       string `json:"cpasId,omitempty"`
	OfficeID     string `json:"officeId,omitempty"`
	Disabled     bool   `json:"disabled"`
	Invited      bool   `json:"invited"`                // an invitation waits to be used
	CreatedAt    string `json:"createdAt"`              // RFC 3339
	LastSignInAt string `json:"lastSignInAt,omitempty"` // RFC 3339; empty: never signed in
}

// NewAccount is the body of POST /api/v1/admin/users: an account created
// with an invitation instead of a password.
type NewAccount struct {
	Login       string `json:"login"`
	DisplayName string `json:"displayName"`
	Role        Role   `json:"role"`
	CPASID      string `json:"cpasId,omitempty"`
	OfficeID    string `json:"officeId,omitempty"`
}

// Invitation answers the creation of an account or a new invitation: the
// one-time link the administrator hands over. Its secret is in the URL's
// fragment, which browsers never send to a server, so it reaches no log.
type Invitation struct {
	Account   Account `json:"account"`
	Link      string  `json:"link"`
	ExpiresAt string  `json:"expiresAt"` // RFC 3339
}

// InvitationAccept is the body of POST /api/v1/invitation: the token of
// the link and the password its holder chooses.
type InvitationAccept struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// CPASInfo is a CPAS as the administration screens list it.
type CPASInfo struct {
	ID       string `json:"id"` // enterprise number
	Name     string `json:"name"`
	OfficeID string `json:"officeId"`
}

// AccountsReply answers GET /api/v1/admin/users: the accounts the caller
// manages, the CPAS and offices they may bind a new account to, and the
// roles they may give.
type AccountsReply struct {
	Users   []Account    `json:"users"`
	CPAS    []CPASInfo   `json:"cpas"`
	Offices []OfficeInfo `json:"offices"` // the offices an agent or office administrator may belong to
	Invites []Role       `json:"invites"`
}

// OfficeInfo names an ONEM office.
type OfficeInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// InvitationAccepted answers POST /api/v1/invitation: the login to sign
// in with.
type InvitationAccepted struct {
	Login string `json:"login"`
}
