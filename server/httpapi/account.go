package httpapi

import (
	"net/http"

	"art60/server/api"
	"art60/server/store"
)

// signOutEverywhere ends every session of the caller, this one included: a
// user who forgot to sign out on a shared computer ends that session from
// another one. The sessions cached on this server are dropped at once.
func (s *Service) signOutEverywhere(c *call) error {
	u := c.p.user
	if _, err := s.st.DeleteUserSessions(c.r.Context(), u.ID, "", c.p.audit(store.ActionSignOutAll)); err != nil {
		return err
	}
	s.sessions.dropUser(u.ID, "")
	http.SetCookie(c.w, s.cookie("", -1))
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePassword sets the caller's password from the current one and ends
// the user's other sessions (whoever learnt the old password may have
// opened one); this session stays. The current password is a guess like a
// sign-in's, so it goes through the same throttle and hashing gate: a
// stolen session cannot be used to try passwords faster than the sign-in
// page.
func (s *Service) changePassword(c *call) error {
	var in api.PasswordChange
	if err := decodeJSON(c.w, c.r, 4<<10, &in); err != nil {
		return err
	}
	if fs := checkPasswordChange(in); fs != nil {
		return fail(api.CodeInvalid, "the new password does not follow the rules", fs...)
	}
	u := c.p.user
	at, wait, err := s.throttle.reserve(c.r.Context(), s.now(), u.Login, c.p.addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		e := fail(api.CodeThrottled, "too many wrong passwords: wait before trying again")
		e.retryAfter = wait
		return e
	}
	hash, ok, err := s.rehash(c, at.addr, u.Login, in.CurrentPassword, in.NewPassword)
	if err != nil {
		s.throttle.refund(c.r.Context(), at)
		return err
	}
	if !ok {
		if err := s.st.AppendAudit(c.r.Context(), c.p.audit(store.ActionPasswordRefused)); err != nil {
			return err
		}
		return fail(api.CodeWrongPassword, "the current password is wrong",
			api.FieldError{Path: "currentPassword", Message: "is not your password"})
	}
	s.throttle.succeed(c.r.Context(), at)
	audit := c.p.audit(store.ActionUserPassword)
	audit.Object, audit.CPASID = u.ID, u.CPASID
	if err := s.st.SetPassword(c.r.Context(), u.ID, hash, c.p.session.TokenHash, audit); err != nil {
		return err
	}
	s.sessions.dropUser(u.ID, c.p.session.TokenHash)
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func checkPasswordChange(in api.PasswordChange) []api.FieldError {
	var fs []api.FieldError
	if in.CurrentPassword == "" || len(in.CurrentPassword) > api.MaxPasswordBytes {
		fs = append(fs, api.FieldError{Path: "currentPassword", Message: "is required"})
	}
	if p := api.PasswordProblem(in.NewPassword); p != "" {
		fs = append(fs, api.FieldError{Path: "newPassword", Message: p})
	} else if in.NewPassword == in.CurrentPassword {
		fs = append(fs, api.FieldError{Path: "newPassword", Message: "must differ from the current password"})
	}
	return fs
}

// rehash checks the current password and hashes the new one, both in the
// hashing gate (two argon2 runs of 19 MiB each): ok is false when the
// current password is wrong (or the account was disabled meanwhile).
func (s *Service) rehash(c *call, addr, login, current, next string) (string, bool, error) {
	if err := s.throttle.gate.enter(c.r.Context(), addr); err != nil {
		return "", false, errBusy()
	}
	defer s.throttle.gate.release(addr)
	u, err := s.st.UserByLogin(c.r.Context(), login)
	if err != nil {
		return "", false, err
	}
	if ok, err := store.CheckPassword(u.PasswordHash, current); err != nil || !ok || u.Disabled {
		return "", false, err
	}
	hash, err := store.HashPassword(next)
	return hash, err == nil, err
}
