package e2e

import (
	"fmt"
	"testing"

	"art60/server/admin"
)

// TestTheScreensOfEveryOtherRoleFitAPhoneAndPassAxe: the worker's request
// list, the administrators', the DPO's and the signed-out screens (the
// other screens of the worker and the agent's are in
// TestEveryScreenFitsAPhone) scroll nothing sideways at 390 and 1366 px
// and axe-core finds nothing on them, in French and in Dutch.
func TestTheScreensOfEveryOtherRoleFitAPhoneAndPassAxe(t *testing.T) {
	axe := axeSource(t)
	srv := startServer(t)
	signedIn := func(login, password string) *browser {
		b := newBrowser(t)
		b.login(t, srv.URL, login, password)
		return b
	}
	cpasAdmin := signedIn(admin.DemoCPASAdmin, admin.DemoCPASAdminPass)
	officeAdmin := signedIn(admin.DemoOfficeAdmin, admin.DemoOfficeAdminPass)
	dpo := signedIn(admin.DemoDPO, admin.DemoDPOPass)
	system := signedIn(admin.DemoAdmin, admin.DemoAdminPass)
	worker := frenchWorker(t, srv)
	worker.tenRowRequest(t, srv.URL, "Liste-Téléphone", true)
	nobody := newBrowser(t)
	nobody.Open(t, srv.URL+"/simulate")
	screens := []screen{
		{"the worker's request list", "/", "#request-table", worker},
		{"users (CPAS administrator)", "/users", "#users-table", cpasAdmin},
		{"users (office administrator)", "/users", "#cpas-form", officeAdmin},
		{"reports (office administrator)", "/reports", "#page-reports h1", officeAdmin},
		{"another role's page", "/queue", "#page-other-role", officeAdmin},
		{"privacy", "/privacy", "#privacy-niss", dpo},
		{"users (system administrator)", "/users", "#users-table", system},
		{"invitation without its link", "/invite", "#invite-missing", nobody},
		{"sign-in", "/login", "#login", nobody},
	}
	for _, lang := range []string{"fr", "nl"} {
		for _, b := range []*browser{worker, cpasAdmin, officeAdmin, dpo, system, nobody} {
			b.Run(t, "language "+lang, chooseLang(lang))
		}
		for _, width := range []int64{390, 1366} {
			for i, s := range screens {
				s.open(t, srv.URL, lang, width)
				s.b.checkA11y(t, axe, fmt.Sprintf("%s/%s/%d", s.name, lang, width))
				if lang == "fr" && width == 390 {
					s.b.Screenshot(t, fmt.Sprintf("fit-role-%d-390", i))
				}
			}
		}
	}
}
