package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// Route is one entry of the route table. The table is the single source of
// what the API serves and who may call it: the mux, the metrics labels, the
// OpenAPI coverage test and the isolation matrix are all built from it.
type Route struct {
	Method  string
	Pattern string     // ServeMux pattern, e.g. /api/v1/requests/{id}
	Roles   []api.Role // who may call it; empty: no session needed
	handle  func(s *Service, c *call) error
}

var (
	anyRole = []api.Role{api.RoleWorker, api.RoleAgent, api.RoleCPASAdmin, api.RoleOfficeAdmin, api.RoleDPO,
		api.RoleAdmin}
	workers       = []api.Role{api.RoleWorker}
	agents        = []api.Role{api.RoleAgent}
	caseRoles     = []api.Role{api.RoleWorker, api.RoleAgent}                         // who may open a person's file
	accountAdmins = []api.Role{api.RoleCPASAdmin, api.RoleOfficeAdmin, api.RoleAdmin} // accounts of their tenant
	officeAdmins  = []api.Role{api.RoleOfficeAdmin, api.RoleAdmin}                    // the CPAS an office serves
	dpoOnly       = []api.Role{api.RoleDPO}                                           // a person's GDPR rights
	auditReaders  = []api.Role{api.RoleAdmin, api.RoleDPO}
	onemRoles     = []api.Role{api.RoleAgent, api.RoleOfficeAdmin, api.RoleAdmin} // office figures
)

// Routes returns the route table.
func Routes() []Route {
	return []Route{
		{"GET", "/api/v1/openapi.json", nil, (*Service).openAPI},
		{"POST", "/api/v1/session", nil, (*Service).login},
		{"GET", "/api/v1/session", anyRole, (*Service).whoAmI},
		{"DELETE", "/api/v1/session", anyRole, (*Service).logout},
		{"DELETE", "/api/v1/sessions", anyRole, (*Service).signOutEverywhere},
		{"POST", "/api/v1/session/password", anyRole, (*Service).changePassword},
		{"POST", "/api/v1/sync/push", workers, (*Service).push},
		{"GET", "/api/v1/sync/pull", workers, (*Service).pull},
		{"GET", "/api/v1/requests/{id}", caseRoles, (*Service).getRequest},
		{"POST", "/api/v1/attachments", workers, (*Service).uploadAttachment},
		{"GET", "/api/v1/attachments/{sha256}", caseRoles, (*Service).getAttachment},
		{"GET", "/api/v1/queue", agents, (*Service).queue},
		{"POST", "/api/v1/requests/{id}/decision", agents, (*Service).decide},
		{"GET", "/api/v1/requests/{id}/comments", caseRoles, (*Service).listComments},
		{"POST", "/api/v1/requests/{id}/comments", caseRoles, (*Service).addComment},
		{"GET", "/api/v1/office", caseRoles, (*Service).office},
		{"GET", "/api/v1/reports", onemRoles, (*Service).reports},
		{"GET", "/api/v1/admin/audit", auditReaders, (*Service).auditTrail},
		{"GET", "/api/v1/admin/users", accountAdmins, (*Service).listUsers},
		{"POST", "/api/v1/admin/users", accountAdmins, (*Service).createUser},
		{"POST", "/api/v1/admin/users/{id}/disable", accountAdmins, (*Service).disableUser},
		{"POST", "/api/v1/admin/users/{id}/enable", accountAdmins, (*Service).enableUser},
		{"POST", "/api/v1/admin/users/{id}/invitation", accountAdmins, (*Service).reinviteUser},
		{"POST", "/api/v1/invitation", nil, (*Service).acceptInvitation},
		{"POST", "/api/v1/admin/cpas", officeAdmins, (*Service).addCPAS},
		{"POST", "/api/v1/admin/subject/export", dpoOnly, (*Service).exportSubject},
		{"POST", "/api/v1/admin/subject/accesses", dpoOnly, (*Service).subjectAccesses},
		{"POST", "/api/v1/admin/subject/erase", dpoOnly, (*Service).eraseSubject},
	}
}

// call is one API call being served.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	route *Route
	p     *principal // nil on public routes
}

