package e2e

import (
	"testing"

	"art60/server/admin"
	"art60/server/contract"
)

// TestTheAPIContractHoldsOnTheGoServer runs the black-box API suite
// (server/contract) against the art60 binary.
func TestTheAPIContractHoldsOnTheGoServer(t *testing.T) {
	srv := startServer(t)
	contract.Run(t, srv.URL, admin.DemoAdmin, admin.DemoAdminPass)
}
