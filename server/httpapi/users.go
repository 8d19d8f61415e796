package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"art60/server/accounts"
	"art60/server/api"
	"art60/server/store"
)

// The administration of accounts (server/README.md, "Accounts and
// roles"): each administrator sees and manages the accounts of their own
// tenant only (accounts.Manager.Manages); an account outside it answers
// 404 like one that does not exist. A new colleague gets a one-time
// invitation link and chooses their own password: no administrator ever
// knows it.

// listUsers answers the accounts the caller manages, the CPAS a new
// account may belong to, and the roles the caller may give.
func (s *Service) listUsers(c *call) error {
	ctx := c.r.Context()
	if err := s.st.AppendAudit(ctx, c.p.audit(store.ActionUserList)); err != nil {
		return err
	}
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return err
	}
	offices, cpas, err := s.cpasInScope(c)
	if err != nil {
		return err
	}
	m, now := accounts.ManagerOf(c.p.user), s.now()
	out := api.AccountsReply{Users: []api.Account{}, CPAS: cpas, Offices: officesInScope(c.p.user),
		Invites: c.p.user.Role.Invites()}
	for _, u := range users {
		if m.Manages(u, offices[u.CPASID]) {
			out.Users = append(out.Users, accounts.AccountOf(u, now))
		}
	}
	slices.SortFunc(out.Users, func(a, b api.Account) int { return strings.Compare(a.Login, b.Login) })
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// cpasInScope returns the office of every CPAS, and the CPAS the caller
// may bind an account to: their own, those of their office, or all.
func (s *Service) cpasInScope(c *call) (map[string]string, []api.CPASInfo, error) {
	all, err := s.st.ListCPAS(c.r.Context())
	if err != nil {
		return nil, nil, err
	}
	offices := make(map[string]string, len(all))
	in := []api.CPASInfo{}
	u := c.p.user
	for _, cp := range all {
		offices[cp.ID] = cp.OfficeID
		if u.Role == api.RoleAdmin || (u.Role == api.RoleOfficeAdmin && cp.OfficeID == u.OfficeID) ||
			(u.Role == api.RoleCPASAdmin && cp.ID == u.CPASID) {
			in = append(in, api.CPASInfo{ID: cp.ID, Name: cp.Name, OfficeID: cp.OfficeID})
		}
	}
	return offices, in, nil
}

// officesInScope are the offices the caller may bind an agent to.
func officesInScope(u store.User) []api.OfficeInfo {
	out := []api.OfficeInfo{}
	for _, o := range store.Offices() {
		if u.Role == api.RoleAdmin || (u.Role == api.RoleOfficeAdmin && o.ID == u.OfficeID) {
			out = append(out, api.OfficeInfo{ID: o.ID, Name: o.Name})
		}
	}
	return out
}

// createUser makes an account without a password and answers its
// invitation link. A CPAS administrator's accounts are of their CPAS, an
// office administrator's agents of their office.
func (s *Service) createUser(c *call) error {
	var in api.NewAccount
	if err := decodeJSON(c.w, c.r, 4<<10, &in); err != nil {
		return err
	}
	me := c.p.user
	if !slices.Contains(me.Role.Invites(), in.Role) {
		return fail(api.CodeInvalid, "you may not create an account of this role",
			api.FieldError{Path: "role", Message: "is not a role you may give"})
	}
	if err := s.checkTenant(c, &in); err != nil {
		return err
	}
	u, err := accounts.NewUser(c.r.Context(), s.st, accounts.Spec{Login: in.Login, Name: in.DisplayName,
		Role: in.Role, CPASID: in.CPASID, OfficeID: in.OfficeID})
	if err != nil {
		return accountError(err)
	}
	if ok, err := s.manages(c, u); err != nil {
		return err
	} else if !ok {
		return fail(api.CodeInvalid, "the account would not be one you manage",
			api.FieldError{Path: bindingPath(u.Role), Message: "is not yours to manage"})
	}
	token := accounts.Invite(&u, s.now())
	add, invite := c.p.audit(store.ActionUserAdd), c.p.audit(store.ActionUserInvite)
	add.Object, add.CPASID, invite.Object, invite.CPASID = u.ID, u.CPASID, u.ID, u.CPASID
	if err := s.st.AddUser(c.r.Context(), u, add, invite); errors.Is(err, store.ErrExists) {
		return fail(api.CodeLoginTaken, "this login is another account's",
			api.FieldError{Path: "login", Message: "is taken"})
	} else if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusCreated, s.invitation(u, token))
	return nil
}