func (s *Service) routes() http.Handler {
	mux := http.NewServeMux()
	paths := http.NewServeMux() // same paths, any method: tells 405 from 404
	seen := map[string][]string{}
	for _, rt := range Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(&rt))
		seen[rt.Pattern] = append(seen[rt.Pattern], rt.Method)
	}
	for pattern, methods := range seen {
		allow := strings.Join(methods, ", ")
		paths.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, fail(api.CodeMethodNotAllowed, "method not allowed here"))
		})
	}
	paths.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, fail(api.CodeNotFound, "no such API route"))
	})
	fallback := &Route{Method: "", Pattern: "unmatched"}
	mux.Handle("/", s.observe(fallback, paths))
	return mux
}

// wrap applies, in order: metrics and logging, panic recovery, CSRF check,
// schema version check, session and role check, then the handler.
func (s *Service) wrap(rt *Route) http.Handler {
	return s.observe(rt, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, route: rt}
		if err := s.serve(c); err != nil {
			s.writeErr(c, err)
		}
	}))
}

func (s *Service) serve(c *call) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "route", c.route.Pattern, "panic", v, "stack", string(debug.Stack()))
			err = errors.New("panic")
		}
	}()
	if err := s.checkSameOrigin(c.r); err != nil {
		return err
	}
	if err := checkSchemaHeader(c.r); err != nil {
		return err
	}
	if len(c.route.Roles) > 0 {
		p, err := s.authenticate(c.r)
		if err != nil {
			return err
		}
		if !p.has(c.route.Roles) {
			return fail(api.CodeForbidden, "your role may not use this route")
		}
		c.p = p
		callOf(c.r).UserID = p.user.ID
	}
	return c.route.handle(s, c)
}

// storageFullRetry is the Retry-After of storage_full: freeing disk space
// takes an operator, not a moment.
const storageFullRetry = 60 * time.Second

func (s *Service) writeErr(c *call, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, store.ErrStorageFull):
		// The store logs when writes stop and resume; this one was not stored.
		he = fail(api.CodeStorageFull, "the server's disk is full: nothing was saved; try again later")
		he.retryAfter = storageFullRetry
	default:
		s.log.Error("api", "route", c.route.Pattern, "err", err)
		he = fail(api.CodeInternal, "internal error")
	}
	writeError(c.w, he)
}

// checkSameOrigin refuses state changes that a browser sends on behalf of
// another site. The session cookie is SameSite=Strict already; this adds
// Fetch Metadata and the Origin header. The Origin is compared with the
// configured base URL (scheme, host and port), never with the request's Host
// header: the client chooses the Host, so an attacker who can make a victim's
// browser reach the server under another name (DNS rebinding, a stray
// virtual host) would otherwise pass. Without Origin, Sec-Fetch-Site must say
// same-origin or none; a non-browser client must send one of the two.
func (s *Service) checkSameOrigin(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	site := r.Header.Get("Sec-Fetch-Site")
	switch site {
	case "", "same-origin", "none":
	default:
		return fail(api.CodeCSRF, "cross-site request refused")
	}
	if o := r.Header.Get("Origin"); o != "" {
		if s.origin != "" && originOf(o) == s.origin {
			return nil
		}
		return fail(api.CodeCSRF, "cross-site request refused: the Origin is not the server's base URL")
	}
	if site != "" {
		return nil
	}
	return fail(api.CodeCSRF, "cross-site request refused: send Sec-Fetch-Site or Origin")
}

// originOf is the serialised origin of a URL (RFC 6454): lower-case scheme
// and host, and the port only when it is not the scheme's default, so that
// "https://Art60.example:443/" and the browser's "https://art60.example"
// compare equal. It is "" for anything that is not an http(s) URL with a host.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// SchemaHeader may carry the client's schema version on any call; the sync
// routes also take it in the body or query.
const SchemaHeader = "X-Art60-Schema"

func checkSchemaHeader(r *http.Request) error {
	h := r.Header.Get(SchemaHeader)
	if h == "" {
		return nil
	}
	v, err := strconv.Atoi(h)
	if err != nil {
		return fail(api.CodeInvalid, "bad schema header", api.FieldError{Path: SchemaHeader, Message: "must be a number"})
	}
	if e := api.CheckSchema(v); e != nil {
		return failWith(e)
	}
	return nil
}

// pathUUID reads a path parameter that must be a UUID; anything else cannot
// name a request, so it is "not found" like an unknown one.
func pathUUID(c *call, name string) (string, error) {
	id := c.r.PathValue(name)
	if !api.IsUUID(id) {
		return "", errNotFound
	}
	return id, nil
}
