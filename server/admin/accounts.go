package admin

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"art60/server/accounts"
	"art60/server/api"
	"art60/server/store"
)

func addCPAS(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	c, err := accounts.NewCPAS(inv.flag("name"), inv.flag("enterprise"), inv.flag("office"), st.Now())
	if err != nil {
		return err
	}
	audit := commandAudit(store.ActionCPASAdd)
	audit.Object, audit.CPASID = c.ID, c.ID
	if err := st.PutCPAS(ctx, c, audit); errors.Is(err, store.ErrExists) {
		return fmt.Errorf("CPAS %s already exists", c.ID)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "added CPAS %s (%s), office %s\n", c.ID, c.Name, c.OfficeID)
	return nil
}

func listCPAS(ctx context.Context, st store.Store, out io.Writer) error {
	all, err := st.ListCPAS(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENTERPRISE\tNAME\tOFFICE")
	for _, c := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, c.Name, c.OfficeID)
	}
	return tw.Flush()
}

func addUser(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	spec := accounts.Spec{Login: inv.flag("login"), Name: inv.flag("name"), Role: api.Role(inv.flag("role")),
		CPASID: inv.flag("cpas"), OfficeID: inv.flag("office"), Password: inv.flag("password")}
	generated := spec.Password == ""
	if generated {
		spec.Password = RandomPassword()
	}
	u, err := accounts.NewUser(ctx, st, spec)
	if err != nil {
		return err
	}
	audit := commandAudit(store.ActionUserAdd)
	audit.Object, audit.CPASID = u.ID, u.CPASID
	if err := st.AddUser(ctx, u, audit); errors.Is(err, store.ErrExists) {
		return fmt.Errorf("login %s is taken", u.Login)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "added user %s (%s) id %s\n", u.Login, u.Role, u.ID)
	if generated {
		fmt.Fprintf(out, "password: %s\n(shown once: hand it over securely)\n", spec.Password)
	}
	return nil
}

func disableUser(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	u, err := setDisabled(ctx, st, inv, true, store.ActionUserDisable)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "disabled %s: its sessions stop working within seconds\n", u.Login)
	return nil
}

// enableUser lets a disabled account sign in again (with its password).
func enableUser(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	u, err := setDisabled(ctx, st, inv, false, store.ActionUserEnable)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "enabled %s\n", u.Login)
	return nil
}

func setDisabled(ctx context.Context, st store.Store, inv *invocation, disabled bool, action string) (store.User, error) {
	u, err := userOf(ctx, st, inv)
	if err != nil {
		return u, err
	}
	audit := commandAudit(action)
	audit.Object, audit.CPASID = u.ID, u.CPASID
	return st.UpdateUser(ctx, u.ID, func(u *store.User) error { u.Disabled = disabled; return nil }, audit)
}

// userOf reads the user the -login flag names.
func userOf(ctx context.Context, st store.Store, inv *invocation) (store.User, error) {
	u, err := st.UserByLogin(ctx, strings.ToLower(strings.TrimSpace(inv.flag("login"))))
	if errors.Is(err, store.ErrNotFound) {
		return u, usageError("no user with login " + inv.flag("login"))
	}
	return u, err
}

// resetPassword sets a user's password (-password, or a generated one
// printed once) and ends every session of the user: the administrator's
// answer to a forgotten or leaked password.
func resetPassword(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	u, err := userOf(ctx, st, inv)
	if err != nil {
		return err
	}
	pw, generated := inv.flag("password"), inv.flag("password") == ""
	if generated {
		pw = RandomPassword()
	}
	if p := api.PasswordProblem(pw); p != "" {
		return usageError("the password " + p)
	}
	hash, err := store.HashPassword(pw)
	if err != nil {
		return err
	}
	audit := commandAudit(store.ActionUserPassword)
	audit.Object, audit.CPASID, audit.Detail = u.ID, u.CPASID, "reset"
	if err := st.SetPassword(ctx, u.ID, hash, "", audit); err != nil {
		return err
	}
	fmt.Fprintf(out, "reset the password of %s: its sessions stop working within seconds\n", u.Login)
	if generated {
		fmt.Fprintf(out, "password: %s\n(shown once: hand it over securely)\n", pw)
	}
	return nil
}

func listUsers(ctx context.Context, st store.Store, out io.Writer) error {
	// The list shows logins and names: recorded like the admin API's list.
	if err := st.AppendAudit(ctx, commandAudit(store.ActionUserList)); err != nil {
		return fmt.Errorf("record the user list in the audit trail: %w", err)
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tROLE\tCPAS\tOFFICE\tSTATE\tNAME")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.CPASID, u.OfficeID, state, u.DisplayName)
	}
	return tw.Flush()
}

func listOffices(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPHONE\tE-MAIL")
	for _, o := range store.Offices() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.ID, o.Name, o.Phone, strings.Join(o.Emails, ", "))
	}
	return tw.Flush()
}

// RandomPassword returns 26 random base32 characters (130 bits).
func RandomPassword() string { return rand.Text() }
