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
