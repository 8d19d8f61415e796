// Package store keeps art60's data: requests, accounts, sessions, audit
// trail, attachments and the mail outbox. Store is a small interface of whole
// operations, so that a database without interactive transactions
// (Cloudflare D1) implements it too. This package holds the interface, its
// types, its errors and what the implementations share (the audit chain,
// the backup format, the key, passwords, offices); the implementations are
// server/store/badgerstore (Badger, the default), server/store/sqlite and
// server/store/d1 (the Worker's), and server/store/storetest is the suite
// they pass.
package store

import (
	"context"
	"errors"
	"io"
	"time"

	"art60/server/api"
)

// Errors callers switch on.
var (
	ErrNotFound = errors.New("store: not found")
	ErrExists   = errors.New("store: already exists")
	ErrClosed   = errors.New("store: closed")
	// ErrLocked means another process (usually the running server) holds
	// the data directory.
	ErrLocked = errors.New("store: data directory in use by another process")
)

// Store is every operation the server needs, each one atomic.
type Store interface {
	// ApplyMutation applies one client mutation exactly once: the last
	// applied mutationId of (user, client) and its result are written in the
	// same transaction as the change, and a repeated mutation gets the stored
	// result. Rejected mutations change nothing and are not recorded.
	ApplyMutation(ctx context.Context, m Mutation) (api.MutationResult, error)
	// UpdateRequest changes one stored request (ONEM's decision).
	UpdateRequest(ctx context.Context, u Update) (*api.Request, error)
	// Request reads one request of a CPAS; ErrNotFound if it has none.
	Request(ctx context.Context, cpasID, id string) (*api.Request, error)
	// RequestByID reads the request an id names, whatever its CPAS: an id
	// names one request in the whole store (ApplyMutation refuses a second
	// CPAS's request with a taken id, api.CodeRequestIDTaken). The caller
	// checks that the request's CPAS is one it may see.
	RequestByID(ctx context.Context, id string) (*api.Request, error)
	// Changes lists the requests of a CPAS changed after the cursor, oldest
	// change first, at most limit. A store may leave out each request's
	// api.Explanation (see api.Request.Lean): pull sends none of it.
	Changes(ctx context.Context, cpasID string, cursor Cursor, limit int) (Page, error)
	// Queue lists requests of the CPAS of an office: sent ones by due
	// date, decided ones newest decision first.
	Queue(ctx context.Context, q QueueQuery) (QueuePage, error)
	// ScanQueue calls fn with the index entry of every sent and decided
	// request of an office ("" for all offices) until fn returns false:
	// the reports and the metrics are computed from these entries alone.
	ScanQueue(ctx context.Context, officeID string, fn func(api.QueueItem) bool) error
	// QueueSize counts sent requests waiting for ONEM, for the metrics.
	QueueSize() int64

	PutAttachment(ctx context.Context, a Attachment, data []byte, audit AuditEntry) error
	Attachment(ctx context.Context, cpasID, sha string) (Attachment, []byte, error)

	// The account and session changes take audit entries to write in the
	// transaction of the change (nothing is recorded when it fails).
	PutCPAS(ctx context.Context, c CPAS, audit ...AuditEntry) error // ErrExists if the id is taken
	CPAS(ctx context.Context, id string) (CPAS, error)
	ListCPAS(ctx context.Context) ([]CPAS, error)
	AddUser(ctx context.Context, u User, audit ...AuditEntry) error // ErrExists if the login is taken
	User(ctx context.Context, id string) (User, error)
	UserByLogin(ctx context.Context, login string) (User, error)
	UpdateUser(ctx context.Context, id string, fn func(*User) error, audit ...AuditEntry) (User, error)
	ListUsers(ctx context.Context) ([]User, error)

	PutSession(ctx context.Context, s Session, audit ...AuditEntry) error
	Session(ctx context.Context, tokenHash string) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string, audit ...AuditEntry) error

	// AppendAudit writes audit entries durably; the caller answers only after.
	AppendAudit(ctx context.Context, entries ...AuditEntry) error
	// Audit lists entries with Seq > after (and of one request when
	// requestID is not empty: the request the id names, as RequestByID),
	// oldest first.
	Audit(ctx context.Context, after int64, requestID string, limit int) ([]AuditEntry, error)
	// VerifyAudit walks the audit chain on a consistent snapshot and
	// reports the first broken link; it writes nothing.
	VerifyAudit(ctx context.Context) (AuditCheck, error)

	EnqueueMail(ctx context.Context, m Mail) error
	DueMail(ctx context.Context, now time.Time, limit int) ([]Mail, error)
	MarkMailSent(ctx context.Context, id string, at time.Time) error
	MarkMailRetry(ctx context.Context, id string, next time.Time, reason string) error
	// MarkMailFailed gives up on a mail: it is kept, no longer due.
	MarkMailFailed(ctx context.Context, id string, at time.Time, reason string) error
	// MailStats counts the mail waiting to be sent and the mail given up.
	MailStats(ctx context.Context) (pending, failed int64, err error)

	// ScanRequests calls fn with every stored request, erased ones left
	// out, until fn returns false (the data subject's rights: find a
	// person's requests by NISS, retention).
	ScanRequests(ctx context.Context, fn func(*api.Request) bool) error
	// EraseRequest removes a request's data and leaves its erased mark
	// (api.StatusErased) for sync; ErrErased if it was erased before.
	EraseRequest(ctx context.Context, cpasID, id string, audit AuditEntry) (Erasure, error)
	// ScanAttachments and DeleteUnusedAttachment let retention delete
	// uploads that no request names.
	ScanAttachments(ctx context.Context, fn func(Attachment) bool) error
	DeleteUnusedAttachment(ctx context.Context, cpasID, sha string, audit AuditEntry) (bool, error)
	// Compact pushes erased and deleted values off the disk.
	Compact(ctx context.Context) error

	// Backup writes an encrypted, consistent copy of everything to w.
	Backup(w io.Writer) error
	// Now reads the store's clock (Config.Now). Callers that build records
	// for the store outside it, such as the admin commands going through
	// the running server's control socket, stamp them by this clock, so
	// that one process keeps one time.
	Now() time.Time
	Close() error

	// TouchSession records that a session was used at a time (never moving
	// it back); ErrNotFound when the session is gone.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteUserSessions ends every session of a user but keep (a token
	// hash, "" for none) and returns how many it ended.
	DeleteUserSessions(ctx context.Context, userID, keep string, audit ...AuditEntry) (int, error)
	// SetPassword stores a user's new password hash and ends the user's
	// sessions but keep, in one transaction.
	SetPassword(ctx context.Context, userID, hash, keep string, audit ...AuditEntry) error
}

