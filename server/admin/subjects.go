package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"art60/server/privacy"
	"art60/server/store"
)

// RunSubject runs art60 subject export|accesses|erase: a person's rights
// (GDPR art. 15 and 17) and the data protection officer's "who opened
// this person's files". The NISS is read from standard input, one line,
// so that it never shows in the process list or the shell's history; it
// then travels in the command's own arguments (to the running server, over
// the owner-only control socket).
func RunSubject(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if slices.ContainsFunc(args, func(a string) bool {
		return strings.TrimLeft(a, "-") == "niss" || strings.HasPrefix(strings.TrimLeft(a, "-"), "niss=")
	}) {
		fmt.Fprint(stderr, "art60 subject: give the NISS on standard input, not on the command line (it would stay in the shell's history)\n")
		return 2
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintf(stderr, "art60 subject: read the NISS from standard input: %v\n%s", err, usage)
		return 2
	}
	niss, err := privacy.NISS(strings.TrimSpace(line))
	if err != nil {
		fmt.Fprintf(stderr, "art60 subject: %v\n", err)
		return 2
	}
	return Run("subject", append(slices.Clone(args), "-niss", niss), getenv, stdout, stderr)
}

// subject runs a subject command on the store.
func subject(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	niss, err := privacy.NISS(inv.flag("niss"))
	if err != nil {
		return usageError("the NISS comes on standard input: echo NISS | art60 subject " + strings.Join(inv.words, " "))
	}
	who := commandAudit("")
	switch inv.words[0] {
	case "export":
		e, err := privacy.ExportPerson(ctx, st, niss, who)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", " ")
		return enc.Encode(e)
	case "accesses":
		return accesses(ctx, st, niss, who, out)
	case "erase":
		n, err := privacy.ErasePerson(ctx, st, niss, who)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "erased %d requests and %d files; the audit trail keeps one subject.erase entry per request (ids only)\n", n.Requests, n.Files)
		return nil
	}
	return usageError("unknown command: subject " + strings.Join(inv.words, " "))
}

// accesses prints who opened the person's files, one line per audit entry.
func accesses(ctx context.Context, st store.Store, niss string, who store.AuditEntry, out io.Writer) error {
	list, err := privacy.Accesses(ctx, st, niss, who)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "time\taction\tlogin\tname\trole\tcpas\toffice\trequest\tfrom")
	for _, a := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Time, a.Action, a.Login, a.DisplayName, a.Role,
			a.CPASID, a.OfficeID, a.RequestID, a.ClientAddr)
	}
	return w.Flush()
}
