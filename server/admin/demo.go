package admin

import (
	"context"
	"errors"
	"fmt"
	"io"

	"art60/server/api"
	"art60/server/store"
)

// Demo accounts. The passwords are fixed and public: a demo store must
// never hold real data.
const (
	DemoCPAS       = "0212345668"
	DemoOffice     = "namur"
	DemoWorker     = "demo-worker"
	DemoAgent      = "demo-agent"
	DemoAdmin      = "demo-admin"
	DemoPassword   = "demo-password-worker"
	DemoAgentPass  = "demo-password-agent"
	DemoAdminPass  = "demo-password-admin"
	demoCPASName   = "CPAS de Démo"
	demoWorkerName = "Travailleur social (démo)"
	demoAgentName  = "Agent ONEM (démo)"
	demoAdminName  = "Administrateur (démo)"
)

// SeedDemo creates what is missing of the demo CPAS and its three users and
// prints their logins. It can run at every start.
func SeedDemo(ctx context.Context, st store.Store, out io.Writer) error {
	c, err := NewCPAS(demoCPASName, DemoCPAS, DemoOffice, st.Now())
	if err != nil {
		return err
	}
	if err := st.PutCPAS(ctx, c); err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	users := []UserSpec{
		{Login: DemoWorker, Name: demoWorkerName, Password: DemoPassword, Role: api.RoleWorker, CPASID: DemoCPAS},
		{Login: DemoAgent, Name: demoAgentName, Password: DemoAgentPass, Role: api.RoleAgent, OfficeID: DemoOffice},
		{Login: DemoAdmin, Name: demoAdminName, Password: DemoAdminPass, Role: api.RoleAdmin},
	}
	for _, spec := range users {
		if err := ensureUser(ctx, st, spec); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "DEMO MODE: demo accounts (public passwords, never use with real data)\n")
	fmt.Fprintf(out, "  CPAS %s %q, ONEM office %s\n", DemoCPAS, demoCPASName, DemoOffice)
	for _, spec := range users {
		fmt.Fprintf(out, "  %-12s login %-12s password %s\n", spec.Role, spec.Login, spec.Password)
	}
	return nil
}

func ensureUser(ctx context.Context, st store.Store, spec UserSpec) error {
	if _, err := st.UserByLogin(ctx, spec.Login); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	u, err := NewUser(ctx, st, spec)
	if err != nil {
		return err
	}
	if err := st.AddUser(ctx, u); err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	return nil
}
