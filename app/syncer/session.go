package syncer

import (
	"context"
	"encoding/json"
	"errors"

	"art60/server/api"
)

// ErrBadLogin is a refused login (wrong login or password, or throttled).
var ErrBadLogin = errors.New("login refused")

// Login opens a session; the cookie is kept by the browser (or the client's
// jar). The outbox is pushed right after.
func (e *Engine) Login(ctx context.Context, login, password string) (api.SessionInfo, error) {
	body, _ := json.Marshal(api.LoginRequest{Login: login, Password: password})
	status, resp, err := e.call(ctx, methodPost, "/api/v1/session", body, "application/json")
	if status == statusUnauthorized || status == statusTooMany || (status >= 400 && err == nil) {
		return api.SessionInfo{}, ErrBadLogin
	}
	if err != nil {
		return api.SessionInfo{}, err
	}
	var info api.SessionInfo
	if err := json.Unmarshal(resp, &info); err != nil {
		return api.SessionInfo{}, err
	}
	e.update(func(s *State) { s.NeedLogin = false })
	e.Kick()
	return info, nil
}

// Logout closes the session. Queued requests stay in the outbox.
func (e *Engine) Logout(ctx context.Context) error {
	_, _, err := e.call(ctx, methodDelete, "/api/v1/session", nil, "")
	return err
}

// Session says who is logged in; ok is false without a valid session.
func (e *Engine) Session(ctx context.Context) (api.SessionInfo, bool, error) {
	status, resp, err := e.call(ctx, methodGet, "/api/v1/session", nil, "")
	if status == statusUnauthorized {
		return api.SessionInfo{}, false, nil
	}
	if err != nil {
		return api.SessionInfo{}, false, err
	}
	var info api.SessionInfo
	err = json.Unmarshal(resp, &info)
	return info, err == nil, err
}