// checkTenant keeps a new account in the caller's tenant, before anything
// is looked up: a CPAS or office of another tenant gets the same answer
// whether it exists or not. A CPAS administrator's accounts are of their
// CPAS, an office administrator's agents of their office, unless the
// request says otherwise (and then it must be theirs).
func (s *Service) checkTenant(c *call, in *api.NewAccount) error {
	me := c.p.user
	notYours := fail(api.CodeInvalid, "the account would not be one you manage",
		api.FieldError{Path: bindingPath(in.Role), Message: "is not yours to manage"})
	switch {
	case me.Role == api.RoleCPASAdmin:
		if in.CPASID == "" {
			in.CPASID = me.CPASID
		}
		if id, _ := api.NormalizeEnterpriseNumber(in.CPASID); id != me.CPASID {
			return notYours
		}
	case me.Role == api.RoleOfficeAdmin && in.Role.Binding() == "office":
		if in.OfficeID == "" {
			in.OfficeID = me.OfficeID
		}
		if in.OfficeID != me.OfficeID {
			return notYours
		}
	case me.Role == api.RoleOfficeAdmin:
		id, _ := api.NormalizeEnterpriseNumber(in.CPASID)
		cp, err := s.st.CPAS(c.r.Context(), id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && cp.OfficeID != me.OfficeID) {
			return notYours
		} else if err != nil {
			return err
		}
	}
	return nil
}

func bindingPath(r api.Role) string {
	if r.Binding() == "office" {
		return "officeId"
	}
	return "cpasId"
}

// accountError answers a rule of accounts.NewUser as an invalid field.
func accountError(err error) error {
	var fe *accounts.FieldError
	if errors.As(err, &fe) {
		return fail(api.CodeInvalid, "the account is not valid", api.FieldError{Path: fe.Field, Message: fe.Message})
	}
	return err
}

// manages says whether the caller manages u (accounts.Manager.Manages).
func (s *Service) manages(c *call, u store.User) (bool, error) {
	office := ""
	if u.CPASID != "" {
		cp, err := s.st.CPAS(c.r.Context(), u.CPASID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
		office = cp.OfficeID
	}
	return accounts.ManagerOf(c.p.user).Manages(u, office), nil
}

func (s *Service) invitation(u store.User, token string) api.Invitation {
	return api.Invitation{Account: accounts.AccountOf(u, s.now()), Link: s.deps.BaseURL + accounts.LinkPath + token,
		ExpiresAt: accounts.Stamp(u.InviteExpiresAt)}
}

// managedUser reads the account of the path's {id}; one the caller does
// not manage is not found.
func (s *Service) managedUser(c *call) (store.User, error) {
	id, err := pathUUID(c, "id")
	if err != nil {
		return store.User{}, err
	}
	u, err := s.st.User(c.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return u, errNotFound
	} else if err != nil {
		return u, err
	}
	ok, err := s.manages(c, u)
	if err == nil && !ok {
		err = errNotFound
	}
	return u, err
}

// disableUser stops an account at once: its sessions end, here and in the
// session cache, so the colleague's next call is refused.
func (s *Service) disableUser(c *call) error {
	return s.updateManaged(c, store.ActionUserDisable, func(u *store.User) { u.Disabled = true })
}

// enableUser lets a disabled account sign in again with its password.
func (s *Service) enableUser(c *call) error {
	return s.updateManaged(c, store.ActionUserEnable, func(u *store.User) { u.Disabled = false })
}

func (s *Service) updateManaged(c *call, action string, change func(*store.User)) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	a := c.p.audit(action)
	a.Object, a.CPASID = u.ID, u.CPASID
	u, err = s.st.UpdateUser(c.r.Context(), u.ID, func(u *store.User) error { change(u); return nil }, a)
	if err != nil {
		return err
	}
	if u.Disabled {
		if _, err := s.st.DeleteUserSessions(c.r.Context(), u.ID, ""); err != nil {
			return err
		}
		s.sessions.dropUser(u.ID, "")
	}
	writeJSON(c.w, http.StatusOK, accounts.AccountOf(u, s.now()))
	return nil
}

