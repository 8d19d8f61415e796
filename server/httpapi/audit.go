package httpapi

import "art60/server/store"

// signInFailure is the audit entry of a refused sign-in. It names the
// account when the login is a known one (u.ID set), so that an attack on an
// account shows in its trail; otherwise it holds the client address and
// "unknown login" only. The typed login is never recorded: it may be a
// mistyped name, an e-mail address or a password typed in the wrong field
// (the audit holds ids only, server/README.md "Audit trail").
func signInFailure(u store.User, addr string) store.AuditEntry {
	e := store.AuditEntry{Action: store.ActionSignInFailed, ClientAddr: addr, Detail: "unknown login"}
	if u.ID != "" {
		e.UserID, e.Role, e.Detail = u.ID, u.Role, "wrong password"
		if u.Disabled {
			e.Detail = "account disabled"
		}
	}
	return e
}

// auditReadSeen says whether a page of the audit trail shows the reader
// anything beyond the traces of their own earlier reads. Such a page is
// not recorded: each recorded read would otherwise be the next page's
// content, and a reader paging until an empty page would never see one.
func auditReadSeen(p *principal, page []store.AuditEntry) bool {
	for _, e := range page {
		if e.Action != store.ActionAuditRead || e.UserID != p.user.ID {
			return true
		}
	}
	return false
}
