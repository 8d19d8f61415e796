package httpapi

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dateTests are the tests of this package whose outcome could depend on the
// day they run: sessions and their cache, the sign-in throttle, due dates,
// the queue's overdue flag, reports and metrics, decisions, comments and the
// mail they queue, retried and delivered. The rest (the route and isolation
// matrices, bad inputs, backups, the crash test, which runs its own server
// process on the wall clock) touches no date; the whole package at another
// date is `make unit ART60_TEST_NOW=…` (README, "Tests at another date").
var dateTests = []string{
	"TestSessionLifecycle",
	"TestLoginThrottle",
	"TestParallelGuessesCannotPassTheThrottleTogether",
	"TestAccountSlowsDownUnderGuessesFromManyAddresses",
	"TestAddressLimitCoversUnknownLogins",
	"TestDueDatesAcrossHolidays",
	"TestQueueFiltersAndOrder",
	"TestReports",
	"TestWorkingDaysAfter",
	"TestDecisionFlow",
	"TestDecisionRules",
	"TestConcurrentDecisions",
	"TestInvalidationReachesTheCPAS",
	"TestCommentsBothSides",
	"TestDecisionMailReachesLoopbackSMTP",
	"TestDecisionSucceedsWhileSMTPIsDown",
	"TestQuestionMail",
}

// TestTheSuitePassesYearsAwayFromToday runs dateTests again in a child
// process (this test binary) whose fixtures' clock starts years away from
// the wall clock (ART60_TEST_NOW): a Sunday in 2031, and in 2024 half an
// hour after midnight in Brussels, when the UTC date is still the day before
// (a leap day). A test that reads the wall clock where the service's clock
// counts, or that only works near the day it was written, fails here. It
// takes 10 to 22 s per date on the two shared cores (2026-11-29, load 5 to 9)
// and more than 2 minutes at load 20, hence the generous limit: it guards
// against a hang, not a slow machine.
func TestTheSuitePassesYearsAwayFromToday(t *testing.T) {
	if os.Getenv(testNowEnv) != "" {
		t.Skip("this run is already at another date")
	}
	if testing.Short() {
		t.Skip("-short: two more runs of the date-dependent tests")
	}
	run := "^(" + strings.Join(dateTests, "|") + ")$"
	for _, at := range []string{"2031-06-15T10:00:00+02:00", "2024-03-01T00:30:00+01:00"} {
		t.Run(at[:4], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 6*time.Minute)
			defer cancel()
			start := time.Now()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run", run, "-test.count=1", "-test.v", "-test.timeout=6m")
			cmd.Env = append(os.Environ(), testNowEnv+"="+at)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s=%s: %v\n%s", testNowEnv, at, err, out)
			}
			// A test renamed or removed would otherwise leave the run silently smaller.
			for _, name := range dateTests {
				if !regexp.MustCompile(`(?m)^--- PASS: ` + name + ` `).Match(out) {
					t.Errorf("%s did not run and pass at %s", name, at)
				}
			}
			t.Logf("%d tests passed at %s in %v", len(dateTests), at, time.Since(start).Round(time.Millisecond))
		})
	}
}
