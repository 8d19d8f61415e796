package admin

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"art60/server/store"
	"art60/server/store/stores"
)

// commandAudit starts the audit entry of a command. Commands run as whoever
// may use the data directory and the key (store.CommandUser), on the
// server's machine: offline in the command's process, online in the server
// behind the owner-only control socket.
func commandAudit(action string) store.AuditEntry {
	return store.AuditEntry{UserID: store.CommandUser, Action: action, ClientAddr: "local"}
}

// errBrokenChain makes art60 audit verify exit 1.
var errBrokenChain = errors.New("the audit chain is broken")

// verifyAudit walks the audit chain (store.VerifyAudit) and prints its
// head, which an operator can note elsewhere: whoever holds the key could
// rewrite the whole chain consistently, but not match a head noted before.
// It records nothing, so that it can examine a store without changing it.
func verifyAudit(ctx context.Context, st store.Store, out io.Writer) error {
	c, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !c.OK() {
		return fmt.Errorf("%w at entry %d: %s", errBrokenChain, c.BrokenAt, c.Problem)
	}
	fmt.Fprintf(out, "OK: %d entries", c.Entries)
	if c.Unchained > 0 {
		fmt.Fprintf(out, " (the first %d written before the chain, not covered)", c.Unchained)
	}
	if c.HeadSeq > 0 {
		fmt.Fprintf(out, "; head %d %s", c.HeadSeq, c.Head)
	}
	fmt.Fprintln(out)
	return nil
}

// auditRestore records a restore in the restored store, the one whose
// trail continues from the backup's.
func auditRestore(dir string, key []byte) error {
	st, err := stores.Open(stores.Config{Dir: dir, Key: key, Logger: quietLogger(io.Discard), GCInterval: -1})
	if err != nil {
		return fmt.Errorf("open the restored store to record the restore: %w", err)
	}
	err = st.AppendAudit(context.Background(), commandAudit(store.ActionRestore))
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record the restore in the audit trail: %w", err)
	}
	return nil
}

// exportAudit writes the audit trail (or one request's) as JSON lines or
// CSV, oldest first, page by page so any size fits in memory.
func exportAudit(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	format := inv.flag("format")
	if format != "jsonl" && format != "csv" {
		return usageError("-format must be jsonl or csv")
	}
	var after int64
	if a := inv.flag("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return usageError("-after must be a sequence number")
		}
		after = n
	}
	// Recorded before the first page, so the export holds its own entry.
	audit := commandAudit(store.ActionAuditExport)
	audit.Object = inv.flag("request")
	if err := st.AppendAudit(ctx, audit); err != nil {
		return fmt.Errorf("record the export in the audit trail: %w", err)
	}
	write := jsonLines(out)
	if format == "csv" {
		write = csvRows(out)
	}
	for {
		page, err := st.Audit(ctx, after, inv.flag("request"), 1000)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := write(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(page) < 1000 {
			return write(store.AuditEntry{}) // flush
		}
	}
}

func jsonLines(out io.Writer) func(store.AuditEntry) error {
	enc := json.NewEncoder(out)
	return func(e store.AuditEntry) error {
		if e.Seq == 0 {
			return nil
		}
		return enc.Encode(e)
	}
}

func csvRows(out io.Writer) func(store.AuditEntry) error {
	w := csv.NewWriter(out)
	w.Write([]string{"seq", "time", "user_id", "role", "action", "cpas_id", "request_id", "object", "client_addr", "detail", "prev", "hash"})
	return func(e store.AuditEntry) error {
		if e.Seq == 0 {
			w.Flush()
			return w.Error()
		}
		return w.Write([]string{strconv.FormatInt(e.Seq, 10), e.Time, e.UserID, string(e.Role), e.Action,
			e.CPASID, e.RequestID, e.Object, e.ClientAddr, e.Detail, e.Prev, e.Hash})
	}
}
