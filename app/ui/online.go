package ui

import (
	"context"
	"time"

	"art60/app/syncer"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// fetchJSON reads an API resource off the UI goroutine, then calls done on
// it. The screens that need it (queue, review, reports, contact) are the
// online ones; their errors are shown, never swallowed.
func fetchJSON(ctx app.Context, path string, out any, done func(error)) {
	callAPI(ctx, func(c context.Context, eng *syncer.Engine) error { return eng.GetJSON(c, path, out) }, done)
}

// postJSON sends in to the API and reads the answer into out.
func postJSON(ctx app.Context, path string, in, out any, done func(error)) {
	callAPI(ctx, func(c context.Context, eng *syncer.Engine) error { return eng.PostJSON(c, path, in, out) }, done)
}

func callAPI(ctx app.Context, call func(context.Context, *syncer.Engine) error, done func(error)) {
	eng := engine()
	if eng == nil {
		return
	}
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := call(c, eng)
		ctx.Dispatch(func(app.Context) { done(err) })
	})
}