// Mutation is one client mutation handed to ApplyMutation.
type Mutation struct {
	UserID     string
	ClientID   string
	MutationID int64
	// Digest identifies the content: the same id with another content is
	// refused (api.CodeMutationReused).
	Digest string
	// Audit says who and from where; the store fills time, action and ids.
	Audit AuditEntry
	// Decide computes the request to store from a consistent view of the
	// data, or the reason to reject. The store may call it more than once,
	// so it must depend only on its arguments and the view.
	Decide func(v View) (*api.Request, *api.Error)
}

// View is what Decide may read, inside the mutation's transaction.
type View interface {
	Request(cpasID, id string) (*api.Request, error)
	// EndChecks counts the end-of-contract checks sent for an original request.
	EndChecks(cpasID, rootID string) (int, error)
	HasAttachment(cpasID, sha string) (bool, error)
}

// Update is a change of one stored request. Change edits the request in
// place and may return mail to enqueue in the same transaction, or an
// api.Error to refuse (nothing is written then), or Unchanged.
type Update struct {
	CPASID string
	ID     string
	Audit  AuditEntry
	Change func(r *api.Request) ([]Mail, *api.Error)
}

// Unchanged, returned by Update.Change, leaves the request as it is (an
// idempotent replay): nothing is written, not even the audit entry, and
// UpdateRequest returns the request as stored.
var Unchanged = &api.Error{Code: "unchanged", Message: "unchanged"}

// QueueQuery selects requests of an office's queue.
type QueueQuery struct {
	OfficeID string
	CPASID   string     // one CPAS of the office, or "" for all
	Status   api.Status // sent, calculated or invalidated
	// For sent requests: due date from DueFrom (included) to DueBefore
	// (excluded); "" leaves that side open. Overdue on day D is
	// DueBefore = D.
	DueFrom, DueBefore string
	Limit              int // 0: no limit
}

// QueuePage is one answer of Queue; More says the limit cut it.
type QueuePage struct {
	Items []api.QueueItem
	More  bool
}

