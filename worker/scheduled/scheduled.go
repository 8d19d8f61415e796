// Package scheduled is what the Worker's Cron Triggers run (worker/main.go,
// wrangler.toml [triggers]): the mail outbox drained over SMTP, and, in the
// daily pass, the retention policy (privacy.Retain) by the store's clock,
// as the Go server's mail worker and retention timer do. On Workers no
// goroutine outlives the event that started it, so these run per trigger
// instead of on timers. It is plain Go (no syscall/js), tested on the D1
// store's SQLite executor.
package scheduled

import (
	"context"
	"log/slog"

	"art60/server/privacy"
	"art60/server/store"
)

// Drainer sends what is due in the outbox, once (mail.Worker.Drain).
type Drainer interface{ Drain(ctx context.Context) }

// Pass is one scheduled run.
type Pass struct {
	Store     store.Store
	Mail      Drainer        // nil: no SMTP server configured, mail waits in the outbox
	Retention privacy.Policy // run when Retain is set
	Log       *slog.Logger
}

// Run drains the outbox and, when retain is set, runs the retention
// policy at the store's clock. Errors are logged, not returned: a pass
// that fails is tried again by the next trigger, and an error handed back
// to github.com/syumai/workers' cron package would end the isolate's Go
// program (it panics on it).
func (p Pass) Run(ctx context.Context, retain bool) {
	if p.Mail != nil {
		p.Mail.Drain(ctx)
	}
	if !retain {
		return
	}
	who := store.AuditEntry{UserID: store.RetentionUser, ClientAddr: "cron"}
	n, err := privacy.Retain(ctx, p.Store, p.Retention, p.Store.Now(), who)
	if err != nil {
		p.Log.Error("retention", "err", err)
		return
	}
	p.Log.Info("retention", "requestsErased", n.Requests, "filesDeleted", n.Files)
}
