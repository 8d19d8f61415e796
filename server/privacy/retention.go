package privacy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// Policy says how long art60 keeps what it no longer needs (README,
// "Personal data"). A zero duration keeps forever.
type Policy struct {
	// Decided is how long a request is kept after ONEM's decision. A
	// request waiting for ONEM is never deleted.
	Decided time.Duration
	// Uploads is how long a file uploaded but never attached to a sent
	// request is kept (the worker may still send the draft meanwhile).
	Uploads time.Duration
}

// DefaultPolicy keeps decided requests 5 years and loose uploads 30 days.
// Five years: the CPAS and ONEM may need the figures while the person
// claims benefits on the contract (the contract itself lasts at most two
// years) and while unduly paid benefits can still be recovered
// (arrêté-loi of 28 December 1944, art. 7 § 13: three years, five for
// fraud). Thirty days: a
// draft waiting for a missing document is usually sent within a month.
// The data protection officer sets the real values (serve flags).
var DefaultPolicy = Policy{Decided: 5 * 365 * 24 * time.Hour, Uploads: 30 * 24 * time.Hour}

// Retain deletes what the policy no longer keeps at now: decided requests
// (request.expire, the same erasure as a person's) and unused uploads
// (attachment.expire), then pushes the values off the disk. who says who
// runs it (the server's retention timer, or a command).
func Retain(ctx context.Context, st store.Store, p Policy, now time.Time, who store.AuditEntry) (Erased, error) {
	reqs, err := expiredRequests(ctx, st, p, now)
	if err != nil {
		return Erased{}, err
	}
	who.Action = store.ActionRequestExpire
	n, err := eraseAll(ctx, st, reqs, who)
	if err != nil {
		return n, err
	}
	files, err := dropUploads(ctx, st, p, now, who)
	n.Files += files
	if err != nil {
		return n, err
	}
	if n.Requests+n.Files == 0 {
		return n, nil
	}
	return n, compact(ctx, st)
}

func expiredRequests(ctx context.Context, st store.Store, p Policy, now time.Time) ([]api.Request, error) {
	if p.Decided <= 0 {
		return nil, nil
	}
	cut := now.Add(-p.Decided)
	var out []api.Request
	err := st.ScanRequests(ctx, func(r *api.Request) bool {
		if r.Decision != nil && before(r.Decision.DecidedAt, cut) {
			out = append(out, api.Request{Submission: api.Submission{ID: r.ID}, CPASID: r.CPASID})
		}
		return ctx.Err() == nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: find the requests past retention: %w", err)
	}
	return out, nil
}

func dropUploads(ctx context.Context, st store.Store, p Policy, now time.Time, who store.AuditEntry) (int, error) {
	if p.Uploads <= 0 {
		return 0, nil
	}
	cut := now.Add(-p.Uploads)
	var old []store.Attachment
	err := st.ScanAttachments(ctx, func(a store.Attachment) bool {
		if before(a.UploadedAt, cut) {
			old = append(old, a)
		}
		return ctx.Err() == nil
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: find the old uploads: %w", err)
	}
	who.Action = store.ActionUploadExpire
	n := 0
	for _, a := range old {
		deleted, err := st.DeleteUnusedAttachment(ctx, a.CPASID, a.SHA256, who)
		if err != nil {
			return n, fmt.Errorf("privacy: delete an old upload: %w", err)
		}
		if deleted {
			n++
		}
	}
	return n, nil
}

// before says whether an RFC 3339 time is before cut; an unreadable one is
// kept (never delete on a doubt).
func before(stamp string, cut time.Time) bool {
	t, err := time.Parse(time.RFC3339, stamp)
	return err == nil && t.Before(cut)
}

func isErased(err error) bool { return errors.Is(err, store.ErrErased) }
