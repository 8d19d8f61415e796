// Package contract is the black-box suite of art60's HTTP API: it takes the
// base URL of a running deployment and the login of its system
// administrator, sets up two CPAS of two offices with their accounts
// through the API itself, and checks what any deployment must do (sign-in,
// idempotent pushes, pull cursors, isolation between CPAS and between
// offices, decisions, comments, attachments, bad inputs). The same suite
// runs against the Go server (e2e.TestTheAPIContractHoldsOnTheGoServer);
// any other deployment of the API must pass it too. It leaves what it
// created behind, under fresh random names, so it can run again on the
// same store.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"art60/server/api"
)

// client is one signed-in browser as far as the API can tell: a cookie
// jar and the server's own Origin on every state change.
type client struct {
	t     *testing.T
	base  string
	http  *http.Client
	login string
}

// response is an answer read whole.
type response struct {
	status int
	body   []byte
	header http.Header
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// do calls the API; body is JSON-encoded unless it is []byte (sent as is,
// with contentType).
func (c *client) do(method, path string, body any, contentType ...string) response {
	c.t.Helper()
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		r, ct = bytes.NewReader(b), contentType[0]
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("contract: encode the body of %s %s: %v", method, path, err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, r)
	if err != nil {
		c.t.Fatalf("contract: build %s %s: %v", method, path, err)
	}
	if r != nil {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("contract: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("contract: read the answer of %s %s: %v", method, path, err)
	}
	return response{status: res.StatusCode, body: data, header: res.Header}
}

// must calls the API and fails unless it answers status; it decodes the
// body into out when out is not nil.
func (c *client) must(method, path string, body any, status int, out any) {
	c.t.Helper()
	res := c.do(method, path, body)
	if res.status != status {
		c.t.Fatalf("%s %s as %s: %d %s, want %d", method, path, c.login, res.status, res.body, status)
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			c.t.Fatalf("%s %s as %s: decode %s: %v", method, path, c.login, res.body, err)
		}
	}
}

// refused calls the API and fails unless it answers status with code and,
// when field is not "", an error naming field.
func (c *client) refused(method, path string, body any, status int, code, field string) {
	c.t.Helper()
	res := c.do(method, path, body)
	var e struct{ Error api.Error }
	json.Unmarshal(res.body, &e)
	if res.status != status || e.Error.Code != code || (field != "" && !names(e.Error.Fields, field)) {
		c.t.Errorf("%s %s as %s: %d %s, want %d %s naming %q", method, path, c.login, res.status, res.body, status, code, field)
	}
}

func names(fs []api.FieldError, path string) bool {
	for _, f := range fs {
		if f.Path == path {
			return true
		}
	}
	return false
}

// signIn opens a session for login on a new client.
func signIn(t *testing.T, base, login, password string) *client {
	t.Helper()
	c := newClient(t, base)
	c.login = login
	c.must("POST", "/api/v1/session", api.LoginRequest{Login: login, Password: password}, http.StatusOK, nil)
	return c
}

// errorf is t.Errorf with the caller's login in front.
func (c *client) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("as %s: %s", c.login, fmt.Sprintf(format, args...))
}