// Cursor is a position in a CPAS's change sequence. Epoch changes when the
// store is restored from a backup, so clients resynchronise.
type Cursor struct {
	Epoch string
	Seq   int64
}

// EncodedChanges is Changes with each request as the JSON of its lean form
// (api.Request.Lean), offered by a store that keeps that JSON: pull then
// sends it as it is, instead of decoding and encoding every request again
// (most of a pull's time, server/README.md "Sync protocol").
type EncodedChanges interface {
	EncodedChanges(ctx context.Context, cpasID string, cursor Cursor, limit int) (EncodedPage, error)
}

// EncodedPage is one slice of EncodedChanges: a Page of encoded requests.
type EncodedPage struct {
	Requests []EncodedRequest
	Next     Cursor
	Full     bool
	More     bool
}

// EncodedRequest is one request of an EncodedPage: its id, to audit the
// read, and the JSON of its lean form.
type EncodedRequest struct {
	ID   string
	JSON []byte
}

// Page is one slice of Changes. Full is set when the cursor was unknown and
// the listing started over from the beginning.
type Page struct {
	Requests []api.Request
	Next     Cursor
	Full     bool
	More     bool
}

// CPAS is a public centre for social welfare, one tenant.
type CPAS struct {
	ID        string `json:"id"` // enterprise number, 10 digits
	Name      string `json:"name"`
	OfficeID  string `json:"officeId"` // the ONEM office it deals with
	CreatedAt string `json:"createdAt"`
}

// User is an account. Workers have a CPASID, agents an OfficeID, admins neither.
type User struct {
	ID           string   `json:"id"`
	Login        string   `json:"login"` // lowercase
	DisplayName  string   `json:"displayName"`
	Role         api.Role `json:"role"`
	CPASID       string   `json:"cpasId,omitempty"`
	OfficeID     string   `json:"officeId,omitempty"`
	PasswordHash string   `json:"passwordHash"`
	Disabled     bool     `json:"disabled"`
	CreatedAt    string   `json:"createdAt"`
	// InviteHash is the SHA-256 of the secret of the account's pending
	// invitation (server/accounts), "" when none waits; it works until
	// InviteExpiresAt.
	InviteHash      string    `json:"inviteHash,omitempty"`
	InviteExpiresAt time.Time `json:"inviteExpiresAt,omitzero"`
	LastSignInAt    time.Time `json:"lastSignInAt,omitzero"`
}

// Session is a login. Only the SHA-256 of its token is stored.
type Session struct {
	TokenHash string    `json:"tokenHash"`
	UserID    string    `json:"userId"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
	// LastUsedAt is the last use recorded (at most once a minute, see
	// LastUsed); zero until the first one.
	LastUsedAt time.Time `json:"lastUsedAt,omitzero"`
}

// Attachment describes an uploaded file, stored per CPAS under its SHA-256.
type Attachment struct {
	CPASID      string `json:"cpasId"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	UploadedBy  string `json:"uploadedBy"`
	UploadedAt  string `json:"uploadedAt"`
}

// AuditEntry records one read or change. It holds ids only, never a NISS or
// a name, so the trail itself can be handed to a data protection officer.
//
// Entries form a hash chain (audit.go, chainAudit): Hash is the hex SHA-256
// of the entry's canonical encoding (its JSON with Hash empty) and Prev the
// Hash of the entry before it, so altering, removing or reordering an entry
// breaks the chain (VerifyAudit). The canonical encoding is the JSON of this
// struct: a field added later must be omitempty, or the hashes of the
// entries written before it would no longer match.
type AuditEntry struct {
	Seq        int64    `json:"seq"`
	Time       string   `json:"time"` // RFC 3339 with nanoseconds
	UserID     string   `json:"userId"`
	Role       api.Role `json:"role,omitempty"`
	Action     string   `json:"action"`
	CPASID     string   `json:"cpasId,omitempty"`
	RequestID  string   `json:"requestId,omitempty"`
	Object     string   `json:"object,omitempty"` // attachment or user id
	ClientAddr string   `json:"clientAddr,omitempty"`
	// Detail is a fixed phrase of the code (such as "unknown login"),
	// never something a user typed.
	Detail string `json:"detail,omitempty"`
	Prev   string `json:"prev"` // Hash of the previous entry; "" for the first of the chain
	Hash   string `json:"hash"` // "" only on entries written before the chain (see VerifyAudit)
}