// reinviteUser makes a new invitation link for an account, replacing any
// earlier one: the answer to a forgotten password or a lost link. The
// current password works until the link is used.
func (s *Service) reinviteUser(c *call) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if u.Disabled {
		return fail(api.CodeInvalid, "enable the account before inviting it",
			api.FieldError{Path: "disabled", Message: "the account is disabled"})
	}
	a := c.p.audit(store.ActionUserInvite)
	a.Object, a.CPASID = u.ID, u.CPASID
	var token string
	u, err = s.st.UpdateUser(c.r.Context(), u.ID, func(u *store.User) error {
		token = accounts.Invite(u, s.now())
		return nil
	}, a)
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, s.invitation(u, token))
	return nil
}

// errInvitationInvalid is the one answer to every link that does not
// work, whatever the reason: it tells a guesser nothing.
var errInvitationInvalid = fail(api.CodeInvitationInvalid,
	"this invitation link is unknown, already used or expired: ask your administrator for a new one")

// acceptInvitation sets the password of an invited account. The password
// is hashed in the sign-in's hashing gate (argon2id costs 19 MiB), and
// the invitation is checked again inside the update, so a link used twice
// at once sets one password.
func (s *Service) acceptInvitation(c *call) error {
	var in api.InvitationAccept
	if err := decodeJSON(c.w, c.r, 4<<10, &in); err != nil {
		return err
	}
	if p := api.PasswordProblem(in.Password); p != "" {
		return fail(api.CodeInvalid, "the password does not follow the rules", api.FieldError{Path: "password", Message: p})
	}
	id, secret, ok := accounts.SplitToken(in.Token)
	if !ok {
		return errInvitationInvalid
	}
	u, err := s.st.User(c.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !accounts.InvitationValid(u, secret, s.now())) {
		return errInvitationInvalid
	} else if err != nil {
		return err
	}
	hash, err := s.hashInGate(c, in.Password)
	if err != nil {
		return err
	}
	a := store.AuditEntry{UserID: u.ID, Role: u.Role, Action: store.ActionUserAccept, Object: u.ID,
		CPASID: u.CPASID, ClientAddr: clientAddr(c.r)}
	errUsed := errors.New("invitation used meanwhile")
	u, err = s.st.UpdateUser(c.r.Context(), id, func(u *store.User) error {
		if !accounts.InvitationValid(*u, secret, s.now()) {
			return errUsed
		}
		accounts.Accept(u, hash)
		return nil
	}, a)
	if errors.Is(err, errUsed) {
		return errInvitationInvalid
	} else if err != nil {
		return err
	}
	// Whoever held the old password may have opened a session.
	if _, err := s.st.DeleteUserSessions(c.r.Context(), u.ID, ""); err != nil {
		return err
	}
	s.sessions.dropUser(u.ID, "")
	writeJSON(c.w, http.StatusOK, api.InvitationAccepted{Login: u.Login})
	return nil
}

// hashInGate hashes a new password in the hashing gate (hashgate.go).
func (s *Service) hashInGate(c *call, password string) (string, error) {
	addr := clientAddr(c.r)
	if err := s.throttle.gate.enter(c.r.Context(), addr); err != nil {
		return "", errBusy()
	}
	defer s.throttle.gate.release(addr)
	return store.HashPassword(password)
}

// addCPAS registers a CPAS: an office administrator for their own office,
// the system administrator for any. A CPAS is public (its enterprise
// number is in the Crossroads Bank for Enterprises), so a taken number may
// say so.
func (s *Service) addCPAS(c *call) error {
	var in api.CPASInfo
	if err := decodeJSON(c.w, c.r, 4<<10, &in); err != nil {
		return err
	}
	me := c.p.user
	if me.Role == api.RoleOfficeAdmin {
		if in.OfficeID == "" {
			in.OfficeID = me.OfficeID
		}
		if in.OfficeID != me.OfficeID {
			return fail(api.CodeInvalid, "the CPAS would not be of your office",
				api.FieldError{Path: "officeId", Message: "is not yours to manage"})
		}
	}
	cp, err := accounts.NewCPAS(in.Name, in.ID, in.OfficeID, s.now())
	if err != nil {
		return accountError(err)
	}
	a := c.p.audit(store.ActionCPASAdd)
	a.Object, a.CPASID = cp.ID, cp.ID
	if err := s.st.PutCPAS(c.r.Context(), cp, a); errors.Is(err, store.ErrExists) {
		return fail(api.CodeCPASTaken, "this enterprise number is already a CPAS",
			api.FieldError{Path: "id", Message: "is taken"})
	} else if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusCreated, api.CPASInfo{ID: cp.ID, Name: cp.Name, OfficeID: cp.OfficeID})
	return nil
}
