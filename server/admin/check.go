package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"art60/server/store"
)

// isCheck tells whether the command is `art60 admin check`.
func isCheck(inv *invocation) bool {
	return inv.cmd == "admin" && len(inv.words) == 1 && inv.words[0] == "check"
}

// check runs `art60 admin check` on a stopped store, or through the running
// server's control socket. It never creates a store: a directory with
// nothing in it is an error (a mistyped -data would otherwise pass).
func check(inv *invocation, stdout, stderr io.Writer) error {
	entries, err := os.ReadDir(inv.dataDir)
	if err != nil || len(entries) == 0 {
		return fmt.Errorf("no store in %s (see -data or ART60_DATA)", inv.dataDir)
	}
	key, _, err := store.KeyFor(inv.dataDir, inv.hexKey, inv.keyFile, false)
	if err != nil {
		return err
	}
	return onStore(inv, key, stdout, stderr, checkStore)
}

// checkStore prints the report of store.Checker and fails when it found
// a problem.
func checkStore(ctx context.Context, st store.Store, out io.Writer) error {
	c, ok := st.(store.Checker)
	if !ok {
		return errors.New("this store cannot check itself")
	}
	rep, err := c.Check(ctx)
	if err != nil {
		return err
	}
	kinds := make([]string, 0, len(rep.Keys))
	total := 0
	for k, n := range rep.Keys {
		kinds = append(kinds, k)
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(out, "keys read: %d\n", total)
	for _, k := range kinds {
		fmt.Fprintf(out, "  %-28s %d\n", k, rep.Keys[k])
	}
	fmt.Fprintf(out, "index entries compared with the data: %d\n", rep.Indexed)
	fmt.Fprintf(out, "audit chain: %d entries, head %s at %d\n", rep.Audit.Entries, rep.Audit.Head, rep.Audit.HeadSeq)
	if rep.OK() {
		fmt.Fprintln(out, "no problem found")
		return nil
	}
	fmt.Fprintf(out, "%d problems:\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintf(out, "  %s\n", p)
	}
	return fmt.Errorf("the store is damaged (%d problems): keep it as it is and restore the latest backup into a new directory (README, Faults and recovery)", len(rep.Problems))
}
