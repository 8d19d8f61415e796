package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"art60/server/api"
)

// ErrBadLogin is a refused login (wrong login or password, or throttled).
var ErrBadLogin = errors.New("login refused")

// Login opens a session; the cookie is kept by the browser (or the client's
// jar). The outbox is pushed right after.
func (e *Engine) Login(ctx context.Context, login, password string) (api.SessionInfo, error) {
	body, _ := json.Marshal(api.LoginRequest{Login: login, Password: password})
	status, resp, err := e.call(ctx, methodPost, "/api/v1/session", body, "application/json")
	switch {
	case status == statusUnauthorized:
		return api.SessionInfo{}, ErrBadLogin
	case status >= 400: // throttled, busy: the code says which, the UI says when to retry
		var env struct {
			Error api.Error `json:"error"`
		}
		json.Unmarshal(resp, &env)
		return api.SessionInfo{}, &APIError{Status: status, Body: env.Error}
	}
	if err != nil {
		return api.SessionInfo{}, err
	}
	var info api.SessionInfo
	if err := json.Unmarshal(resp, &info); err != nil {
		return api.SessionInfo{}, err
	}
	e.update(func(s *State) { s.NeedLogin, s.SessionExpired, s.Error = false, false, "" })
	e.Kick()
	return info, nil
}

// Logout closes the session. Queued requests stay in the outbox.
func (e *Engine) Logout(ctx context.Context) error {
	_, _, err := e.call(ctx, methodDelete, "/api/v1/session", nil, "")
	return err
}

// LogoutEverywhere closes every session of the user, this one included.
func (e *Engine) LogoutEverywhere(ctx context.Context) error {
	return e.jsonCall(ctx, methodDelete, "/api/v1/sessions", nil, nil)
}

// ChangePassword sets the user's password from the current one; the
// server ends the user's other sessions. A refusal is an *APIError
// (wrong_password names currentPassword).
func (e *Engine) ChangePassword(ctx context.Context, current, next string) error {
	return e.PostJSON(ctx, "/api/v1/session/password", api.PasswordChange{CurrentPassword: current, NewPassword: next}, nil)
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

// idleSeconds writes a time since the user's last input for api.IdleHeader.
func idleSeconds(d time.Duration) string { return strconv.Itoa(int(max(d, 0) / time.Second)) }

// APIError is a refusal from the server, with its stable code and fields.
type APIError struct {
	Status int
	Body   api.Error
}

func (e *APIError) Error() string { return e.Body.Message }

// GetJSON reads an API resource into out (online screens: the agent's
// queue and review). A refusal is an *APIError.
func (e *Engine) GetJSON(ctx context.Context, path string, out any) error {
	return e.jsonCall(ctx, methodGet, path, nil, out)
}

// PostJSON sends in and reads the answer into out.
func (e *Engine) PostJSON(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return e.jsonCall(ctx, methodPost, path, body, out)
}

func (e *Engine) jsonCall(ctx context.Context, method, path string, body []byte, out any) error {
	ct := ""
	if body != nil {
		ct = "application/json"
	}
	status, resp, err := e.call(ctx, method, path, body, ct)
	if err != nil {
		return err
	}
	if status >= 400 {
		var env struct {
			Error api.Error `json:"error"`
		}
		json.Unmarshal(resp, &env)
		return &APIError{Status: status, Body: env.Error}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(resp, out)
}
