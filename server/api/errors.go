package api

import "art60/calc"

// FieldError is one problem at a JSON path such as "request.case.periods[3].to".
// It is calc's type so that engine errors pass through unchanged.
type FieldError = calc.FieldError

// Error is the body of every failed API call, under the key "error":
//
//	{"error":{"code":"invalid","message":"...","fields":[{"path":"...","message":"..."}]}}
//
// Code is stable and meant for programs; Message is for people and never
// carries personal data (no NISS, no names).
type Error struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorBody wraps an Error the way it travels.
type ErrorBody struct {
	Error *Error `json:"error"`
}

// Stable error codes. Never rename one: clients switch on them.
const (
	CodeInvalidJSON          = "invalid_json"           // body is not JSON
	CodeInvalidType          = "invalid_type"           // a value has the wrong JSON type
	CodeUnknownField         = "unknown_field"          // a field the contract does not know
	CodeTooLarge             = "too_large"              // body over the limit
	CodeUnsupportedMediaType = "unsupported_media_type" // wrong Content-Type
	CodeInvalid              = "invalid"                // validation failed, see fields
	CodeUnauthenticated      = "unauthenticated"        // no valid session
	CodeBadCredentials       = "bad_credentials"        // login or password wrong, or account disabled
	CodeForbidden            = "forbidden"              // role may not use this route
	CodeCSRF                 = "cross_site"             // state change from another site
	CodeNotFound             = "not_found"              // nothing here for this caller
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeThrottled            = "throttled"       // too many failed logins; see Retry-After
	CodeUpdateRequired       = "update_required" // client schema version no longer accepted
	CodeAlreadySent          = "already_sent"    // a sent request cannot be edited
	CodeForbiddenTransition  = "forbidden_transition"
	CodeAlreadyDecided       = "already_decided"  // ONEM already answered this request
	CodeEndCheckWindow       = "end_check_window" // end-of-contract check outside 30..15 days before the end
	CodeEndCheckUsed         = "end_check_used"   // the one end-of-contract check was already sent
	CodeParentNotFound       = "parent_not_found" // parentId names no request of this CPAS
	CodeAttachmentNotFound   = "attachment_not_found"
	CodeUnsupportedFile      = "unsupported_attachment" // attachment is not PDF, PNG or JPEG
	CodeStaleMutation        = "stale_mutation"         // mutationId below the last applied one
	CodeMutationReused       = "mutation_reused"        // same mutationId, different content
	CodeRequestIDTaken       = "request_id_taken"       // the request id is held by another CPAS's request
	CodeBusy                 = "busy"                   // sign-in refused before the password check: too many waiting; see Retry-After
	CodeWrongUser            = "wrong_user"             // a push or pull for another user's device data than the session's
	CodeRequestErased        = "request_erased"         // the request's data was erased (a person's erasure or the end of its retention)
	CodeStorageFull          = "storage_full"           // the server's disk is nearly full: the write was not stored; see Retry-After
	CodeSessionExpired       = "session_expired"        // the session went unused longer than the idle timeout: sign in again
	CodeWrongPassword        = "wrong_password"         // a password change with a current password that is not the user's
	CodeQuotaExceeded        = "quota_exceeded"         // the CPAS's storage quota (attachment bytes or requests) is used up
	CodeLoginTaken           = "login_taken"            // a new account's login is another account's
	CodeInvitationInvalid    = "invitation_invalid"     // the invitation link is unknown, used, expired, or its account disabled
	CodeCPASTaken            = "cpas_taken"             // a new CPAS's enterprise number is already a CPAS
	CodeInternal             = "internal"
)

// Codes lists every code above, for the clients that must translate each
// one (the browser's catalogues are checked against it).
var Codes = []string{
	CodeInvalidJSON, CodeInvalidType, CodeUnknownField, CodeTooLarge, CodeUnsupportedMediaType, CodeInvalid,
	CodeUnauthenticated, CodeBadCredentials, CodeForbidden, CodeCSRF, CodeNotFound, CodeMethodNotAllowed,
	CodeThrottled, CodeUpdateRequired, CodeAlreadySent, CodeForbiddenTransition, CodeAlreadyDecided,
	CodeEndCheckWindow, CodeEndCheckUsed, CodeParentNotFound, CodeAttachmentNotFound, CodeUnsupportedFile,
	CodeStaleMutation, CodeMutationReused, CodeRequestIDTaken, CodeBusy, CodeWrongUser, CodeRequestErased,
	CodeStorageFull, CodeSessionExpired, CodeWrongPassword, CodeQuotaExceeded, CodeLoginTaken,
	CodeInvitationInvalid, CodeCPASTaken, CodeInternal,
}

// Invalid builds a validation error from field errors.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Message: message, Fields: fields}
}

// Prefix returns the fields with prefix+"." (or prefix alone for an empty
// path) put in front of each path, so nested validators can report paths
// relative to themselves.
func Prefix(prefix string, fields []FieldError) []FieldError {
	out := make([]FieldError, len(fields))
	for i, f := range fields {
		out[i] = f
		switch {
		case prefix == "":
		case f.Path == "":
			out[i].Path = prefix
		case f.Path[0] == '[':
			out[i].Path = prefix + f.Path
		default:
			out[i].Path = prefix + "." + f.Path
		}
	}
	return out
}
