package admin

import (
	"art60/server/accounts"
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
	DemoCPAS            = "0212345668"
	DemoOffice          = "namur"
	DemoWorker          = "demo-worker"
	DemoAgent           = "demo-agent"
	DemoAdmin           = "demo-admin"
	DemoCPASAdmin       = "demo-cpas-admin"
	DemoOfficeAdmin     = "demo-office-admin"
	DemoDPO             = "demo-dpo"
	DemoPassword        = "demo-password-worker"
	DemoAgentPass       = "demo-password-agent"
	DemoAdminPass       = "demo-password-admin"
	DemoCPASAdminPass   = "demo-password-cpas-admin"
	DemoOfficeAdminPass = "demo-password-office-admin"
	DemoDPOPass         = "demo-password-dpo"
	demoCPASName        = "CPAS de Démo"
	demoWorkerName      = "Travailleur social (démo)"
	demoAgentName       = "Agent ONEM (démo)"
	demoAdminName       = "Administrateur (démo)"
	demoCPASAdminName   = "Administrateur du CPAS (démo)"
	demoOfficeAdminName = "Administrateur du bureau ONEM (démo)"
	demoDPOName         = "Délégué à la protection des données (démo)"
)

// SeedDemo creates what is missing of the demo CPAS and its users (one per role) and
// prints their logins. It can run at every start.
func SeedDemo(ctx context.Context, st store.Store, out io.Writer) error {
	c, err := accounts.NewCPAS(demoCPASName, DemoCPAS, DemoOffice, st.Now())
	if err != nil {
		return err
	}
	if err := st.PutCPAS(ctx, c); err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	users := []accounts.Spec{
		{Login: DemoWorker, Name: demoWorkerName, Password: DemoPassword, Role: api.RoleWorker, CPASID: DemoCPAS},
		{Login: DemoAgent, Name: demoAgentName, Password: DemoAgentPass, Role: api.RoleAgent, OfficeID: DemoOffice},
		{Login: DemoCPASAdmin, Name: demoCPASAdminName, Password: DemoCPASAdminPass, Role: api.RoleCPASAdmin, CPASID: DemoCPAS},
		{Login: DemoOfficeAdmin, Name: demoOfficeAdminName, Password: DemoOfficeAdminPass, Role: api.RoleOfficeAdmin, OfficeID: DemoOffice},
		{Login: DemoDPO, Name: demoDPOName, Password: DemoDPOPass, Role: api.RoleDPO},
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
		fmt.Fprintf(out, "  %-12s login %-17s password %s\n", spec.Role, spec.Login, spec.Password)
	}
	return nil
}

func ensureUser(ctx context.Context, st store.Store, spec accounts.Spec) error {
	if _, err := st.UserByLogin(ctx, spec.Login); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	u, err := accounts.NewUser(ctx, st, spec)
	if err != nil {
		return err
	}
	if err := st.AddUser(ctx, u); err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	return nil
}
