package admin

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"art60/server/store"
)

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
	w.Write([]string{"seq", "time", "user_id", "role", "action", "cpas_id", "request_id", "object", "client_addr"})
	return func(e store.AuditEntry) error {
		if e.Seq == 0 {
			w.Flush()
			return w.Error()
		}
		return w.Write([]string{strconv.FormatInt(e.Seq, 10), e.Time, e.UserID, string(e.Role), e.Action,
			e.CPASID, e.RequestID, e.Object, e.ClientAddr})
	}
}