// Audit actions.
const (
	ActionRequestSubmit    = "request.submit"
	ActionRequestRead      = "request.read"
	ActionQueueRead        = "queue.read" // a request's line (with the person's name) in an agent's queue
	ActionRequestPull      = "request.pull"
	ActionRequestDecide    = "request.decide"
	ActionAttachmentUpload = "attachment.upload"
	ActionAttachmentRead   = "attachment.read"
	ActionCommentRead      = "comment.read"
	ActionCommentAdd       = "comment.add"

	// Accounts and sessions. A failed sign-in names the user only when the
	// login is a known one; otherwise the entry holds the client address
	// and the Detail "unknown login", never the typed login (which may be a
	// mistyped name or a password typed in the wrong field).
	ActionSignIn       = "session.signin"
	ActionSignInFailed = "session.signin_failed"
	ActionSignOut      = "session.signout"
	ActionCPASAdd      = "cpas.add"     // Object: the CPAS id
	ActionUserAdd      = "user.add"     // Object: the new user's id
	ActionUserDisable  = "user.disable" // Object: the user's id
	ActionUserList     = "user.list"    // the accounts list (logins and names) was read
	ActionUserInvite   = "user.invite"  // an invitation link was made; Object: the user's id
	ActionUserAccept   = "user.accept"  // an invitation was used to set the password; Object: the user's id

	// The audit trail and the store as a whole.
	ActionAuditRead   = "audit.read"   // GET /api/v1/admin/audit; Object: the request filtered on
	ActionAuditExport = "audit.export" // art60 audit export; Object: the request filtered on
	ActionBackup      = "store.backup"
	ActionRestore     = "store.restore" // written into the restored store

	// A person's rights (GDPR art. 15 and 17) and retention. The entries
	// name requests, never the NISS that found them.
	ActionSubjectExport  = "subject.export"    // one entry per request exported
	ActionSubjectReaders = "subject.readers"   // "who read this person's files", one entry per request looked at
	ActionSubjectErase   = "subject.erase"     // one entry per request erased
	ActionRequestExpire  = "request.expire"    // erased at the end of its retention period
	ActionUploadExpire   = "attachment.expire" // an upload never attached, deleted; Object: its SHA-256
)

// CommandUser is the UserID of entries written by the art60 admin, backup,
// restore and audit commands: they run on the server's machine as whoever
// may read the data directory and the key (the control socket is mode
// 0600), not as an account of the application.
const CommandUser = "cli"

// RetentionUser is the UserID of the entries the server's retention pass
// writes (request.expire, attachment.expire).
const RetentionUser = "retention"

// Mail is one message in the outbox; server/mail delivers it. It holds
// what the message is made from, not the message: the text is composed at
// sending time, in Lang, with ids only (no personal data).
type Mail struct {
	ID            string `json:"id"`
	To            string `json:"to"`
	Template      string `json:"template"`          // "decision" or "question"
	Outcome       string `json:"outcome,omitempty"` // decision: calculated or invalidated
	Lang          string `json:"lang"`
	CPASID        string `json:"cpasId"`
	RequestID     string `json:"requestId"`
	CreatedAt     string `json:"createdAt"`
	NextAttemptAt string `json:"nextAttemptAt"`
	Attempts      int    `json:"attempts"`
	SentAt        string `json:"sentAt,omitempty"`
	FailedAt      string `json:"failedAt,omitempty"` // given up
	LastError     string `json:"lastError,omitempty"`
}

// Mail templates.
const (
	TemplateDecision = "decision" // ONEM validated or invalidated the request
	TemplateQuestion = "question" // ONEM wrote in the request's comments
)

// Audit actions of sessions and passwords (see the others in store.go).
const (
	ActionSignOutAll = "session.signout_all" // every session of the user ended (DELETE /api/v1/sessions)
	// A password set: by its user (the other sessions end; Object: the
	// user's id), or reset by art60 admin user reset-password (Detail
	// "reset"; every session ends).
	ActionUserPassword    = "user.password"
	ActionPasswordRefused = "user.password_refused" // a change with a wrong current password
	ActionUserEnable      = "user.enable"           // Object: the user's id
)

// LastUsed is when the session was last seen in use, as far as the store
// knows: the API writes it at most once a minute (httpapi, idle timeout),
// and a session stored before it was tracked counts from its sign-in.
func (se Session) LastUsed() time.Time {
	if se.LastUsedAt.IsZero() {
		return se.CreatedAt
	}
	return se.LastUsedAt
}
