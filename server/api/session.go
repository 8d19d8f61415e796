package api

// Role says what a user may do. Every route lists the roles it admits.
type Role string

// The roles.
const (
	RoleWorker Role = "cpas_worker" // CPAS social worker: the requests of one CPAS
	RoleAgent  Role = "onem_agent"  // ONEM agent: the queue of the CPAS of one office
	RoleAdmin  Role = "admin"       // administrator / data protection officer: accounts and audit
)

// Valid says whether r is a known role.
func (r Role) Valid() bool { return r == RoleWorker || r == RoleAgent || r == RoleAdmin }

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
