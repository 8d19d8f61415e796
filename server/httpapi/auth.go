package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"
)

const (
	cookieName     = "art60_session"
	sessionTTL     = 12 * time.Hour
	maxLoginLength = 254
)

// principal is the authenticated caller. The tenant (CPAS or office) comes
// from here and only from here, never from a parameter.
type principal struct {
	user    store.User
	session store.Session
	addr    string
}

func (p *principal) has(roles []api.Role) bool { return slices.Contains(roles, p.user.Role) }

// audit starts an audit entry for this caller.
func (p *principal) audit(action string) store.AuditEntry {
	return store.AuditEntry{UserID: p.user.ID, Role: p.user.Role, Action: action, ClientAddr: p.addr}
}

var (
	errUnauthenticated = fail(api.CodeUnauthenticated, "sign in first")
	errSessionExpired  = fail(api.CodeSessionExpired, "the session ended after a time without use: sign in again")
)

func (s *Service) authenticate(r *http.Request) (*principal, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, errUnauthenticated
	}
	hash := hashToken(ck.Value)
	now := s.now()
	p, ok := s.sessions.get(hash, now)
	if !ok {
		if p, err = s.loadPrincipal(r, hash); err != nil {
			return nil, err
		}
		s.sessions.put(hash, p, now)
	}
	if err := s.checkIdle(r, hash, p, now); err != nil {
		return nil, err
	}
	p.addr = clientAddr(r)
	return p, nil
}

func (s *Service) loadPrincipal(r *http.Request, hash string) (*principal, error) {
	se, err := s.st.Session(r.Context(), hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	u, err := s.st.User(r.Context(), se.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return nil, errUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	return &principal{user: u, session: se}, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// clientAddr is the peer address. The server does not trust forwarding
// headers: behind a proxy, every caller would otherwise choose its address.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// login checks a password and opens a session. A wrong login, a wrong
// password and a disabled account get the same answer, after the same work.
// The attempt is counted by the throttle before the password is hashed and
// handed back unless it failed (throttle.go).
func (s *Service) login(c *call) error {
	var in api.LoginRequest
	if err := decodeJSON(c.w, c.r, 4<<10, &in); err != nil {
		return err
	}
	login := strings.ToLower(strings.TrimSpace(in.Login))
	if fs := checkLogin(login, in.Password); fs != nil {
		return fail(api.CodeInvalid, "login and password are required", fs...)
	}
	at, wait, err := s.throttle.reserve(c.r.Context(), s.now(), login, clientAddr(c.r))
	if err != nil {
		return err
	}
	if wait > 0 {
		e := fail(api.CodeThrottled, "too many failed sign-ins: wait before trying again")
		e.retryAfter = wait
		return e
	}
	u, ok, err := s.checkCredentials(c, at.addr, login, in.Password)
	if err != nil {
		s.throttle.refund(c.r.Context(), at)
		return err
	}
	if !ok {
		s.log.Info("sign-in refused", "user", u.ID)
		if err := s.st.AppendAudit(c.r.Context(), signInFailure(u, clientAddr(c.r))); err != nil {
			return err
		}
		return fail(api.CodeBadCredentials, "wrong login or password")
	}
	s.throttle.succeed(c.r.Context(), at)
	// Administrators see when each account last signed in (a forgotten
	// account is one to disable).
	if _, err := s.st.UpdateUser(c.r.Context(), u.ID, func(u *store.User) error {
		u.LastSignInAt = s.now()
		return nil
	}); err != nil {
		return err
	}
	return s.openSession(c, u)
}

func checkLogin(login, password string) []api.FieldError {
	var fs []api.FieldError
	if login == "" || len(login) > maxLoginLength {
		fs = append(fs, api.FieldError{Path: "login", Message: "is required"})
	}
	if password == "" || len(password) > 1024 {
		fs = append(fs, api.FieldError{Path: "password", Message: "is required"})
	}
	return fs
}

// checkCredentials checks the password in the hashing gate (hashgate.go),
// where each address has one turn at a time.
func (s *Service) checkCredentials(c *call, addr, login, password string) (store.User, bool, error) {
	if err := s.throttle.gate.enter(c.r.Context(), addr); err != nil {
		return store.User{}, false, errBusy()
	}
	defer s.throttle.gate.release(addr)
	u, err := s.st.UserByLogin(c.r.Context(), login)
	if errors.Is(err, store.ErrNotFound) {
		store.DummyCheck(password)
		return store.User{}, false, nil
	}
	if err != nil {
		return u, false, err
	}
	if u.PasswordHash == "" { // invited, no password chosen yet: as slow as any other refusal
		store.DummyCheck(password)
		return u, false, nil
	}
	ok, err := store.CheckPassword(u.PasswordHash, password)
	return u, ok && err == nil && !u.Disabled, nil
}

// errBusy answers a password check that found the hashing gate full.
func errBusy() *httpError {
	e := fail(api.CodeBusy, "the server is busy checking other passwords: try again shortly")
	e.retryAfter = time.Second
	return e
}

func (s *Service) openSession(c *call, u store.User) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	se := store.Session{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	audit := (&principal{user: u, addr: clientAddr(c.r)}).audit(store.ActionSignIn)
	if err := s.st.PutSession(c.r.Context(), se, audit); err != nil {
		return err
	}
	http.SetCookie(c.w, s.cookie(token, int(sessionTTL.Seconds())))
	info, err := s.sessionInfo(c, &principal{user: u, session: se})
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, info)
	return nil
}

func (s *Service) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: cookieName, Value: value, Path: "/api/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteStrictMode}
}

func (s *Service) whoAmI(c *call) error {
	info, err := s.sessionInfo(c, c.p)
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, info)
	return nil
}

func (s *Service) logout(c *call) error {
	if err := s.st.DeleteSession(c.r.Context(), c.p.session.TokenHash, c.p.audit(store.ActionSignOut)); err != nil {
		return err
	}
	s.sessions.drop(c.p.session.TokenHash)
	http.SetCookie(c.w, s.cookie("", -1))
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) sessionInfo(c *call, p *principal) (api.SessionInfo, error) {
	u := p.user
	info := api.SessionInfo{UserID: u.ID, Login: u.Login, DisplayName: u.DisplayName, Role: u.Role,
		CPASID: u.CPASID, OfficeID: u.OfficeID, ExpiresAt: p.session.ExpiresAt.UTC().Format(time.RFC3339)}
	if u.CPASID != "" {
		cp, err := s.st.CPAS(c.r.Context(), u.CPASID)
		if err != nil {
			return info, err
		}
		info.CPASName, info.OfficeID = cp.Name, cp.OfficeID
	}
	if o, ok := store.OfficeByID(info.OfficeID); ok {
		info.OfficeName = o.Name
	}
	return info, nil
}
