//go:build worker

package e2e

import (
	"os"
	"testing"

	"art60/server/admin"
	"art60/server/contract"
)

// TestTheAPIContractHoldsOnTheWorker runs the black-box API suite
// (server/contract) against the Cloudflare Worker under wrangler dev
// --local, whose URL make worker-contract passes in ART60_WORKER_URL. It
// builds only with -tags worker (make worker-contract), so that the other
// runs neither skip it nor need Node: without the URL it fails.
func TestTheAPIContractHoldsOnTheWorker(t *testing.T) {
	base := os.Getenv("ART60_WORKER_URL")
	if base == "" {
		t.Fatal("ART60_WORKER_URL is not set: make worker-contract starts the Worker and runs this test against it")
	}
	contract.Run(t, base, admin.DemoAdmin, admin.DemoAdminPass)
}
